"""Accounts: the facts the queue ranks them by, the open aging per account, one account's
record and contacts, and whom an account belongs to.

The queue's aggregates are computed in SQL with the owner index; each takes ``:today`` (ISO
date) so results never depend on the wall clock, and the ``collector`` variants also take
``:collector``.
"""

from datetime import date

from sqlite_utils import Database

from arctui.domain.aging import BUCKETS, bucket_case_sql
from arctui.domain.money import CURRENCY_EXPONENTS
from arctui.domain.score import score_sql
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
    return f"{alias}.owner = :collector" if collector else "1 = 1"


def open_items_sql(collector: bool, as_of: bool = False) -> str:
    """Open invoices of the collector's accounts (or the team's), each with its aging bucket.
    The accounts drive the join (CROSS JOIN keeps them the outer loop). ``as_of``: the book
    as it stood at the end of ``:today`` (``history.as_of_items_sql``), not today's balances."""
    if as_of:
        return as_of_items_sql(owned_by("c", collector))
    return f"""
  SELECT i.customer_id, i.open_cents, i.due_date,
         {bucket_case_sql("i.due_date", ":today")} AS bucket
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
  SELECT t.id FROM touchpoints t WHERE t.customer_id = c.id {touched}ORDER BY t.at DESC LIMIT 1)
LEFT JOIN promises op ON op.id = (
  SELECT p.id FROM promises p WHERE p.customer_id = c.id AND p.status = 'open'
    AND p.promised_date >= date(:today, '-30 days') AND {_PAST_GRACE} >= :today
  ORDER BY p.promised_date LIMIT 1)
WHERE {owned_by("c", collector)}
  AND (a.customer_id IS NOT NULL OR op.id IS NOT NULL OR mi.customer_id IS NOT NULL)
"""


def account_facts(db: Database, today: date, collector: str | None, as_of: bool = False) -> list[dict]:
    """``account_facts_sql``'s rows for ``collector``'s accounts (None: the whole team);
    ``as_of``: of the book as it stood at the end of ``today`` (the queue as of a past day).
    Of today's book, it is the from-scratch computation the kept ``account_facts`` table
    (schema 7) is proven against; the queue itself reads that table (``ranked_queue``)."""
    return rows(
        db, account_facts_sql(collector is not None, as_of), {"today": today.isoformat(), "collector": collector}
    )


_PAST_DUE = " + ".join(f"f.[{b}]" for b in BUCKETS[1:])


def facts_day(db: Database) -> str | None:
    """The day (ISO) ``account_facts`` holds the facts of; None while none are kept."""
    return value(db, "SELECT day FROM account_facts_state")


# 10 ** the account currency's exponent, for the past-due points in major units: most
# accounts are in a currency of two decimals, which the IN list tells at once
_OTHER_EXPONENTS = {code: places for code, places in sorted(CURRENCY_EXPONENTS.items()) if places != 2}
_UNIT = (
    f"CASE WHEN c.currency NOT IN ({', '.join(repr(code) for code in _OTHER_EXPONENTS)}) THEN 100 ELSE CASE c.currency "
    + " ".join(f"WHEN '{code}' THEN {10**places}" for code, places in _OTHER_EXPONENTS.items())
    + " END END"
)


def _unit_sql(units: dict[str, float]) -> str:
    """``_UNIT``, but ``units`` (currency: minor units per major unit of the book currency,
    from the day's rates) where a rate converts the account's currency."""
    if not units:
        return _UNIT
    cases = " ".join(f"WHEN '{code}' THEN {float(unit)!r}" for code, unit in sorted(units.items()))
    return f"CASE c.currency {cases} ELSE {_UNIT} END"


def ranked_queue_sql(collector: bool, units: dict[str, float] | None = None) -> str:
    """The queue from ``account_facts`` (which must hold ``:today``'s facts): accounts with
    something open, a promise inside its grace or a missed instalment, ranked by the score
    (``domain.score.score_sql``), past due and name; the first ``:limit`` (-1: all) with
    ``account_facts_sql``'s columns, the score and the unit it took (``_unit_sql``). The
    ranking sorts narrow rows (id and its keys); only the rows kept are read in full."""
    return f"""
WITH queued AS (
  SELECT c.id, c.name, c.credit_limit_cents, coalesce(col.cadence_days, 14) AS cadence_days,
    f.[1-30], f.[31-60], f.[61-90], f.[90+], f.exposure, f.promise_date, f.follow_up_date, f.broken_cents,
    f.disputed_cents, f.planned_cents, f.missed_cents,
    {_PAST_DUE} AS past_due_cents,
    CAST(julianday(:today) - julianday(substr(f.last_contact, 1, 10)) AS INTEGER) AS days_since_contact,
    {_unit_sql(units or {})} AS unit
  FROM customers c JOIN account_facts f ON f.customer_id = c.id
  LEFT JOIN collectors col ON col.id = c.owner
  WHERE {owned_by("c", collector)}
    AND (f.oldest_days IS NOT NULL OR f.promise_date IS NOT NULL OR f.missed_cents IS NOT NULL)
),
ranked AS (
  SELECT id, {score_sql()} AS score, past_due_cents, name, unit FROM queued
  ORDER BY score DESC, past_due_cents DESC, name, id LIMIT :limit
)
SELECT c.id, c.account_no, c.name, c.region, c.status, c.owner, c.currency, c.credit_limit_cents,
  coalesce(col.cadence_days, 14) AS cadence_days, f.*, r.score, r.unit
FROM ranked r JOIN customers c ON c.id = r.id JOIN account_facts f ON f.customer_id = r.id
LEFT JOIN collectors col ON col.id = c.owner
ORDER BY r.score DESC, r.past_due_cents DESC, r.name, r.id
"""


def ranked_queue(
    db: Database, today: date, collector: str | None, limit: int | None, units: dict[str, float] | None = None
) -> list[dict]:
    """``ranked_queue_sql``'s rows for ``collector`` (None: the whole team), the first ``limit``."""
    params = {"today": today.isoformat(), "collector": collector, "limit": -1 if limit is None else limit}
    return rows(db, ranked_queue_sql(collector is not None, units), params)


def open_aging_sql(collector: bool, as_of: bool = False) -> str:
    """The bare aggregate the queue rests on (the benchmark's yardstick): open cents per
    bucket per account (``customer_id`` and one column per bucket of ``BUCKETS``)."""
    return (
        f"SELECT customer_id, {_bucket_sums} FROM ({open_items_sql(collector, as_of)})"
        " GROUP BY customer_id ORDER BY customer_id"
    )


def open_aging(db: Database, today: date, collector: str | None, as_of: bool = False) -> list[dict]:
    """``open_aging_sql``'s rows: {customer_id, current, 1-30, ..., 90+} per account with an
    open balance, for ``collector``'s accounts (None: the whole team); ``as_of``: at the end
    of ``today`` as the book stood then."""
    return rows(db, open_aging_sql(collector is not None, as_of), {"today": today.isoformat(), "collector": collector})


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
