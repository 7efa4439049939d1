"""Writing to the shared file: one ``BEGIN IMMEDIATE`` transaction at a time, a note beside
the file naming who holds the write lock, and the words a writer that waited in vain sees.

A long writer (an import, a dunning run, a migration) says what it is doing, in words that
follow "has been" (``write(db, what="importing invoices.csv")``, or ``doing(db, what)`` for
every transaction of a run). Once it holds the lock it leaves ``<book>-writer`` beside the
database: JSON with the login of the real uid, the pid, what and since when, created 0660
like the database. The note goes when the transaction ends (COMMIT or ROLLBACK), and only
if it is still this writer's. A writer that cannot get the lock within the busy timeout
reads the note, ignoring one whose process is gone, and says who holds the lock, since
when, and what to do (``BookBusy``).

The note is written once the lock is held, not before asking for it: a writer still waiting
would otherwise overwrite the holder's note with its own. It is a courtesy: when the folder
cannot be written, the transaction goes ahead without one.
"""

import json
import os
import pwd
import random
import secrets
import sqlite3
import unicodedata
from collections.abc import Callable
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from time import sleep
from typing import TypeVar
from weakref import WeakKeyDictionary

from sqlite_utils import Database

from arctui.store.errors import BookBusy, WriteConflict
from arctui.store.postgresql import is_postgresql
from arctui.store.read.book import path_of

NOTE_SUFFIX = "-writer"
NOTE_MODE = 0o660
REPLAYS = 6  # runs of an action side by side with the others before it runs alone
REPLAYED_ALONE = "saving an action that kept meeting others' changes"
NO_NOTE = "the book is busy: another collector's change is being written; nothing was saved — try again"
_WORDS_CHARS = 120
T = TypeVar("T")
_doing: WeakKeyDictionary = WeakKeyDictionary()


@dataclass(frozen=True)
class LockNote:
    """Who holds the write lock: a login (from the real uid), a process, what it is doing
    and since when (ISO 8601, UTC)."""

    login: str
    pid: int
    what: str
    since: str
    token: str = ""

    def busy_message(self, now: datetime | None = None) -> str:
        since = datetime.fromisoformat(self.since).astimezone(UTC)
        now = now or datetime.now(UTC)
        when = since.strftime("%H:%M:%S UTC" if since.date() == now.date() else "%Y-%m-%d %H:%M:%S UTC")
        return (
            f"the book is busy: {self.login} has been {self.what} since {when} (pid {self.pid});"
            " nothing was saved — try again when it finishes"
        )


@contextmanager
def write(db: Database, what: str | None = None):
    """One write transaction, ``BEGIN IMMEDIATE`` so writers queue on the lock instead of
    failing half-way; nested use becomes a savepoint of the outer transaction. With ``what``
    (or inside ``doing``) the note says who holds the lock while the transaction lasts. A
    lock not got within the busy timeout is a ``BookBusy`` saying who holds it. On PostgreSQL:
    ``postgresql.transactions.write_transaction``, the same promises."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    what = what or _doing.get(db)
    if is_postgresql(db):
        from arctui.store.postgresql.transactions import write_transaction

        with write_transaction(db, what):
            yield db
        return
    _begin(db)
    note = None
    try:
        note = _leave_note(db, what) if what else None
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.execute("ROLLBACK")
        raise
    else:
        db.execute("COMMIT")
    finally:
        if note is not None:
            _take_back(*note)


def replayed(db: Database, call: Callable[[], T], on_conflict: Callable[[], None] | None = None) -> T:
    """``call()``: one action, from its first read to its commit, run again when it lost a write
    conflict to another action (``WriteConflict``, PostgreSQL only: nothing of it was saved):
    after a short random pause growing each time, up to ``REPLAYS`` runs side by side with the
    others, then one last run alone, as a long writer runs (``doing``), which no other action
    can conflict with. ``call`` must do nothing outside the book before it commits (nothing
    sent, printed or written elsewhere), or that would be done again. Inside an open
    transaction nothing is replayed: the conflict is the outer transaction's, whose caller
    replays the whole. ``on_conflict`` is told of each replay (a benchmark counts them)."""
    for run in range(1, REPLAYS):
        try:
            return call()
        except WriteConflict:
            if db.conn.in_transaction:
                raise
            if on_conflict is not None:
                on_conflict()
            sleep(random.uniform(0, 0.002 * 2**run))
    with doing(db, REPLAYED_ALONE):
        return call()


@contextmanager
def doing(db: Database, what: str):
    """Every write on ``db`` inside the block leaves the note ``what`` while it holds the
    lock: for a run made of many transactions (a dunning run)."""
    before = _doing.get(db)
    _doing[db] = what
    try:
        yield
    finally:
        if before is None:
            _doing.pop(db, None)
        else:
            _doing[db] = before


def holder(db: Database) -> LockNote | None:
    """The note of the writer holding the lock, if one was left by a process still running."""
    file = path_of(db)
    if not file:
        return None
    try:
        data = json.loads(Path(file + NOTE_SUFFIX).read_text(encoding="utf-8"))
        note = LockNote(
            login=_printable(data["login"]),
            pid=data["pid"],
            what=_printable(data["what"]),
            since=data["since"],
            token=str(data.get("token", "")),
        )
        datetime.fromisoformat(note.since)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return note if type(note.pid) is int and _running(note.pid) else None


def busy_message(note: LockNote | None) -> str:
    return note.busy_message() if note is not None else NO_NOTE


def is_busy(exc: sqlite3.OperationalError) -> bool:
    """SQLITE_BUSY: another connection held the lock for the whole busy timeout."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF == sqlite3.SQLITE_BUSY
    return "database is locked" in str(exc)


def _begin(db: Database) -> None:
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if not is_busy(exc):
            raise
        note = holder(db)
        raise BookBusy(busy_message(note), note) from None


def _leave_note(db: Database, what: str) -> tuple[Path, str] | None:
    file = path_of(db)
    if not file:
        return None  # an in-memory database: nobody else waits on it
    since = datetime.now(UTC).isoformat(timespec="seconds")
    note = LockNote(_login(), os.getpid(), what, since, secrets.token_hex(8))
    path = Path(file + NOTE_SUFFIX)
    partial = path.with_name(f".{path.name}.{note.token}")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, NOTE_MODE)
        try:
            os.fchmod(fd, NOTE_MODE)  # not the umask: group-shared like the database
            os.write(fd, json.dumps(asdict(note)).encode())
        finally:
            os.close(fd)
        os.replace(partial, path)
    except OSError:
        _unlink(partial)
        return None
    return path, note.token


def _take_back(path: Path, token: str) -> None:
    """Remove the note if it is still ours (the next holder may already have left its own)."""
    with suppress(OSError, ValueError, AttributeError):
        if json.loads(path.read_text(encoding="utf-8")).get("token") == token:
            path.unlink()


def _unlink(path: Path) -> None:
    with suppress(OSError):
        path.unlink()


def _login() -> str:
    """The login of the real uid (never $LOGNAME or $USER, which anyone can set)."""
    uid = os.getuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def _running(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: alive
    except (OverflowError, OSError):
        return False
    return True


def _printable(text) -> str:
    """A note is a file any of the team can write: its words reach a colleague's terminal only
    without control characters, and short."""
    if not isinstance(text, str):
        raise TypeError("not text")
    return "".join(c for c in text if unicodedata.category(c)[0] != "C")[:_WORDS_CHARS]
