"""A write transaction on PostgreSQL: one writer at a time, as on SQLite, and SERIALIZABLE.

Every action appends to the audit hash chain, which must see the row the previous action
appended: two actions writing at once always conflict there, so running them side by side
would only buy one of them a serialization failure and a retry. The book's write lock (a
session advisory lock, taken before ``BEGIN`` so that the transaction's snapshot is taken
after the previous writer committed) queues writers like SQLite's ``BEGIN IMMEDIATE``;
readers never wait. A writer that waits longer than the lock timeout is refused with who
holds the lock (``BookBusy``); a serialization failure (SQLSTATE 40001, only possible against
a writer that bypassed the lock) is refused the same way, nothing saved. While a long writer
holds the lock, its ``what`` is its ``application_name``: the note others read in
``pg_stat_activity``, as SQLite writers leave a note beside the file.
"""

from contextlib import contextmanager, suppress
from datetime import UTC, datetime

import psycopg
from psycopg import errors

from arctui.store.errors import BookBusy
from arctui.store.postgresql.database import PostgresDatabase

WRITE_LOCK = 0x61726374  # 'arct': the book's write lock (advisory locks are per database)
AUDIT_LOCK = WRITE_LOCK + 1
_NOTE_PREFIX = "arctui: "


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
            raw.execute("SELECT set_config('application_name', %s, false)", [(_NOTE_PREFIX + what)[:63]])
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
            if what:
                raw.execute("SELECT set_config('application_name', 'arctui', false)")
            raw.execute("SELECT pg_advisory_unlock(%s)", [WRITE_LOCK])


def lock_audit(db: PostgresDatabase) -> None:
    """Inside a write transaction: appends to the audit chain one at a time, whoever writes."""
    db.raw.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_LOCK])


def _rollback(raw: psycopg.Connection) -> None:
    with suppress(psycopg.Error):
        raw.execute("ROLLBACK")


def holder(db: PostgresDatabase, note_type):
    """Who holds the book's write lock: their role, backend pid, what they are doing and since when."""
    row = db.raw.execute(
        "SELECT a.usename, a.pid, a.application_name, extract(epoch FROM coalesce(a.xact_start, a.state_change))"
        " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
        " WHERE l.locktype = 'advisory' AND l.granted AND l.objid = %s AND l.database ="
        " (SELECT oid FROM pg_database WHERE datname = current_database())",
        [WRITE_LOCK],
    ).fetchone()
    if row is None:
        return None
    login, pid, application, since = row
    what = application.removeprefix(_NOTE_PREFIX) if application.startswith(_NOTE_PREFIX) else "writing"
    return note_type(login or "?", pid, what, datetime.fromtimestamp(since, UTC).isoformat(timespec="seconds"))
