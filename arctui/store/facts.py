"""Keeping ``account_facts`` (schemas 7 and 17) on the right day, scored with the day's units.

The triggers keep every account's facts, and so its score (a generated column of the row),
current inside each writing transaction, as of the day ``account_facts_state`` names. A new
day changes every account's aging at once: that is one rebuild, taken on the first read of
the day (``bring_to``) or by the nightly ``promises settle``. The score weighs past-due money
in the units of the day's rates (``day_units``); the units a score took are kept in
``account_facts_units``, and a read that finds them moved (a rates import, a new book
currency, an account in a new currency) re-scores the accounts of the currencies that moved
before it ranks. A book this process may not write (opened read-only, or without write
permission) cannot be brought: ``brought_to`` says so, and the queue is ranked from scratch.

An import sets the triggers aside while it merges and refreshes the accounts it touched in
one statement at its end (``set_aside``), instead of refreshing an account per row: a trigger
refresh reads the account's open invoices, so a load of many rows into few accounts would
read them again and again. The table is derived from the ledger, so its upkeep is not
audited: the audit trail holds the rows it is computed from.
"""

import sqlite3
from contextlib import contextmanager
from datetime import date

from sqlite_utils import Database

from arctui.domain.money import exponent
from arctui.store.postgresql import is_postgresql
from arctui.store.read.accounts import facts_day
from arctui.store.read.queue import account_currencies, kept_units, scored_day
from arctui.store.read.rates import book_units
from arctui.store.writing import write


def day_units(db: Database, day: date) -> dict[str, float]:
    """Every account currency's unit on ``day``: its minor units per major unit of the book
    currency where a rate converts it (``rates.book_units``), else 10 ** its exponent."""
    converted = book_units(db, day)
    return {code: _unit(converted, code) for code in account_currencies(db)}


def _unit(converted: dict[str, float], code: str) -> float:
    """``code``'s unit: the rate's where one converts it, else 10 ** its exponent."""
    return converted.get(code, float(10 ** exponent(code)))


def holds(db: Database, day: date) -> bool:
    """Whether ``account_facts`` holds ``day``'s facts scored with ``day``'s units. Cheap:
    the kept units are compared with the rates' (every account currency is among them, as
    an account whose currency is not has no unit)."""
    if scored_day(db) != day.isoformat():
        return False
    kept, converted = kept_units(db), book_units(db, day)
    if any(kept.get(code) != unit for code, unit in converted.items()):
        return False
    return all(unit == _unit(converted, code) for code, unit in kept.items())


def rebuild(db: Database, day: str) -> None:
    """Every account's facts as of ``day`` (ISO), inside the caller's write transaction, with
    the units kept (``bring_to`` sets them first)."""
    db.execute("UPDATE account_facts_state SET day = ?", [day])
    db.execute("DELETE FROM account_facts")
    db.execute("INSERT INTO account_facts SELECT * FROM account_facts_fresh")


def _keep_units(db: Database, units: dict[str, float]) -> list[str]:
    """Replace the kept units with ``units``; the currencies whose unit moved."""
    kept = kept_units(db)
    db.execute("DELETE FROM account_facts_units")
    db.conn.executemany("INSERT INTO account_facts_units (currency, unit) VALUES (?, ?)", sorted(units.items()))
    return sorted(code for code, unit in units.items() if kept.get(code) != unit)


def bring_to(db: Database, day: date) -> None:
    """Make ``account_facts`` hold ``day``'s facts and scores: a rebuild when it holds another
    day's, the accounts of the currencies whose unit moved re-scored when only the units did.
    On PostgreSQL, first the accounts whose refresh a session left undone when it died after
    its action committed (schema 20)."""
    if is_postgresql(db):
        from arctui.store.postgresql.transactions import catch_up_facts

        catch_up_facts(db.raw, mine=False)
    if holds(db, day):
        return
    with write(db, what=f"bringing the queue's facts to {day.isoformat()}"):
        if holds(db, day):  # another process may have done it meanwhile
            return
        moved = _keep_units(db, day_units(db, day))
        if facts_day(db) != day.isoformat():
            rebuild(db, day.isoformat())
        elif moved:
            refresh(db, f"SELECT id FROM customers WHERE currency IN ({', '.join('?' * len(moved))})", moved)


def brought_to(db: Database, day: date) -> bool:
    """``bring_to``, on a book this connection may write; False, with nothing written, on a
    book it may only read (opened read-only, or a file it has no write permission on) whose
    kept facts are not ``day``'s."""
    try:
        bring_to(db, day)
    except sqlite3.OperationalError as exc:
        if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_READONLY:
            raise
        return False
    return True


@contextmanager
def set_aside(db: Database, accounts_sql: str | None = None, params=()):
    """Inside the caller's write transaction: the triggers stand aside while the block
    loads, then the facts are brought back in one statement as of the day they held (nothing
    to do when none were kept): the accounts ``accounts_sql`` selects (their ids), or every
    account. A failed block rolls the caller's transaction back, and the day with it."""
    day = facts_day(db)
    if day is not None:
        db.execute("UPDATE account_facts_state SET day = NULL")
    yield
    if day is None:
        return
    if accounts_sql is None:
        rebuild(db, day)
        return
    db.execute("UPDATE account_facts_state SET day = ?", [day])
    refresh(db, accounts_sql, params)


def refresh(db: Database, accounts_sql: str, params=()) -> None:
    """The facts of the accounts ``accounts_sql`` selects (their ids) computed again, inside the
    caller's write transaction."""
    db.execute(f"DELETE FROM account_facts WHERE customer_id IN ({accounts_sql})", params)
    db.execute(
        f"INSERT INTO account_facts SELECT * FROM account_facts_fresh WHERE customer_id IN ({accounts_sql})", params
    )
