"""What a bulk load asks of the engine: a larger page cache for one transaction, and the
secondary indexes set aside during the load and built again after it (one sorted build
instead of an index insert per row, SQLite's own advice for bulk loads)."""

from contextlib import contextmanager

from sqlite_utils import Database

from arctui.store.read import rows


def drop_indexes(db: Database, tables) -> list[str]:
    """Drop the indexes of ``tables`` the schema declares (those behind UNIQUE and PRIMARY
    KEY constraints have no statement and stay); return their SQL to build them again."""
    tables = list(tables)
    marks = ", ".join("?" * len(tables))
    indexes = rows(
        db,
        "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
        f" AND sql IS NOT NULL AND tbl_name IN ({marks}) ORDER BY name",
        tables,
    )
    for index in indexes:
        db.execute(f"DROP INDEX [{index['name']}]")
    return [index["sql"] for index in indexes]


@contextmanager
def page_cache(db: Database, kib: int):
    """Give this connection ``kib`` KiB of page cache until the block ends."""
    before = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute(f"PRAGMA cache_size = -{kib}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {before}")
