"""Bulk writing: ``executemany`` in a second thread, and indexes set aside during a load."""
import queue
import threading


def drop_indexes(db, tables) -> list[str]:
    """Drop the indexes of ``tables`` that the schema declares; return their SQL to rebuild."""
    marks = ", ".join("?" * len(tables))
    indexes = db.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                         f" AND sql IS NOT NULL AND tbl_name IN ({marks}) ORDER BY name",
                         list(tables)).fetchall()
    for name, _ in indexes:
        db.execute(f"DROP INDEX [{name}]")
    return [sql for _, sql in indexes]


class BulkWriter:
    """Runs the ``executemany`` calls in a second thread while the caller builds the next
    rows: SQLite releases the GIL while it writes, so on two cores both go on at once.
    Statements run in the order given; the first error is raised in the caller's thread
    (by the next ``put`` or on leaving the ``with`` block)."""

    def __init__(self, conn):
        self.conn = conn
        self.jobs: queue.Queue = queue.Queue(maxsize=4)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="sample-writer", daemon=True)

    def __enter__(self) -> "BulkWriter":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.jobs.put(None)
        self.thread.join()
        if exc[0] is None and self.error is not None:
            raise self.error

    def _run(self) -> None:
        while (job := self.jobs.get()) is not None:
            if self.error is None:
                sql, rows = job
                try:
                    if rows is None:
                        self.conn.execute(sql)
                    else:
                        self.conn.executemany(sql, rows)
                except BaseException as exc:  # handed to the generating thread
                    self.error = exc

    def put(self, sql: str, rows: list | None = None) -> None:
        if self.error is not None:
            raise self.error
        self.jobs.put((sql, rows))


def insert_sql(table: str, columns: list[str], same: dict) -> str:
    """An INSERT taking ``columns`` as parameters; ``same`` gives columns whose value every
    row shares, written into the statement instead of into a million tuples."""
    literals = [_sql_literal(value) for value in same.values()]
    return (f"INSERT INTO {table} ({', '.join(columns + list(same))})"
            f" VALUES ({', '.join(['?'] * len(columns) + literals)})")


def _sql_literal(value: str | int) -> str:
    return str(value) if isinstance(value, int) else "'" + value.replace("'", "''") + "'"
