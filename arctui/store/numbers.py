"""Ids taken before a row is written, for a number made from the id (a credit memo's CM-000042)."""

from sqlite_utils import Database

from arctui.store.postgresql import is_postgresql


def next_id(db: Database, table: str) -> int:
    """The id the next row of ``table`` is to take, taken now, inside the writer's transaction.
    PostgreSQL hands it out from the table's identity, once only (an action rolled back leaves
    it unused): two actions side by side never both read the largest id and then conflict on
    it. SQLite writes one transaction at a time: the id after the largest, as its rowid would."""
    if is_postgresql(db):
        return db.execute("SELECT nextval(pg_get_serial_sequence(?, 'id'))", [table]).fetchone()[0]
    return db.execute(f"SELECT coalesce(max(id), 0) + 1 FROM [{table}]").fetchone()[0]
