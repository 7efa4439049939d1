"""A write transaction on PostgreSQL: one writer at a time, as on SQLite, and SERIALIZABLE.

Every action appends to the audit hash chain, which must see the row the previous action
appended: two actions writing at once always conflict there, so running them side by side
would only buy one of them a serialization failure and a retry. The book's write lock (a
session advisory lock, taken before ``BEGIN`` so that the transaction's snapshot is taken
after the previous writer committed) queues writers like SQLite's ``BEGIN IMMEDIATE``;
readers never wait. A writer that waits longer than the lock timeout is refused with who
holds the lock (``BookBusy``); a serialization failure (SQLSTATE 40001, only possible against
a writer that bypassed the lock) is refused the same way, nothing saved. A long writer (one
that says ``what`` it does) leaves a note in ``arctui_writer`` once it holds the lock, as SQLite
writers leave one beside the file: ``pg_stat_activity`` hides other roles' times and activity
from a collector's role, ``pg_locks`` only says which backend holds the lock.
"""

from contextlib import contextmanager, suppress
from datetime import UTC, datetime

import psycopg
from psycopg import errors

from arctui.store.errors import BookBusy
from arctui.store.postgresql.database import PostgresDatabase, ReadOnlyBook

WRITE_LOCK = 0x61726374  # 'arct': the book's write lock (advisory locks are per database)


@contextmanager
def write_transaction(db: PostgresDatabase, what: str | None):
    from arctui.store.writing import NO_NOTE, LockNote, busy_message

    raw = db.raw
    try:
        raw.execute("SELECT pg_advisory_lock(%s)", [WRITE_LOCK])
    except errors.LockNotAvailable:
        note = holder(db, LockNote)
        raise BookBusy(busy_message(note), note) from None
    try:
        if what:
            try:
                _leave_note(raw, what)
            except errors.ReadOnlySqlTransaction as exc:  # a book opened read-only
                raise ReadOnlyBook(str(exc).strip().splitlines()[0]) from None
        raw.execute("BEGIN ISOLATION LEVEL SERIALIZABLE")
        try:
            yield db
        except BaseException:
            _rollback(raw)
            raise
        try:
            raw.execute("COMMIT")
        except errors.SerializationFailure:
            raise BookBusy(NO_NOTE, None) from None
    except errors.SerializationFailure:
        _rollback(raw)
        raise BookBusy(NO_NOTE, None) from None
    finally:
        with suppress(psycopg.Error):
            raw.execute("SELECT pg_advisory_unlock(%s)", [WRITE_LOCK])


def _leave_note(raw: psycopg.Connection, what: str) -> None:
    with suppress(errors.UndefinedTable):  # a book being made (schema 1 makes the table)
        raw.execute(
            "UPDATE arctui_writer SET login = session_user, pid = pg_backend_pid(), what = %s, since = %s",
            [what, datetime.now(UTC).isoformat(timespec="seconds")],
        )


def _rollback(raw: psycopg.Connection) -> None:
    with suppress(psycopg.Error):
        raw.execute("ROLLBACK")


def holder(db: PostgresDatabase, note_type):
    """The note of the writer holding the book's write lock, if it left one (a long writer)."""
    row = db.raw.execute(
        "SELECT w.login, w.pid, w.what, w.since FROM pg_locks l JOIN arctui_writer w ON w.pid = l.pid"
        " WHERE l.locktype = 'advisory' AND l.granted AND l.objid = %s"
        " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        [WRITE_LOCK],
    ).fetchone()
    return note_type(*row) if row else None
