"""The aggregates the bundled reports show, each grouped in SQL (per account, collector,
reason or period), never by loading every invoice.

Each takes ``today`` (the report date) and ``collector`` (a collector id, or None for the
whole team). Grouped summaries come as ``Summary(rows, totals)``: the rows per group and
the same aggregate over everything, one total row per currency labelled "Total". Amounts
are integer cents in the row's ``currency``; money of different currencies is never added.
"""

from datetime import date
from typing import NamedTuple

from sqlite_utils import Database

from arctui.domain.aging import STANDARD, AgingBuckets
from arctui.store.read import booked_receipt, owed_invoice, rows
from arctui.store.read.accounts import open_aging_sql

UNASSIGNED = "(unassigned)"
"""The collector shown for an account nobody owns."""
NO_COLLECTOR = "(no collector)"
"""Where cash from unidentified payers and unassigned accounts is counted."""


class Summary(NamedTuple):
    rows: list[dict]
    totals: list[dict]


def _params(today: date, collector: str | None, **more) -> dict:
    return {"today": today.isoformat(), "collector": collector, **more}


def _summary(db: Database, rows_sql: str, total_sql: str, params: dict) -> Summary:
    return Summary(rows(db, rows_sql, params), rows(db, total_sql, params))


def collector_names(db: Database) -> dict[str, str]:
    """Every collector's id → name."""
    return {r["id"]: r["name"] for r in rows(db, "SELECT id, name FROM collectors")}


def owners(db: Database) -> list[str]:
    """The collectors who own at least one account, by id."""
    return [r["owner"] for r in rows(db, "SELECT DISTINCT owner FROM customers WHERE owner IS NOT NULL ORDER BY owner")]


# --- aging -------------------------------------------------------------------------------


def _aging_sql(collector: bool, as_of: bool, buckets: AgingBuckets) -> str:
    return f"""
SELECT c.account_no AS account, c.name, coalesce(col.name, c.owner, '{UNASSIGNED}') AS collector,
  c.region, c.currency, a.*
FROM ({open_aging_sql(collector, as_of, buckets)}) a JOIN customers c ON c.id = a.customer_id
LEFT JOIN collectors col ON col.id = c.owner
ORDER BY c.account_no
"""


def aging_by_account(
    db: Database, today: date, collector: str | None = None, as_of: bool = False, buckets: AgingBuckets = STANDARD
) -> list[dict]:
    """Every account with open invoices, by account number: account, name, collector (name),
    region, currency, customer_id and the open cents in each bucket of ``buckets`` (the
    standard ones unless told: the book's are ``aging.book_buckets``). ``as_of``: the book as
    it stood at the end of ``today`` (``history``), aged on that day."""
    return rows(db, _aging_sql(collector is not None, as_of, buckets), _params(today, collector))


# --- cadence -----------------------------------------------------------------------------


def _cadence_sql(key: str, cadence: str, group: str) -> str:
    # the owed condition repeats the partial index's so SQLite reads only open items;
    # accounts is materialised so each account's last touchpoint is looked up once
    return f"""
WITH open_accounts AS (
  SELECT i.customer_id AS id, count(*) AS invoices
  FROM invoices i WHERE {owed_invoice("i")} GROUP BY i.customer_id
),
accounts AS MATERIALIZED (
  SELECT c.id, c.owner, o.invoices,
         julianday(:today) - julianday(date((
           SELECT max(t.at) FROM touchpoints t
           WHERE t.customer_id = c.id AND t.at < date(:today, '+1 day')))) AS days
  FROM open_accounts o JOIN customers c ON c.id = o.id
  WHERE (:collector IS NULL OR c.owner = :collector)
)
SELECT {key} AS collector, {cadence} AS cadence, count(*) AS accounts,
  sum(a.invoices) AS invoices, avg(a.days) AS per_account,
  sum(a.invoices * a.days) / sum(CASE WHEN a.days IS NOT NULL THEN a.invoices END) AS per_invoice,
  sum(a.days IS NULL) AS never,
  sum(a.days IS NULL OR a.days > coalesce(col.cadence_days, 14)) AS overdue
FROM accounts a LEFT JOIN collectors col ON col.id = a.owner
{group}
"""


