"""A deterministic, realistic sample book: ``generate(path, SampleSpec(...))``, at a file or in an
empty PostgreSQL database (a ``postgresql://`` URL).

Every row comes from ``random.Random`` streams seeded by (seed, section), so the same
arguments give byte-for-byte the same table contents. The ledger reconciles: an invoice's
open balance is its amount less the cash applied to it and the posted credit memos on it; a
payment's unapplied cash is its amount less what was applied or refunded.

Speed: rows are built in plain tuples and written with ``executemany`` in one transaction,
into a temporary file renamed over PATH at the end (nothing half-made is ever left at PATH).
The big tables' indexes are rebuilt after their load (see ``book.BULK_TABLES``). Writing from
a second thread was measured and dropped: sqlite3 holds the GIL while it binds each row, so
the two threads took turns on the GIL instead of overlapping (no faster, more code).
The bulk rows are not audited one by one (that would double the file and the time, and a
generated book has no human author); one ``sample.generate`` audit row records the
arguments and the row counts instead, stamped with ``today`` so it is deterministic too.

At a URL the book is generated into a temporary file as above, then moved into the database as
``arctui migrate --to`` moves one (rows, ledger totals and the audit chain checked on both
sides): the very same book as at a file, and one generator, whose bulk writes are SQLite's
(``executemany`` on its connection, indexes dropped and rebuilt, no journal).
"""

import os
import tempfile
import time
from pathlib import Path

from arctui.sample.book import Book
from arctui.sample.spec import DEFAULT_TODAY, SampleError, SampleSpec, parse_today
from arctui.sample.vocabulary import ACTOR
from arctui.store import audit
from arctui.store.connection import BUSY_TIMEOUT_SECONDS, connect
from arctui.store.errors import StoreError
from arctui.store.postgresql import is_url

__all__ = ["DEFAULT_TODAY", "SampleError", "SampleSpec", "generate", "parse_today"]


def generate(path, spec: SampleSpec, force: bool = False) -> dict:
    """Write a new database at ``path`` (a file, or a ``postgresql://`` URL of an empty database);
    returns row counts per table and the seconds taken."""
    spec = spec.checked()
    if is_url(path):
        return _generate_on_server(str(path), spec, force)
    path = Path(path)
    if path.exists() and not force:
        raise SampleError(f"{path} already exists; choose another path or pass --force to replace it")
    started = time.perf_counter()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    _remove_db_files(tmp)
    try:
        db = connect(tmp, create=True)
        try:
            counts = _fill(db, spec)
        finally:
            db.close()
        _remove_db_files(path)
        os.replace(tmp, path)
    except OSError as exc:
        raise SampleError(f"{path}: cannot write the database there ({exc.strerror})") from None
    finally:
        _remove_db_files(tmp)
    return {**counts, "seconds": time.perf_counter() - started}


def _generate_on_server(url: str, spec: SampleSpec, force: bool) -> dict:
    from arctui.store.postgresql.connection import shown
    from arctui.store.postgresql.moving import move, refuse_unless_empty

    if force:
        raise SampleError(
            f"{shown(url)}: --force replaces a file only; a book goes into an empty PostgreSQL database"
            " (drop and create the database to start again)"
        )
    started = time.perf_counter()
    try:
        refuse_unless_empty(url, BUSY_TIMEOUT_SECONDS)  # before the minutes a big book takes
        with tempfile.TemporaryDirectory(prefix="arctui-sample-") as folder:
            counts = generate(Path(folder) / "sample.db", spec)
            db = connect(Path(folder) / "sample.db")
            try:
                move(db, url, BUSY_TIMEOUT_SECONDS)
            finally:
                db.close()
    except StoreError as exc:
        raise SampleError(str(exc)) from None
    return {**counts, "seconds": time.perf_counter() - started}


def _fill(db, spec: SampleSpec) -> dict:
    # a throw-away file until the rename: no journal, no fsync; foreign keys are checked by
    # the tests (rows arrive before the payments they point at)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA foreign_keys = OFF")
    db.execute("PRAGMA cache_size = -262144")
    db.execute("BEGIN IMMEDIATE")
    counts = Book(db, spec).write()
    audit.append(
        db,
        at=f"{spec.today.isoformat()}T09:00:00Z",
        actor=ACTOR,
        action="sample.generate",
        entity="database",
        after={
            "customers": spec.customers,
            "invoices": spec.invoices,
            "seed": spec.seed,
            "today": spec.today.isoformat(),
            "collectors": spec.collector_count,
            "rows": counts,
        },
    )
    db.execute("COMMIT")
    db.execute("VACUUM")
    db.execute("PRAGMA journal_mode = WAL")
    return counts


def _remove_db_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
