"""What an import checks its records against: the accounts and collectors it may name, and
the rows already in the table it loads (keyed, to tell new from changed from unchanged)."""

import json
from collections.abc import Iterator

from sqlite_utils import Database

from arctui.store.read import rows, value


def account_keys(db: Database) -> list[dict]:
    """id, account_no, currency and terms_days of every customer."""
    return rows(db, "SELECT id, account_no, currency, terms_days FROM customers")


def collector_ids(db: Database) -> set[str]:
    """The ids of every collector, active or not (an account may be owned by either)."""
    return {row["id"] for row in rows(db, "SELECT id FROM collectors")}


def last_id(db: Database, table: str) -> int:
    """The highest row id of ``table`` (0 when empty): an import's new rows are those above it.
    Row ids, not ``id`` columns: a table keyed by other columns (fx_rates) has them too."""
    return value(db, f"SELECT max(rowid) FROM [{table}]", default=0)


def table_values(db: Database, table: str, columns: tuple[str, ...]) -> Iterator[tuple]:
    """``(row id, *columns)`` of every row of ``table``, streamed as tuples: a book holds a
    million invoices, and an import reads them all once, so no dict per row."""
    return db.execute(f"SELECT rowid, {', '.join(columns)} FROM [{table}]")


def row_values(db: Database, table: str, columns: tuple[str, ...], row_id: int) -> tuple | None:
    """``columns`` of the row ``row_id`` of ``table`` as a tuple, or None."""
    return db.execute(f"SELECT {', '.join(columns)} FROM [{table}] WHERE rowid = ?", [row_id]).fetchone()


def rows_by_key(db: Database, table: str, column: str, columns: tuple[str, ...], keys: list[str]) -> Iterator[tuple]:
    """``(row id, *columns)`` of the rows of ``table`` whose ``column`` is one of ``keys``: a
    seek each on the column's unique index (an import looks its lines up a chunk at a time
    instead of holding a map of every row of a million-row table)."""
    return db.execute(
        f"SELECT rowid, {', '.join(columns)} FROM [{table}] WHERE [{column}] IN (SELECT value FROM json_each(?))",
        [json.dumps(keys)],
    )


def rows_spelt_otherwise(db: Database, table: str, column: str, columns: tuple[str, ...]) -> Iterator[tuple]:
    """``(row id, *columns)`` of the rows whose ``column`` may not be spelt as its key: any
    character outside printable ASCII, two spaces running or white space around it (keys
    stored before identifiers were normalised; ``arctui.domain.text.normalise_identifier``
    leaves every other spelling as it is)."""
    return db.execute(
        f"SELECT rowid, {', '.join(columns)} FROM [{table}] WHERE [{column}] GLOB '*[^ -~]*'"
        f" OR [{column}] GLOB '*  *' OR [{column}] GLOB ' *' OR [{column}] GLOB '* '",
    )


def staged_sales(db: Database, stages: list[str]) -> tuple[list[tuple], list[tuple]]:
    """The credit sales of the invoices staged in ``stages`` (temporary tables): (customer id,
    currency, month, cents) and (currency, day, cents), each in key order."""
    staged = " UNION ALL ".join(f"SELECT customer_id, currency, issue_date, amount_cents FROM {t}" for t in stages)
    months = db.execute(
        f"SELECT customer_id, currency, substr(issue_date, 1, 7), sum(amount_cents) FROM ({staged})"
        " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
    ).fetchall()
    days = db.execute(
        f"SELECT currency, issue_date, sum(amount_cents) FROM ({staged}) GROUP BY 1, 2 ORDER BY 1, 2"
    ).fetchall()
    return months, days
