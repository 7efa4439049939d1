"""Keeping ``sales_by_month`` and ``sales_by_day`` (schemas 14 and 16) through bulk loads.

The triggers add each invoice's amount to its account's month and to its currency's day
inside every writing transaction. An import sets their row-by-row insert aside while it
merges and adds its new invoices in one statement per table at its end (``set_aside``): an
upsert per row would cost a bulk load a lookup per row. Updates and deletes stay kept as
they happen. Like ``account_facts``, the tables are derived from the ledger, so their
upkeep is not audited.
"""

from contextlib import contextmanager

from sqlite_utils import Database


def _adding(table: str, key: str) -> str:
    """The upsert that adds a row's cents to the one already there (both engines' syntax)."""
    return f"ON CONFLICT ({key}) DO UPDATE SET cents = {table}.cents + excluded.cents"


@contextmanager
def set_aside(db: Database, last_id: int, summed: tuple[list, list] | None = None):
    """Inside the caller's write transaction: the invoices the block inserts (rowid above
    ``last_id``) are added at its end: ``summed`` already, (customer, currency, month, cents)
    and (currency, day, cents) in key order (an import sums its staged rows before it takes
    the lock), else grouped from the table. There they are read by rowid (NOT INDEXED: the
    (customer, issue date) index would read them in another order, each row a seek). A failed
    block rolls the caller's transaction back, the flag with it."""
    db.execute("UPDATE sales_by_month_state SET kept = 0")
    yield
    if summed is not None:
        months, days = summed
        db.conn.executemany(
            "INSERT INTO sales_by_month (customer_id, currency, month, cents) VALUES (?, ?, ?, ?) "
            + _adding("sales_by_month", "customer_id, currency, month"),
            months,
        )
        db.conn.executemany(
            "INSERT INTO sales_by_day (currency, day, cents) VALUES (?, ?, ?) "
            + _adding("sales_by_day", "currency, day"),
            days,
        )
    else:
        db.execute(
            "INSERT INTO sales_by_month (customer_id, currency, month, cents)"
            " SELECT customer_id, currency, substr(issue_date, 1, 7), sum(amount_cents) FROM invoices NOT INDEXED"
            " WHERE rowid > ? GROUP BY 1, 2, 3 " + _adding("sales_by_month", "customer_id, currency, month"),
            [last_id],
        )
        db.execute(
            "INSERT INTO sales_by_day (currency, day, cents)"
            " SELECT currency, issue_date, sum(amount_cents) FROM invoices NOT INDEXED"
            " WHERE rowid > ? GROUP BY 1, 2 " + _adding("sales_by_day", "currency, day"),
            [last_id],
        )
    db.execute("UPDATE sales_by_month_state SET kept = 1")
