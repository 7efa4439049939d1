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

from arctui.domain.aging import bucket_case_sql
from arctui.store.read import value

# the cents applied / credited per invoice: everything, and the part dated on or before :today
_APPLIED = """
  SELECT invoice_id, sum(amount_cents) AS total,
         sum(CASE WHEN applied_date <= :today THEN amount_cents ELSE 0 END) AS upto
  FROM payment_applications WHERE kind = 'apply' AND invoice_id IS NOT NULL GROUP BY invoice_id"""
_CREDITED = """
  SELECT invoice_id, sum(amount_cents) AS total,
         sum(CASE WHEN substr(posted_at, 1, 10) <= :today THEN amount_cents ELSE 0 END) AS upto
  FROM credit_memos WHERE status = 'posted' AND invoice_id IS NOT NULL GROUP BY invoice_id"""

# settled outside the database (see the module's text), and the day that counts for it
_UNRECORDED = "(i.amount_cents - i.open_cents - coalesce(ap.total, 0) - coalesce(cr.total, 0))"
_UNRECORDED_DAY = "(CASE WHEN i.open_cents = 0 AND i.closed_date IS NOT NULL THEN i.closed_date ELSE i.issue_date END)"


def book_sql(owned: str = "1") -> str:
    """Every invoice issued on or before ``:today`` with its open cents at the end of that day
    (``open_at``), of the accounts ``owned`` keeps (WHERE text over ``c``, the customers):
    columns id, customer_id, currency, issue_date, due_date, amount_cents, open_at."""
    return f"""
  SELECT i.id, i.customer_id, i.currency, i.issue_date, i.due_date, i.amount_cents,
    i.amount_cents - coalesce(ap.upto, 0) - coalesce(cr.upto, 0)
      - CASE WHEN {_UNRECORDED_DAY} <= :today THEN {_UNRECORDED} ELSE 0 END AS open_at
  FROM customers c CROSS JOIN invoices i ON i.customer_id = c.id AND i.issue_date <= :today
  LEFT JOIN ({_APPLIED}) ap ON ap.invoice_id = i.id
  LEFT JOIN ({_CREDITED}) cr ON cr.invoice_id = i.id
  WHERE {owned}"""


def as_of_items_sql(owned: str = "1") -> str:
    """The invoices open at the end of ``:today`` with their aging bucket on that day: the
    columns of ``accounts.open_items_sql`` (customer_id, open_cents, due_date, bucket)."""
    return f"""
  SELECT b.customer_id, b.open_at AS open_cents, b.due_date,
         {bucket_case_sql("b.due_date", ":today")} AS bucket
  FROM ({book_sql(owned)}) b WHERE b.open_at <> 0"""


def last_settled_date(db: Database, invoice_id: int) -> str | None:
    """The latest value date of the cash applied and the memos posted against the invoice."""
    return value(
        db,
        """SELECT max(d) FROM (
          SELECT max(applied_date) AS d FROM payment_applications WHERE invoice_id = :id AND kind = 'apply'
          UNION ALL SELECT max(substr(posted_at, 1, 10)) FROM credit_memos
          WHERE invoice_id = :id AND status = 'posted')""",
        {"id": invoice_id},
    )
