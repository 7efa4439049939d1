"""Opening a PostgreSQL book: one autocommit connection, a lock wait bounded like SQLite's busy timeout,
the planner set for our short reads."""

import re

import psycopg

from arctui.store.errors import StoreError
from arctui.store.postgresql.database import PostgresDatabase

# How this connection's statements are planned, whatever the server's defaults. Our reads are
# many short index lookups (a collector's 2,000 accounts, each one's days or months) over a book
# held in memory: at the default random_page_cost (4, a spinning disk's) the planner scans whole
# tables instead, 3-5× slower; and parallel workers cost more to start for a 10 ms read on a
# server many consoles share than they save.
PLANNER_SETTINGS = "SET random_page_cost = 1.1; SET max_parallel_workers_per_gather = 0"


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
    raw.execute(f"SET lock_timeout = {round(busy_timeout * 1000)}; {PLANNER_SETTINGS}")
    return PostgresDatabase(url, raw)
