"""The book as it stood at the end of a past day: the one definition every ``--as-of`` uses.

An invoice is on the book at day D when it was issued on or before D; its open amount at D is

    amount − cash applied to it with a value date ≤ D − credit memos posted against it ≤ D

(``payment_applications.applied_date`` is the application's value date: a bank receipt
applied by an import carries its received date, a collector's application the day it is made).

An invoice whose balance the database cannot explain by its own applications and memos (an
ERP export that brought an invoice already part-paid or paid, with no payment history) keeps
that unexplained settlement too: dated on its ``closed_date`` when it is closed, else on its
issue date (the export's open amount is then the open amount from the day it was issued).
On a book whose every settlement is recorded this part is zero and the formula above is exact.

``as_of_items_sql`` replaces ``accounts.open_items_sql`` for a past day: same columns, with
``:today`` as the day D. The current-balance path never reads this module.
"""

from sqlite_utils import Database

from arctui.domain.aging import STANDARD, AgingBuckets
from arctui.store.read import value


# cash applied and memos posted against invoice ``i`` on or before (``<=``) or after (``>``) :today
def _applied(op: str) -> str:
    return f"""coalesce((SELECT sum(a.amount_cents) FROM payment_applications a
      WHERE a.invoice_id = i.id AND a.kind = 'apply' AND a.applied_date {op} :today), 0)"""


def _credited(op: str) -> str:
    return f"""coalesce((SELECT sum(m.amount_cents) FROM credit_memos m
      WHERE m.invoice_id = i.id AND m.status = 'posted' AND substr(m.posted_at, 1, 10) {op} :today), 0)"""


def book_sql(owned: str = "1 = 1") -> str:
    """Every invoice issued on or before ``:today`` that may be open at the end of that day,
    with its open cents then (``open_at``), of the accounts ``owned`` keeps (WHERE text over
    ``c``, the customers): columns id, customer_id, currency, issue_date, due_date,
    amount_cents, open_at.

    The module's definition, computed the cheap way round for each invoice: one closed after
    the day is its amount less what was dated by then; any other is its balance now plus what
    was dated after the day (the unexplained settlement cancels out: it is dated by then). An
    invoice closed on or before the day is settled by then (its closed date is its last
    application's or memo's) and is not read at all."""
    return f"""
  SELECT i.id, i.customer_id, i.currency, i.issue_date, i.due_date, i.amount_cents,
    CASE WHEN i.open_cents = 0 AND i.closed_date > :today
      THEN i.amount_cents - {_applied("<=")} - {_credited("<=")}
      ELSE i.open_cents + {_applied(">")} + {_credited(">")} END AS open_at
  FROM customers c CROSS JOIN invoices i ON i.customer_id = c.id AND i.issue_date <= :today
    AND (i.open_cents <> 0 OR i.closed_date IS NULL OR i.closed_date > :today)
  WHERE {owned}"""


def as_of_items_sql(owned: str = "1 = 1", buckets: AgingBuckets = STANDARD) -> str:
    """The invoices open at the end of ``:today`` with their bucket of ``buckets`` on that
    day: the columns of ``accounts.open_items_sql`` (customer_id, open_cents, due_date,
    bucket) and the invoice's currency."""
    # materialised, so each invoice's sums are looked up once (not again for the WHERE)
    return f"""
  WITH b AS MATERIALIZED ({book_sql(owned)})
  SELECT b.customer_id, b.currency, b.open_at AS open_cents, b.due_date,
         {buckets.case_sql("b.due_date", ":today")} AS bucket
  FROM b WHERE b.open_at <> 0"""


def last_settled_date(db: Database, invoice_id: int) -> str | None:
    """The latest value date of the cash applied and the memos posted against the invoice."""
    return value(
        db,
        """SELECT max(d) FROM (
          SELECT max(applied_date) AS d FROM payment_applications WHERE invoice_id = :id AND kind = 'apply'
          UNION ALL SELECT max(substr(posted_at, 1, 10)) FROM credit_memos
          WHERE invoice_id = :id AND status = 'posted') AS settled""",
        {"id": invoice_id},
    )
