"""A write transaction on PostgreSQL: collectors' actions side by side, long writers alone, SERIALIZABLE.

Every action appends to its actor's own audit chain (schema 20), so two collectors' actions
need not take turns. At most ``SLOTS`` actions run at once (each holds one of ``SLOTS``
advisory locks, the first free or else its session's own): more at once on a server of a few
cores would only share its CPU and conflict more. The book's write lock (a session advisory
lock, taken before ``BEGIN``) is taken SHARED by an action and EXCLUSIVE by a long writer (one
that says ``what`` it does: an import, a dunning run, a migration, a book moved in), so a long
writer still runs alone, as with SQLite's ``BEGIN IMMEDIATE``, and its snapshot follows every
action's commit; readers never wait. Actions that touch the same rows at once are told apart
by SERIALIZABLE: the one that loses (SQLSTATE 40001, or a deadlock, 40P01) is refused with
nothing saved as a ``WriteConflict``, which ``writing.replayed`` runs again from its first
read. A writer that waits longer than the lock timeout is refused with who holds the lock
(``BookBusy``). A long writer leaves a note in ``arctui_writer`` once it holds the lock, as
SQLite writers leave one beside the file: ``pg_stat_activity`` hides other roles' times and
activity from a collector's role, ``pg_locks`` only says which backend holds the lock.
"""

from contextlib import contextmanager, suppress
from datetime import UTC, datetime

import psycopg
from psycopg import errors

from arctui.store.errors import BookBusy, WriteConflict
from arctui.store.postgresql.database import PostgresDatabase, ReadOnlyBook

WRITE_LOCK = 0x61726374  # 'arct': the book's write lock (advisory locks are per database)
_CONFLICTS = (errors.SerializationFailure, errors.DeadlockDetected)
SLOTS = 4  # actions at once: about a small server's cores; more side by side only conflict more
WRITE_SLOT = WRITE_LOCK + 16  # the slots' locks: WRITE_SLOT + 0 .. SLOTS - 1
# the first free slot, else this session's own once it is free; then the book's lock, shared
_TAKE_SLOT = """SELECT coalesce(
  (SELECT s FROM generate_series(0, %(slots)s - 1) s WHERE pg_try_advisory_lock(%(slot)s + s) LIMIT 1),
  (SELECT %(mine)s FROM pg_advisory_lock(%(slot)s + %(mine)s))), pg_advisory_lock_shared(%(book)s)"""
_GIVE_SLOT_BACK = "SELECT pg_advisory_unlock(%s), pg_advisory_unlock_shared(%s)"
# an action's facts triggers note the accounts it touched, refreshed once it has committed (schema 20)
_BEGIN_ACTION = "BEGIN ISOLATION LEVEL SERIALIZABLE; SET LOCAL arctui.facts_later = 'on'"


@contextmanager
def write_transaction(db: PostgresDatabase, what: str | None):
    from arctui.store.writing import NO_NOTE, LockNote, busy_message

    raw = db.raw
    try:
        if what:
            raw.execute("SELECT pg_advisory_lock(%s)", [WRITE_LOCK])
            give_back, keys = "SELECT pg_advisory_unlock(%s)", [WRITE_LOCK]
        else:
            mine = raw.info.backend_pid % SLOTS
            slot = raw.execute(_TAKE_SLOT, {"slot": WRITE_SLOT, "slots": SLOTS, "mine": mine, "book": WRITE_LOCK})
            give_back, keys = _GIVE_SLOT_BACK, [WRITE_SLOT + slot.fetchone()[0], WRITE_LOCK]
    except errors.LockNotAvailable:
        with suppress(psycopg.Error):
            raw.execute("SELECT pg_advisory_unlock_all()")  # a slot taken before the book's lock timed out
        note = holder(db, LockNote)
        raise BookBusy(busy_message(note), note) from None
    try:
        if what:
            try:
                _leave_note(raw, what)
            except errors.ReadOnlySqlTransaction as exc:  # a book opened read-only
                raise ReadOnlyBook(str(exc).strip().splitlines()[0]) from None
        raw.execute("BEGIN ISOLATION LEVEL SERIALIZABLE" if what else _BEGIN_ACTION)
        try:
            yield db
        except BaseException:
            _rollback(raw)
            raise
        raw.execute("COMMIT")
    except _CONFLICTS:
        _rollback(raw)
        raise WriteConflict(NO_NOTE) from None
    except errors.LockNotAvailable:  # a row another action held past the lock timeout
        _rollback(raw)
        raise BookBusy(NO_NOTE, None) from None
    else:
        if not what:
            catch_up_facts(raw, mine=True)
    finally:
        with suppress(psycopg.Error):
            raw.execute(give_back, keys)


def catch_up_facts(raw: psycopg.Connection, mine: bool) -> None:
    """Refresh the kept facts of the accounts this session's last action noted (``mine``), or
    every session's, and those of sessions that died before they could. The action has
    committed: a refresh that fails leaves its notes for the next one, it never fails the action."""
    with suppress(psycopg.Error):
        raw.execute("SELECT account_facts_catch_up(%s)", [raw.info.backend_pid if mine else None])


def _leave_note(raw: psycopg.Connection, what: str) -> None:
    with suppress(errors.UndefinedTable):  # a book being made (schema 1 makes the table)
        raw.execute(
            "UPDATE arctui_writer SET login = session_user, pid = pg_backend_pid(), what = %s, since = %s",
            [what, datetime.now(UTC).isoformat(timespec="seconds")],
        )


def _rollback(raw: psycopg.Connection) -> None:
    if raw.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
        return  # rolled back already, as the body's error went by
    with suppress(psycopg.Error):
        raw.execute("ROLLBACK")


def holder(db: PostgresDatabase, note_type):
    """The note of the long writer holding the book's write lock alone, if it left one."""
    row = db.raw.execute(
        "SELECT w.login, w.pid, w.what, w.since FROM pg_locks l JOIN arctui_writer w ON w.pid = l.pid"
        " WHERE l.locktype = 'advisory' AND l.granted AND l.mode = 'ExclusiveLock' AND l.objid = %s"
        " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        [WRITE_LOCK],
    ).fetchone()
    return note_type(*row) if row else None
