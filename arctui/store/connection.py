"""Open the shared database: WAL, a busy timeout, ``BEGIN IMMEDIATE`` writes, schema checks."""

import os
import shlex
import sqlite3
from pathlib import Path
from urllib.parse import quote
from weakref import WeakSet

from sqlite_utils import Database

from arctui.store.errors import BookBusy, StoreError, WriteConflict
from arctui.store.migrations import LATEST, migrate, schema_version
from arctui.store.postgresql import is_url
from arctui.store.writing import doing, replayed, write

__all__ = [
    "BUSY_TIMEOUT_SECONDS",
    "FILE_MODE",
    "BookBusy",
    "StoreError",
    "connect",
    "doing",
    "opened_read_only",
    "replayed",
    "write",
    "WriteConflict",
]

BUSY_TIMEOUT_SECONDS = 30
# group-shared, not world-readable: the team shares a Unix group on the server
FILE_MODE = 0o660


def connect(
    path: str | os.PathLike,
    *,
    create: bool = False,
    upgrade: bool = False,
    busy_timeout: float | None = None,
    read_only: bool = False,
) -> Database:
    """Open ``path``, a file, or a PostgreSQL book at a ``postgresql://`` URL. ``create`` makes a
    new file (on PostgreSQL: a book in the empty database); ``upgrade`` applies pending migrations;
    ``read_only``: the engine refuses every write on this connection (SQLite's ``mode=ro``, as it
    does on a file the user may not write; PostgreSQL's read-only transactions).

    An existing file at an older schema is refused unless ``upgrade`` (``arctui migrate``);
    a file made by a newer arctui is always refused. A write waits up to ``busy_timeout``
    seconds (default ``BUSY_TIMEOUT_SECONDS``) for another writer's lock, then is refused
    saying who holds it (``BookBusy``).
    """
    busy_timeout = BUSY_TIMEOUT_SECONDS if busy_timeout is None else busy_timeout
    if is_url(path):
        return _connect_postgresql(str(path), create or upgrade, busy_timeout, read_only)
    path = Path(path)
    if not path.exists():
        if not create:
            raise StoreError(
                f"{path}: no such database file; `arctui init --db {shlex.quote(str(path))}` creates an empty book"
            )
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
        os.chmod(path, FILE_MODE)
    where, uri = (f"file:{quote(str(path.absolute()))}?mode=ro", True) if read_only else (path, False)
    conn = sqlite3.connect(where, timeout=busy_timeout, isolation_level=None, check_same_thread=False, uri=uri)
    try:
        if not read_only:
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
        conn.execute(f"PRAGMA busy_timeout = {round(busy_timeout * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{path}: not an arctui database ({exc})") from None
    # sqlite-utils' own plugins (its entry points, read through importlib.metadata on every
    # connect) have no business on the book's connection
    db = Database(conn, execute_plugins=False)
    _check_schema(db, path, create or upgrade)
    if read_only:
        _read_only.add(db)
    return db


_read_only: WeakSet = WeakSet()


def opened_read_only(db: Database) -> bool:
    """Whether ``connect`` opened ``db`` with ``read_only`` (another connection to the same
    book, such as the console's reader, opens the same way)."""
    return db in _read_only


def _connect_postgresql(url: str, may_migrate: bool, busy_timeout: float, read_only: bool):
    from arctui.store.postgresql.connection import open_book, shown

    db = open_book(url, busy_timeout)
    if not may_migrate and schema_version(db) == 0 and not db.table_names():
        db.close()
        raise StoreError(f"{shown(url)}: an empty database; `arctui init --db URL` makes it a book")
    _check_schema(db, shown(url), may_migrate)
    if read_only:
        db.execute("SET default_transaction_read_only = on")
        _read_only.add(db)
    return db


def _check_schema(db: Database, path: Path | str, may_migrate: bool) -> None:
    version = schema_version(db)
    if version > LATEST:
        db.close()
        raise StoreError(
            f"{path}: made by a newer arctui (schema {version}; this arctui knows up to "
            f"{LATEST}); upgrade arctui to open it"
        )
    if version == 0 and db.table_names():
        db.close()
        raise StoreError(f"{path}: not an arctui database (it has tables but no arctui schema)")
    if version < LATEST:
        if not may_migrate:
            db.close()
            raise StoreError(
                f"{path}: schema {version} is older than this arctui's {LATEST}; run `arctui migrate --db {path}`"
            )
        try:
            migrate(db)
        except BaseException:
            db.close()
            raise
