"""Invoices: the open ones one window at a time with the filters the console offers, an
account's owed invoices (what its promises, disputes and plans may cover), payment trend.

The invoice view is virtual: it asks for the rows on screen only (``LIMIT``/``OFFSET``) and
for the count, so its cost does not grow with the book. The default order (due date, oldest
first) walks the ``invoices_open_due`` partial index; a bucket filter (of the book's buckets,
``aging.book_buckets``) becomes a due-date range on that index.
"""

from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from arctui.store.read import first, open_invoice, owed_invoice, rows, value
from arctui.store.read.aging import book_buckets, in_bucket_sql

# sort key -> ORDER BY; each ends in a unique column so pages never overlap
SORTS = {
    "due": "i.due_date, i.customer_id, i.id",
    "amount": "i.open_cents, i.id",
    "customer": "c.name, i.due_date, i.id",
    "number": "i.number",
    "issued": "i.issue_date, i.id",
}
FILTER_FIELDS = ("bucket", "region", "status", "collector")


@dataclass(frozen=True)
class InvoiceFilter:
    """What the open-invoice list is narrowed to; empty fields do not filter."""

    text: str = ""  # part of a customer name or account number, or an invoice number's start
    bucket: str | None = None
    region: str | None = None
    status: str | None = None
    collector: str | None = None
    customer_id: int | None = None


@dataclass(frozen=True)
class InvoiceRow:
    id: int
    number: str
    customer_id: int
    account_no: str
    customer_name: str
    region: str | None
    status: str
    owner: str | None
    issue_date: str
    due_date: str
    currency: str
    amount_cents: int
    open_cents: int
    days_past_due: int
    bucket: str


_CUSTOMERS_LIKE = "SELECT id FROM customers WHERE name LIKE :like ESCAPE '\\' OR account_no LIKE :like ESCAPE '\\'"


