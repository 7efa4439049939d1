"""Accounts: the facts the queue ranks them by, the open aging per account, one account's
record and contacts, and whom an account belongs to.

The queue's aggregates are computed in SQL with the owner index; each takes ``:today`` (ISO
date) so results never depend on the wall clock, and the ``collector`` variants also take
``:collector``.
"""

from datetime import date

from sqlite_utils import Database

from arctui.domain.aging import BUCKETS, STANDARD, AgingBuckets
from arctui.domain.text import normalise_identifier
from arctui.store.read import booked_receipt, first, open_invoice, owed_invoice, rows, value
from arctui.store.read.history import as_of_items_sql

MISSED_INSTALMENT_GRACE_DAYS = 3
BROKEN_PROMISE_LOOKBACK_DAYS = 30

_bucket_sums = ",\n    ".join(f"sum(CASE WHEN bucket = '{b}' THEN open_cents ELSE 0 END) AS [{b}]" for b in BUCKETS)


def owned_by(alias: str, collector: bool) -> str:
    """WHERE text keeping the collector's accounts (``:collector``), or all of them."""
    # two texts rather than "(:collector IS NULL OR ...)", which would keep SQLite off the
    # owner index and make one collector's queue cost as much as the whole team's
    return f"{alias}.owner = :collector" if collector else "1"


def open_items_sql(collector: bool, as_of: bool = False, buckets: AgingBuckets = STANDARD) -> str:
    """Open invoices of the collector's accounts (or the team's), each with its bucket of
    ``buckets`` (the standard ones: the score's bands). The accounts drive the join (CROSS
    JOIN keeps them the outer loop). ``as_of``: the book as it stood at the end of ``:today``
    (``history.as_of_items_sql``), not today's balances."""
    if as_of:
        return as_of_items_sql(owned_by("c", collector), buckets)
    return f"""
  SELECT i.customer_id, i.open_cents, i.due_date,
         {buckets.case_sql("i.due_date", ":today")} AS bucket
  FROM customers c CROSS JOIN invoices i ON i.customer_id = c.id AND {open_invoice("i")}
  WHERE {owned_by("c", collector)}
"""


# the last day of an open promise's grace; past it, the promise is as good as judged
_PAST_GRACE = "date(p.promised_date, '+' || p.grace_days || ' days')"


def account_facts_sql(collector: bool, as_of: bool = False) -> str:
    """One row per account with an open balance, a due promise or a missed instalment.

    An open promise counts once: inside its grace days as the promise due (``promise_date``),
    past them, before ``arctui promises settle`` has judged it, as broken (``broken_cents``)
    when nothing was received from the account in its window, as settling would judge it
    (and as nothing when cash came in: settling makes it kept or partial).

    ``as_of``: the balances and aging of the book at the end of ``:today`` (history) and the
    last touchpoint made by then; promises, plans and disputes are read as they are now."""
    touched = "AND t.at < date(:today, '+1 day') " if as_of else ""
    return f"""
WITH aged AS (
  SELECT customer_id,
    {_bucket_sums},
    sum(open_cents) AS exposure,
    CAST(julianday(:today) - julianday(min(due_date)) AS INTEGER) AS oldest_days
  FROM ({open_items_sql(collector, as_of)}) GROUP BY customer_id
),
missed AS (
  SELECT p.customer_id, sum(n.amount_cents - n.paid_cents) AS missed_cents,
         min(n.due_date) AS missed_date
  FROM customers c JOIN payment_plans p ON p.customer_id = c.id AND p.status = 'active'
  JOIN plan_instalments n ON n.plan_id = p.id
  WHERE {owned_by("c", collector)} AND n.paid_cents < n.amount_cents
    AND n.due_date < date(:today, '-{MISSED_INSTALMENT_GRACE_DAYS} days')
  GROUP BY p.customer_id
)
SELECT c.id, c.account_no, c.name, c.region, c.status, c.owner, c.currency,
  c.credit_limit_cents, coalesce(col.cadence_days, 14) AS cadence_days,
  {", ".join(f"coalesce(a.[{b}], 0) AS [{b}]" for b in BUCKETS)},
  coalesce(a.exposure, 0) AS exposure, a.oldest_days,
  lt.at AS last_contact, lt.follow_up_date,
  op.promised_date AS promise_date, coalesce(op.amount_cents, 0) AS promise_cents,
  (SELECT coalesce(sum(p.amount_cents - p.paid_cents), 0) FROM promises p
     WHERE p.customer_id = c.id AND (
       (p.status = 'broken' AND p.resolved_date >= date(:today, '-{BROKEN_PROMISE_LOOKBACK_DAYS} days'))
       OR (p.status = 'open' AND {_PAST_GRACE} < :today AND NOT EXISTS (
         SELECT 1 FROM payments r WHERE r.customer_id = p.customer_id AND r.currency = c.currency
           AND {booked_receipt("r")}
           AND r.received_date BETWEEN substr(p.created_at, 1, 10) AND {_PAST_GRACE})))
  ) AS broken_cents,
  (SELECT coalesce(sum(d.amount_cents), 0) FROM disputes d
     WHERE d.customer_id = c.id AND d.status = 'open') AS disputed_cents,
  (SELECT coalesce(sum(i.open_cents), 0) FROM payment_plans p
     JOIN plan_invoices pi ON pi.plan_id = p.id JOIN invoices i ON i.id = pi.invoice_id
     WHERE p.customer_id = c.id AND p.status = 'active' AND {owed_invoice("i")}
       AND i.due_date < :today) AS planned_cents,
  mi.missed_cents, mi.missed_date
FROM customers c
LEFT JOIN aged a ON a.customer_id = c.id
LEFT JOIN missed mi ON mi.customer_id = c.id
LEFT JOIN collectors col ON col.id = c.owner
LEFT JOIN touchpoints lt ON lt.id = (
  SELECT t.id FROM touchpoints t WHERE t.customer_id = c.id {touched}ORDER BY t.at DESC, t.id DESC LIMIT 1)
LEFT JOIN promises op ON op.id = (
  SELECT p.id FROM promises p WHERE p.customer_id = c.id AND p.status = 'open'
    AND p.promised_date >= date(:today, '-30 days') AND {_PAST_GRACE} >= :today
  ORDER BY p.promised_date, p.id LIMIT 1)
WHERE {owned_by("c", collector)}
  AND (a.customer_id IS NOT NULL OR op.id IS NOT NULL OR mi.customer_id IS NOT NULL)
"""


