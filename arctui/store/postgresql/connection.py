"""Opening a PostgreSQL book: one autocommit connection, a lock wait bounded like SQLite's busy timeout."""

import re

import psycopg

from arctui.store.errors import StoreError
from arctui.store.postgresql.database import PostgresDatabase


def shown(url: str) -> str:
    """The URL as it may be printed: without its password."""
    return re.sub(r"^(\w+://[^:@/]*):[^@/]*@", r"\1:***@", url)


def open_book(url: str, busy_timeout: float) -> PostgresDatabase:
    try:
        raw = psycopg.connect(url, autocommit=True, application_name="arctui", cursor_factory=psycopg.ClientCursor)
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreError(f"{shown(url)}: cannot connect ({reason})") from None
    # every lock wait (the book's write lock, a row another writer holds) gives up like SQLite's busy timeout
    raw.execute(f"SET lock_timeout = {round(busy_timeout * 1000)}")
    return PostgresDatabase(url, raw)
