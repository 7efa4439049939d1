"""Keeping ``account_facts`` (schema 7) on the right day.

The triggers keep every account's facts current inside each writing transaction, as of the
day ``account_facts_state`` names. A new day changes every account's aging at once: that is
one rebuild, taken on the first read of the day (``bring_to``) or by the nightly
``promises settle``. An import sets the triggers aside while it merges and refreshes the
accounts it touched in one statement at its end (``set_aside``), instead of refreshing an
account per row: a trigger refresh reads the account's open invoices, so a load of many rows
into few accounts would read them again and again. The table is derived from the
ledger, so its upkeep is not audited: the audit trail holds the rows it is computed from.
"""

from contextlib import contextmanager
from datetime import date

from sqlite_utils import Database

from arctui.store.read.accounts import facts_day
from arctui.store.writing import write


def rebuild(db: Database, day: str) -> None:
    """Every account's facts as of ``day`` (ISO), inside the caller's write transaction."""
    db.execute("UPDATE account_facts_state SET day = ?", [day])
    db.execute("DELETE FROM account_facts")
    db.execute("INSERT INTO account_facts SELECT * FROM account_facts_fresh")


def bring_to(db: Database, day: date) -> None:
    """Make ``account_facts`` hold ``day``'s facts: a rebuild when it holds another day's."""
    if facts_day(db) == day.isoformat():
        return
    with write(db, what=f"bringing the queue's facts to {day.isoformat()}"):
        if facts_day(db) != day.isoformat():  # another process may have done it meanwhile
            rebuild(db, day.isoformat())


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
    db.execute(f"DELETE FROM account_facts WHERE customer_id IN ({accounts_sql})", params)
    db.execute(
        f"INSERT INTO account_facts SELECT * FROM account_facts_fresh WHERE customer_id IN ({accounts_sql})", params
    )
