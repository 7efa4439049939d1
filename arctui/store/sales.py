"""Keeping ``sales_by_month`` (schema 14) through bulk loads.

The triggers add each invoice's amount to its account's month inside every writing
transaction. An import of many invoices sets them aside while it merges and refreshes the
accounts it touched in one statement at its end (``set_aside``): a row-by-row upsert would
cost a bulk load a lookup per row. Like ``account_facts``, the table is derived from the
ledger, so its upkeep is not audited.
"""

from contextlib import contextmanager

from sqlite_utils import Database

FRESH_SQL = """SELECT customer_id, currency, substr(issue_date, 1, 7) AS month, sum(amount_cents) AS cents
FROM invoices {where} GROUP BY customer_id, currency, month"""
"""``sales_by_month`` computed from scratch (``{where}``: a WHERE clause on invoices, or nothing)."""


@contextmanager
def set_aside(db: Database, accounts_sql: str, params=()):
    """Inside the caller's write transaction: the triggers stand aside while the block loads,
    then the months of the accounts ``accounts_sql`` selects (their ids) are computed again
    in one statement. A failed block rolls the caller's transaction back, the flag with it."""
    db.execute("UPDATE sales_by_month_state SET kept = 0")
    yield
    accounts = f"WHERE customer_id IN ({accounts_sql})"
    db.execute(f"DELETE FROM sales_by_month {accounts}", params)
    db.execute(
        f"INSERT INTO sales_by_month (customer_id, currency, month, cents) {FRESH_SQL.format(where=accounts)}", params
    )
    db.execute("UPDATE sales_by_month_state SET kept = 1")