_CADENCE_ROWS = _cadence_sql(
    f"coalesce(col.name, a.owner, '{UNASSIGNED}')",
    "col.cadence_days",
    "GROUP BY a.owner, col.name, col.cadence_days ORDER BY 1",
)
_CADENCE_TOTAL = _cadence_sql("'Total'", "NULL", "HAVING count(*) > 0")


def cadence_by_collector(db: Database, today: date, collector: str | None = None) -> Summary:
    """Accounts owing money, per collector: collector, cadence (days), accounts, invoices,
    per_account and per_invoice (average days since the last touchpoint, never-contacted
    accounts left out), never (contacted), overdue (past the collector's cadence or never)."""
    return _summary(db, _CADENCE_ROWS, _CADENCE_TOTAL, _params(today, collector))


# --- promises ----------------------------------------------------------------------------


def _promises_sql(key: str, group: str) -> str:
    return f"""
SELECT {key} AS collector, c.currency, count(*) AS promises,
  sum(p.status = 'open') AS open,
  sum(p.status = 'open' AND date(p.promised_date, '+' || p.grace_days || ' days') < :today)
    AS past_grace,
  sum(p.status = 'kept') AS kept, sum(p.status = 'partial') AS partial,
  sum(p.status = 'broken') AS broken, sum(p.status = 'cancelled') AS cancelled,
  sum(CASE WHEN p.status <> 'cancelled' THEN p.amount_cents ELSE 0 END) AS promised,
  sum(p.paid_cents) AS paid
FROM promises p JOIN customers c ON c.id = p.customer_id
LEFT JOIN collectors col ON col.id = c.owner
WHERE (:collector IS NULL OR c.owner = :collector) AND date(p.created_at) <= :today
{group}
"""


_PROMISE_ROWS = _promises_sql(
    f"coalesce(col.name, c.owner, '{UNASSIGNED}')", "GROUP BY c.owner, col.name, c.currency ORDER BY 1, 2"
)
_PROMISE_TOTAL = _promises_sql("'Total'", "GROUP BY c.currency ORDER BY 2")


def promises_by_collector(db: Database, today: date, collector: str | None = None) -> Summary:
    """Promises made up to ``today``, per collector and currency: promises, open, past_grace
    (open after the promised date and grace days), kept, partial, broken, cancelled,
    promised (cents, cancelled left out) and paid (cents)."""
    return _summary(db, _PROMISE_ROWS, _PROMISE_TOTAL, _params(today, collector))


# --- disputes ----------------------------------------------------------------------------


def _disputes_sql(key: str, group: str) -> str:
    return f"""
SELECT {key} AS reason, c.currency,
  sum(d.status = 'open') AS open,
  sum(CASE WHEN d.status = 'open' THEN d.amount_cents ELSE 0 END) AS open_amount,
  avg(CASE WHEN d.status = 'open' THEN julianday(:today) - julianday(date(d.opened_at)) END)
    AS avg_days,
  CAST(max(CASE WHEN d.status = 'open' THEN julianday(:today) - julianday(date(d.opened_at)) END)
    AS INTEGER) AS oldest,
  sum(d.status = 'resolved') AS resolved,
  sum(CASE WHEN d.status = 'resolved' THEN d.amount_cents ELSE 0 END) AS resolved_amount
FROM disputes d JOIN customers c ON c.id = d.customer_id
WHERE (:collector IS NULL OR c.owner = :collector) AND date(d.opened_at) <= :today
{group}
"""


_DISPUTE_ROWS = _disputes_sql("d.reason", "GROUP BY d.reason, c.currency ORDER BY 1, 2")
_DISPUTE_TOTAL = _disputes_sql("'Total'", "GROUP BY c.currency ORDER BY 2")


def disputes_by_reason(db: Database, today: date, collector: str | None = None) -> Summary:
    """Disputes opened up to ``today``, per reason code and currency: open, open_amount,
    avg_days and oldest (days open), resolved, resolved_amount."""
    return _summary(db, _DISPUTE_ROWS, _DISPUTE_TOTAL, _params(today, collector))


# --- credit memos ------------------------------------------------------------------------

_IN_PROGRESS = "('draft', 'pending_approval', 'approved')"