def text_pattern(text: str) -> tuple[str, str]:
    """(LIKE pattern for names and accounts, GLOB pattern for an invoice number's start)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    glob = "".join(f"[{c}]" if c in "*?[]" else c for c in text.upper())
    return f"%{escaped}%", f"{glob}*"


def _where(db: Database, flt: InvoiceFilter, today: date) -> tuple[str, dict]:
    clauses, params = [open_invoice("i")], {"today": today.isoformat()}
    if flt.customer_id is not None:
        clauses.append("i.customer_id = :customer_id")
        params["customer_id"] = flt.customer_id
    if flt.bucket:  # a bucket of the book's
        in_bucket, bucket_params = in_bucket_sql(flt.bucket, today, book_buckets(db))
        clauses.append(in_bucket)
        params.update(bucket_params)
    for name, column in (("region", "c.region"), ("status", "c.status"), ("collector", "c.owner")):
        value = getattr(flt, name)
        if value:
            clauses.append(f"{column} = :{name}")
            params[name] = value
    if flt.text.strip():
        params["like"], params["glob"] = text_pattern(flt.text.strip())
        # two indexed lookups (the customers matching, invoice numbers by prefix), not a scan
        clauses.append(f"(i.customer_id IN ({_CUSTOMERS_LIKE}) OR i.number GLOB :glob)")
    return " AND ".join(clauses), params


_FROM = "FROM invoices i JOIN customers c ON c.id = i.customer_id"


def count_open(db: Database, today: date, flt: InvoiceFilter = InvoiceFilter()) -> int:
    where, params = _where(db, flt, today)
    return value(db, f"SELECT count(*) {_FROM} WHERE {where}", params, 0)


def open_invoices(
    db: Database,
    today: date,
    flt: InvoiceFilter = InvoiceFilter(),
    *,
    sort: str = "due",
    descending: bool = False,
    offset: int = 0,
    limit: int = 100,
    total: int | None = None,
) -> list[InvoiceRow]:
    """One window of open invoices in ``sort`` order (see SORTS).

    Given ``total`` (count_open's answer), a window in the second half is read from the
    other end, so jumping to the last rows costs what the first rows cost.
    """
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; expected one of {', '.join(SORTS)}")
    if total is not None and offset > total // 2:
        end = min(offset + limit, total)
        window = open_invoices(
            db, today, flt, sort=sort, descending=not descending, offset=total - end, limit=end - offset
        )
        return window[::-1]
    where, params = _where(db, flt, today)
    order = SORTS[sort]
    if descending:
        order = ", ".join(f"{column} DESC" for column in order.split(", "))
    sql = (
        "SELECT i.id, i.number, i.customer_id, c.account_no, c.name AS customer_name, c.region,"
        " c.status, c.owner, i.issue_date, i.due_date, i.currency, i.amount_cents, i.open_cents,"
        " CAST(julianday(:today) - julianday(i.due_date) AS INTEGER) AS days_past_due,"
        f" {book_buckets(db).case_sql('i.due_date', 'today')} AS bucket"
        f" {_FROM} WHERE {where} ORDER BY {order} LIMIT :limit OFFSET :offset"
    )
    return [InvoiceRow(**row) for row in rows(db, sql, {**params, "limit": limit, "offset": offset})]


def position_of(
    db: Database,
    today: date,
    invoice_id: int,
    flt: InvoiceFilter = InvoiceFilter(),
    *,
    sort: str = "due",
    descending: bool = False,
) -> int | None:
    """Where ``invoice_id`` stands in open_invoices' order; None when it no longer matches
    (paid, or out of the filter). Lets a refreshed view keep its cursor on the same invoice."""
    where, params = _where(db, flt, today)
    columns = SORTS[sort]
    found = first(
        db, f"SELECT {columns} {_FROM} WHERE {where} AND i.id = :invoice_id", {**params, "invoice_id": invoice_id}
    )
    if found is None:
        return None
    keys = {f"k{n}": key for n, key in enumerate(found.values())}
    before = ">" if descending else "<"
    sql = f"SELECT count(*) {_FROM} WHERE {where} AND ({columns}) {before} ({', '.join(':' + k for k in keys)})"
    return value(db, sql, {**params, **keys}, 0)


def filter_choices(db: Database) -> dict[str, list[str]]:
    """The values each filter field can take in this book (its aging buckets, regions, statuses, collectors)."""

    def column(sql: str) -> list[str]:
        return [row["v"] for row in rows(db, sql)]

    return {
        "bucket": list(book_buckets(db).names),
        "region": column("SELECT DISTINCT region AS v FROM customers WHERE region IS NOT NULL ORDER BY 1"),
        "status": column("SELECT DISTINCT status AS v FROM customers ORDER BY 1"),
        "collector": column("SELECT id AS v FROM collectors ORDER BY id"),
    }


def customers_matching(db: Database, text: str) -> set[int]:
    """Customers whose name or account holds ``text``, or with an invoice number starting so."""
    like, glob = text_pattern(text.strip())
    found = rows(
        db,
        f"{_CUSTOMERS_LIKE} UNION SELECT customer_id FROM invoices WHERE number GLOB :glob",
        {"like": like, "glob": glob},
    )
    return {row["id"] for row in found}


@dataclass(frozen=True)
class PaymentTrend:
    days_late: list[int]  # per paid invoice, oldest first (negative: paid early)
    average: float | None  # None when nothing has been paid yet


def payment_trend(db: Database, customer_id: int, invoices: int = 12) -> PaymentTrend:
    """Days late of the customer's last ``invoices`` paid invoices, and their average."""
    paid = rows(
        db,
        "SELECT CAST(julianday(closed_date) - julianday(due_date) AS INTEGER) AS late"
        " FROM invoices WHERE customer_id = ? AND open_cents = 0 AND closed_date IS NOT NULL"
        " ORDER BY closed_date DESC, id DESC LIMIT ?",
        [customer_id, invoices],
    )
    late = [row["late"] for row in reversed(paid)]
    return PaymentTrend(late, round(sum(late) / len(late), 1) if late else None)


def owed_invoices(db: Database, customer_id: int) -> list[dict]:
    """The account's invoices it still owes money on (``owed_invoice``), oldest due first:
    what a promise, a dispute or a payment plan may cover."""
    return rows(
        db,
        "SELECT id, number, due_date, currency, amount_cents, open_cents, version"
        f" FROM invoices i WHERE customer_id = ? AND {owed_invoice('i')}"
        " ORDER BY due_date, number",
        [customer_id],
    )


def owed_cents(db: Database, customer_id: int, invoice_ids=()) -> int:
    """What the account owes on ``invoice_ids`` (all its owed invoices when none is named)."""
    sql = f"SELECT sum(open_cents) FROM invoices i WHERE customer_id = ? AND {owed_invoice('i')}"
    params = [customer_id]
    if invoice_ids:
        sql += f" AND id IN ({', '.join('?' * len(invoice_ids))})"
        params += list(invoice_ids)
    return value(db, sql, params, 0)