def account_facts(db: Database, today: date, collector: str | None, as_of: bool = False) -> list[dict]:
    """``account_facts_sql``'s rows for ``collector``'s accounts (None: the whole team);
    ``as_of``: of the book as it stood at the end of ``today`` (the queue as of a past day).
    Of today's book, it is the from-scratch computation the kept ``account_facts`` table
    (schema 7) is proven against; the queue itself reads that table (``store.read.queue``)."""
    return rows(
        db, account_facts_sql(collector is not None, as_of), {"today": today.isoformat(), "collector": collector}
    )


def facts_day(db: Database) -> str | None:
    """The day (ISO) ``account_facts`` holds the facts of; None while none are kept."""
    return value(db, "SELECT day FROM account_facts_state")


def open_aging_sql(collector: bool, as_of: bool = False, buckets: AgingBuckets = STANDARD) -> str:
    """The bare aggregate the queue rests on (the benchmark's yardstick): open cents per
    bucket per account (``customer_id`` and one column per bucket of ``buckets``)."""
    sums = buckets.sums_sql("open_cents")
    return f"SELECT customer_id, {sums} FROM ({open_items_sql(collector, as_of, buckets)}) GROUP BY customer_id"


def open_aging(
    db: Database, today: date, collector: str | None, as_of: bool = False, buckets: AgingBuckets = STANDARD
) -> list[dict]:
    """``open_aging_sql``'s rows: {customer_id, current, 1-30, ..., 90+} per account with an
    open balance (``buckets``' names), for ``collector``'s accounts (None: the whole team);
    ``as_of``: at the end of ``today`` as the book stood then."""
    params = {"today": today.isoformat(), "collector": collector}
    return rows(db, open_aging_sql(collector is not None, as_of, buckets), params)


def customer(db: Database, customer_id: int) -> dict | None:
    """The account's row, or None."""
    return first(db, "SELECT * FROM customers WHERE id = ?", [customer_id])


def customer_id_by_account_no(db: Database, account_no: str) -> int | None:
    """The account numbered ``account_no`` as it looks (keys are stored normalised)."""
    return value(db, "SELECT id FROM customers WHERE account_no = ?", [normalise_identifier(account_no)])


def contacts(db: Database, customer_id: int) -> list[dict]:
    """The account's contacts, the primary one first."""
    return rows(db, "SELECT * FROM contacts WHERE customer_id = ? ORDER BY is_primary DESC, name", [customer_id])


def owns_accounts(db: Database, collector_id: str) -> bool:
    """Whether the collector has at least one account in their portfolio."""
    return value(db, "SELECT 1 FROM customers WHERE owner = ? LIMIT 1", [collector_id]) is not None