def _memos_sql(key: str, gl: str, group: str) -> str:
    return f"""
SELECT {key} AS reason, {gl} AS gl, m.currency, count(*) AS memos,
  sum(m.status = 'posted') AS posted,
  sum(CASE WHEN m.status = 'posted' THEN m.amount_cents ELSE 0 END) AS posted_amount,
  sum(m.status IN {_IN_PROGRESS}) AS in_progress,
  sum(CASE WHEN m.status IN {_IN_PROGRESS} THEN m.amount_cents ELSE 0 END) AS in_progress_amount,
  sum(m.status = 'rejected') AS rejected
FROM credit_memos m JOIN customers c ON c.id = m.customer_id
WHERE (:collector IS NULL OR c.owner = :collector) AND date(m.prepared_at) <= :today AND m.kind = 'credit'
{group}
"""


_MEMO_ROWS = _memos_sql("m.reason_code", "m.gl_code", "GROUP BY m.reason_code, m.gl_code, m.currency ORDER BY 1, 2, 3")
_MEMO_TOTAL = _memos_sql("'Total'", "NULL", "GROUP BY m.currency ORDER BY 3")


def credit_memos_by_reason(db: Database, today: date, collector: str | None = None) -> Summary:
    """Credit memos (not write-offs) prepared up to ``today``, per reason code, GL code and currency: memos,
    posted, posted_amount, in_progress (draft, pending approval or approved),
    in_progress_amount, rejected."""
    return _summary(db, _MEMO_ROWS, _MEMO_TOTAL, _params(today, collector))


# --- cash against target -----------------------------------------------------------------

_CASH_SQL = f"""
WITH cash AS (
  SELECT c.owner AS collector_id, sum(p.amount_cents) AS cents
  FROM payments p LEFT JOIN customers c ON c.id = p.customer_id
  WHERE p.received_date BETWEEN :start AND :today AND {booked_receipt()} AND p.currency = :book
  GROUP BY c.owner
),
people AS (
  SELECT collector_id FROM targets WHERE period = :period AND collector_id IS NOT NULL
  UNION SELECT collector_id FROM cash WHERE collector_id IS NOT NULL
  UNION SELECT :collector WHERE :collector IS NOT NULL
)
SELECT 0 AS rank, 'Team' AS collector,
  (SELECT cash_cents FROM targets WHERE period = :period AND collector_id IS NULL) AS target,
  (SELECT coalesce(sum(cents), 0) FROM cash) AS collected
WHERE :collector IS NULL
UNION ALL
SELECT 1, coalesce(col.name, p.collector_id),
  (SELECT cash_cents FROM targets t WHERE t.period = :period AND t.collector_id = p.collector_id),
  coalesce((SELECT cents FROM cash c WHERE c.collector_id = p.collector_id), 0)
FROM people p LEFT JOIN collectors col ON col.id = p.collector_id
WHERE :collector IS NULL OR p.collector_id = :collector
UNION ALL
SELECT 2, '{NO_COLLECTOR}', NULL, cents FROM cash WHERE collector_id IS NULL AND :collector IS NULL
ORDER BY rank, collector
"""


def cash_against_target(
    db: Database, today: date, start: date, period: str, book: str, collector: str | None = None
) -> list[dict]:
    """Payments in ``book`` (the book currency, the targets') received from ``start`` to
    ``today`` against the targets of ``period`` ("2026-11", "2026-Q4"): collector ("Team"
    first, then each collector by name, then ``NO_COLLECTOR``), target (cents or None) and
    collected (cents). One collector's report has only that collector's row."""
    return rows(db, _CASH_SQL, _params(today, collector, start=start.isoformat(), period=period, book=book))


def cash_in_other_currencies(
    db: Database, today: date, start: date, book: str, collector: str | None = None
) -> list[dict]:
    """The payments ``cash_against_target`` leaves out (those not in ``book``), per collector
    (name; ``NO_COLLECTOR``), currency and day received: collector, currency, day, cents."""
    return rows(
        db,
        f"""SELECT coalesce(col.name, c.owner, '{NO_COLLECTOR}') AS collector, p.currency,
          p.received_date AS day, sum(p.amount_cents) AS cents
        FROM payments p LEFT JOIN customers c ON c.id = p.customer_id
        LEFT JOIN collectors col ON col.id = c.owner
        WHERE p.received_date BETWEEN :start AND :today AND {booked_receipt()} AND p.currency <> :book
          AND (:collector IS NULL OR c.owner = :collector)
        GROUP BY c.owner, col.name, p.currency, p.received_date ORDER BY 1, 2, 3""",
        _params(today, collector, start=start.isoformat(), book=book),
    )
