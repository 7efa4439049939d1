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
    ``INSERT ... SELECT`` each, in staging order; every row takes ``constants`` (the import's
    stamp) as it is merged. Columns named with a leading ``_`` stay in the stage (what the
    import notes of each row, ``SeenKeys``)."""

    def __init__(self, db: Database, table: str, constants: dict | None = None):
        self.db, self.table, self.constants = db, table, constants or {}
        self.stages: dict[tuple, str] = {}
        self.indexed: set[str] = set()

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
        """A stage with the table's own column types (the ``_`` notes are 64-bit integers: a
        line, a hash) and a column keeping the staging order."""
        if stage is None:
            stage = self.stages[columns] = f"arctui_stage_{id(self)}_{len(self.stages)}"
            names = ", ".join(c for c in columns if not c.startswith("_"))
            self.db.execute(f"CREATE TEMP TABLE {stage} AS SELECT {names} FROM [{self.table}] WITH NO DATA")
            for note in (c for c in columns if c.startswith("_")):
                self.db.execute(f"ALTER TABLE {stage} ADD COLUMN {note} bigint")
            self.db.execute(f"ALTER TABLE {stage} ADD COLUMN arctui_order bigint GENERATED ALWAYS AS IDENTITY")
        self.db.copy_rows(stage, columns, rows)

    def _order(self) -> str:
        return "arctui_order" if is_postgresql(self.db) else "rowid"

    def noted(self, column: str, value) -> tuple | None:
        """The ``_`` columns of the first staged row whose ``column`` is ``value`` (the column
        indexed on the first call: a file that repeats keys repeats them often)."""
        for columns, stage in self.stages.items():
            if stage not in self.indexed:
                name = stage.removeprefix("temp.[").removesuffix("]")
                # a temporary table's index is temporary too (SQLite's temp schema, PostgreSQL's pg_temp)
                self.db.execute(f"CREATE INDEX [{name}_{column}] ON [{name}] ([{column}])")
                self.indexed.add(stage)
            notes = ", ".join(c for c in columns if c.startswith("_"))
            found = self.db.execute(
                f"SELECT {notes} FROM {stage} WHERE [{column}] = ? ORDER BY {self._order()} LIMIT 1", [value]
            ).fetchone()
            if found is not None:
                return found
        return None

    def merge(self) -> None:
        constants = ", ".join(f":{name}" for name in self.constants)
        for columns, stage in self.stages.items():
            columns = tuple(c for c in columns if not c.startswith("_"))
            names = ", ".join(columns)
            self.db.execute(
                f"INSERT INTO [{self.table}] ({', '.join(columns + tuple(self.constants))})"
                f" SELECT {names}{', ' if constants else ''}{constants} FROM {stage} ORDER BY {self._order()}",
                self.constants,
            )

    def discard(self) -> None:
        """Drop the staging tables."""
        for stage in self.stages.values():
            self.db.execute(f"DROP TABLE IF EXISTS {stage}")
        self.stages.clear()
        self.indexed.clear()


class SeenKeys:
    """The keys an import has taken so far, with the line and a hash of the values of the
    first record of each, in little memory per key: the keys' hashes in a set (a key not
    seen before, the common case, costs one lookup). The line and hash of a new row are
    staged with it (``_line``, ``_same``: found again by ``find_staged``); those of the
    other records wait in a temporary table. Either is read only when a hash comes again."""

    def __init__(self, db: Database, find_staged):
        self.db, self.hashes, self.pending, self.find_staged = db, set(), [], find_staged
        self.table, self.indexed = f"arctui_seen_{id(self)}", False
        db.execute(f"CREATE TEMP TABLE {self.table} (hash BIGINT, key TEXT, line BIGINT, same BIGINT)")

    def take(self, key: str, line: int, same: int, staged: bool) -> tuple[int, int] | None:
        """(line, values hash) of the first record of ``key``; None when it is new, and it is
        taken with ``line`` and ``same`` (``staged``: they are staged with its row)."""
        hashed = hash(key)
        if hashed in self.hashes:
            found = self._first(hashed, key)
            if found is not None:
                return found
        else:
            self.hashes.add(hashed)
        if not staged:
            self.pending.append((hashed, key, line, same))
            if len(self.pending) >= 5_000:
                self._write()
        return None

    def _first(self, hashed: int, key: str) -> tuple[int, int] | None:
        self._write()
        if not self.indexed:
            self.db.execute(f"CREATE INDEX {self.table}_hash ON {self.table} (hash)")  # temporary as its table
            self.indexed = True
        found = self.db.execute(f"SELECT line, same FROM {self.table} WHERE hash = ? AND key = ?", [hashed, key])
        return found.fetchone() or self.find_staged(key)  # else another key of the same hash

    def _write(self) -> None:
        self.db.conn.executemany(f"INSERT INTO {self.table} VALUES (?, ?, ?, ?)", self.pending)
        self.pending.clear()

    def discard(self) -> None:
        self.db.execute(f"DROP TABLE IF EXISTS {self.table}")
