"""The database file itself: where it is, whether another connection has committed, and
what a copy of it holds (integrity, tables, rows)."""

from sqlite_utils import Database

from arctui.store.postgresql import is_postgresql
from arctui.store.read import rows, value


def path_of(db: Database) -> str:
    """The file behind the connection (a PostgreSQL book: its URL)."""
    if is_postgresql(db):
        return db.url
    return next(r["file"] for r in rows(db, "PRAGMA database_list") if r["name"] == "main")


def data_version(db: Database) -> int:
    """A number that changes when another connection commits to the file (SQLite's
    ``data_version``): how an open console notices colleagues' saves. On PostgreSQL, the next
    transaction id: it moves whenever anyone writes (our own commits too: one refresh more)."""
    if is_postgresql(db):
        return value(db, "SELECT CAST(CAST(pg_snapshot_xmax(pg_current_snapshot()) AS text) AS bigint)")
    return value(db, "PRAGMA data_version")


def integrity_problems(db: Database) -> list[str]:
    """What SQLite's integrity check finds wrong; empty when the file is sound."""
    found = [r["integrity_check"] for r in rows(db, "PRAGMA integrity_check")]
    return [] if found == ["ok"] else found


def row_counts(db: Database) -> dict[str, int]:
    """Rows in each table of the file (SQLite's own tables left out)."""
    return {table: db.table(table).count for table in db.table_names() if not table.startswith("sqlite_")}


def ledger_totals(db: Database) -> list[dict]:
    """The ledger's totals (rows, amounts, what is open) per table and currency or state: two
    books holding the same ledger answer the same."""
    return rows(
        db,
        """SELECT 'invoices' AS ledger, currency AS kind, count(*) AS n, sum(amount_cents) AS cents,
                  sum(open_cents) AS open_cents FROM invoices GROUP BY currency
        UNION ALL SELECT 'payments', currency || ' ' || state, count(*), sum(amount_cents), sum(unapplied_cents)
                  FROM payments GROUP BY currency, state
        UNION ALL SELECT 'applications', kind, count(*), sum(amount_cents), 0 FROM payment_applications GROUP BY kind
        UNION ALL SELECT 'credit memos', currency || ' ' || status, count(*), sum(amount_cents), 0
                  FROM credit_memos GROUP BY currency, status
        ORDER BY 1, 2""",
    )


def foreign_keys(db: Database, table: str) -> list[str]:
    """The tables ``table`` of a SQLite book points at."""
    return [r["table"] for r in rows(db, f"PRAGMA foreign_key_list([{table}])")]
