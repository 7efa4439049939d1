"""The read model: every SELECT the console, the CLI, the services and the plugins need.

One module per area (accounts, invoices, timeline, cash, email, reports, team); each
function takes the database and plain values and returns plain dicts (or a scalar). The
helpers below are the only place a cursor becomes a dict: sqlite-utils' ``db.query``, which
yields one dict per row keyed by the column names.

"Open" has one meaning everywhere: an invoice is open while ``open_cents <> 0`` (a credit
balance is open too); ``OWED`` narrows that to what the customer still has to pay.
SQL dialect specifics stay in this package and the rest of ``arctui.store``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a read module that takes a plain sqlite3 connection (store.read.status) loads no sqlite-utils
    from sqlite_utils import Database

OPEN = "open_cents <> 0"
"""An invoice with something left on it; the partial indexes use the same condition."""
OWED = "open_cents > 0"
"""An open invoice the customer owes money on (not a credit balance)."""


def open_invoice(alias: str = "i") -> str:
    """``OPEN`` for the invoices table under ``alias``."""
    return f"{alias}.{OPEN}"


def owed_invoice(alias: str = "i") -> str:
    """``OWED`` for the invoices table under ``alias`` (keeps the partial index usable)."""
    return f"{alias}.{OPEN} AND {alias}.{OWED}"


BOOKED = "state = 'booked'"
"""A receipt that is cash on the account: not pending (an intraday entry no statement has
booked yet) and not reversed (taken back by the bank)."""


def booked_receipt(alias: str = "p") -> str:
    """``BOOKED`` for the payments table under ``alias``."""
    return f"{alias}.{BOOKED}"


BOOK_CURRENCY_SQL = """coalesce((SELECT value FROM book_settings WHERE key = 'currency'),
    (SELECT currency FROM customers GROUP BY currency ORDER BY count(*) DESC, currency LIMIT 1), 'USD')"""
"""The book currency as an SQL expression: the one the team set, else the currency most
accounts are billed in (USD in an empty book)."""


def promise_broken_today(alias: str = "p") -> str:
    """A promise whose grace ended yesterday, so today is the first day it counts as broken,
    and that was not paid in full: judged broken or partial, or still open because
    ``promises settle`` has not judged it yet (takes the parameter ``:today``)."""
    return (
        f"{alias}.status IN ('open', 'broken', 'partial') AND {alias}.paid_cents < {alias}.amount_cents"
        f" AND date({alias}.promised_date, '+' || {alias}.grace_days || ' days') = date(:today, '-1 day')"
    )


def rows(db: Database, sql: str, params=()) -> list[dict]:
    """Every row of ``sql`` as a dict."""
    return list(db.query(sql, params))


def first(db: Database, sql: str, params=()) -> dict | None:
    """The first row of ``sql`` as a dict, or None."""
    return next(iter(db.query(sql, params)), None)


def value(db: Database, sql: str, params=(), default=None):
    """The first column of the first row of ``sql``, or ``default``."""
    row = db.execute(sql, params).fetchone()
    return default if row is None or row[0] is None else row[0]
