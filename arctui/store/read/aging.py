"""The book's aging buckets (``book_settings`` key ``aging_buckets``) and the aging of a few
accounts in them: what the queue's rows on screen and the client header show.

The queue ranks from ``account_facts``, which keep the standard buckets (the score's bands);
the book's buckets of the accounts shown are read here from the ``invoices_open`` index.
"""

from datetime import date

from sqlite_utils import Database

from arctui.domain.aging import STANDARD, AgingBuckets
from arctui.store.errors import StoreError
from arctui.store.read import first, open_invoice, rows
from arctui.store.read.rates import book_setting

AGING_BUCKETS = "aging_buckets"
"""The ``book_settings`` key of the book's buckets: their bounds, "0,15,30,60,90,120"."""


def buckets_setting(db: Database) -> dict | None:
    """The setting as stored (value, updated_by, updated_at); None while the book has the standard buckets."""
    return first(db, "SELECT value, updated_by, updated_at FROM book_settings WHERE key = ?", [AGING_BUCKETS])


def book_buckets(db: Database) -> AgingBuckets:
    """The buckets a manager set for the book; the standard ones until then."""
    text = book_setting(db, AGING_BUCKETS)
    if text is None:
        return STANDARD
    try:
        return AgingBuckets.parse(text)
    except ValueError as exc:  # only a hand edit of the file stores a bad value
        raise StoreError(
            f"the book's aging buckets {text!r} are not valid ({exc}); a manager sets them with `arctui aging set`"
        ) from None


def account_aging(db: Database, today: date, customer_ids, buckets: AgingBuckets) -> dict[int, dict[str, int]]:
    """Open cents per bucket of ``buckets`` on ``today`` for each of ``customer_ids`` (a few:
    the rows on screen) that has open invoices; every bucket is present."""
    ids = list(customer_ids)
    if not ids:
        return {}
    params = {f"id{n}": customer_id for n, customer_id in enumerate(ids)}
    found = rows(
        db,
        f"SELECT customer_id, {buckets.sums_sql('open_cents')} FROM ("
        f" SELECT i.customer_id, i.open_cents, {buckets.case_sql('i.due_date', 'today')} AS bucket"
        f" FROM invoices i WHERE i.customer_id IN ({', '.join(':' + key for key in params)}) AND {open_invoice('i')}"
        ") GROUP BY customer_id",
        {"today": today.isoformat(), **params},
    )
    return {r.pop("customer_id"): r for r in found}


def in_bucket_sql(name: str, today: date, buckets: AgingBuckets, alias: str = "i") -> tuple[str, dict]:
    """(WHERE text, its parameters) keeping invoice ``alias`` when it is in bucket ``name`` on
    ``today``: a due-date range the ``invoices_open_due`` index reads. ValueError for a bucket
    the book has not."""
    earliest, latest = buckets.due_range(name, today)
    clauses, params = [], {}
    if earliest:  # a bound only where there is one, so an open-ended bucket stays one range
        clauses.append(f"{alias}.due_date >= :earliest")
        params["earliest"] = earliest
    if latest:
        clauses.append(f"{alias}.due_date <= :latest")
        params["latest"] = latest
    return " AND ".join(clauses), params


def accounts_in_bucket(db: Database, today: date, name: str, buckets: AgingBuckets) -> set[int]:
    """The accounts with open cents in bucket ``name`` on ``today`` (their invoices there do
    not cancel out): the queue's bucket filter. ValueError for a bucket the book has not."""
    where, params = in_bucket_sql(name, today, buckets)
    found = rows(
        db,
        f"SELECT customer_id FROM invoices i WHERE {open_invoice('i')} AND {where}"
        " GROUP BY customer_id HAVING sum(open_cents) <> 0",
        params,
    )
    return {r["customer_id"] for r in found}
