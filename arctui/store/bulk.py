"""What a bulk load asks of the engine: a larger page cache for one transaction, and the
secondary indexes set aside during the load and built again after it (one sorted build
instead of an index insert per row, SQLite's own advice for bulk loads, and PostgreSQL's).
On PostgreSQL the page cache is the server's (nothing to ask), a snapshot is a REPEATABLE READ
transaction, and staged rows go in by COPY."""

from contextlib import contextmanager

from sqlite_utils import Database

from arctui.store.postgresql import is_postgresql
from arctui.store.read import rows
from arctui.store.read.book import data_version as data_version


def drop_indexes(db: Database, tables) -> list[str]:
    """Drop the indexes of ``tables`` the schema declares (those behind UNIQUE and PRIMARY
    KEY constraints have no statement and stay); return their SQL to build them again."""
    tables = list(tables)
    marks = ", ".join("?" * len(tables))
    indexes = rows(
        db,
        "SELECT indexname AS name, indexdef AS sql FROM pg_indexes i WHERE schemaname = current_schema()"
        f" AND tablename IN ({marks}) AND NOT EXISTS (SELECT 1 FROM pg_constraint"
        " WHERE conindid = CAST(quote_ident(i.indexname) AS regclass)) ORDER BY indexname"
        if is_postgresql(db)
        else "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
        f" AND sql IS NOT NULL AND tbl_name IN ({marks}) ORDER BY name",
        tables,
    )
    for index in indexes:
        db.execute(f"DROP INDEX [{index['name']}]")
    return [index["sql"] for index in indexes]


@contextmanager
def page_cache(db: Database, kib: int):
    """Give this connection ``kib`` KiB of page cache until the block ends."""
    if is_postgresql(db):
        yield
        return
    before = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute(f"PRAGMA cache_size = -{kib}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {before}")


@contextmanager
def snapshot(db: Database):
    """One read transaction (``BEGIN DEFERRED``, no write lock) for the block: the book as
    it stood when the block first read it, and staging rows written in one go. Inside a
    write transaction already, the block simply runs in it."""
    if db.conn.in_transaction:
        yield
        return
    db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ" if is_postgresql(db) else "BEGIN")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


class Staging:
    """Rows staged in temporary tables (``temp``, outside the book's file: writing them takes
    no lock on the book), one table per column list, then merged into ``table`` by one
    ``INSERT ... SELECT`` each, in staging order."""

    def __init__(self, db: Database, table: str):
        self.db, self.table = db, table
        self.stages: dict[tuple, str] = {}

    def add(self, columns: tuple, rows: list[tuple]) -> None:
        stage = self.stages.get(columns)
        if is_postgresql(self.db):
            self._add_postgresql(stage, columns, rows)
            return
        if stage is None:
            stage = self.stages[columns] = f"temp.[arctui_stage_{id(self)}_{len(self.stages)}]"
            self.db.execute(f"CREATE TEMP TABLE {stage.removeprefix('temp.')} ({', '.join(columns)})")
        self.db.conn.executemany(f"INSERT INTO {stage} VALUES ({', '.join('?' * len(columns))})", rows)

    def _add_postgresql(self, stage: str | None, columns: tuple, rows: list[tuple]) -> None:
        """A stage with the table's own column types and a column keeping the staging order."""
        names = ", ".join(columns)
        if stage is None:
            stage = self.stages[columns] = f"arctui_stage_{id(self)}_{len(self.stages)}"
            self.db.execute(f"CREATE TEMP TABLE {stage} AS SELECT {names} FROM [{self.table}] WITH NO DATA")
            self.db.execute(f"ALTER TABLE {stage} ADD COLUMN arctui_order bigint GENERATED ALWAYS AS IDENTITY")
        self.db.copy_rows(stage, columns, rows)

    def merge(self) -> None:
        for columns, stage in self.stages.items():
            names = ", ".join(columns)
            order = "arctui_order" if is_postgresql(self.db) else "rowid"
            self.db.execute(f"INSERT INTO [{self.table}] ({names}) SELECT {names} FROM {stage} ORDER BY {order}")

    def discard(self) -> None:
        """Drop the staging tables."""
        for stage in self.stages.values():
            self.db.execute(f"DROP TABLE IF EXISTS {stage}")
        self.stages.clear()
