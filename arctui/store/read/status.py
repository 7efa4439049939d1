"""What ``arctui status`` shows, read over a plain read-only ``sqlite3`` connection: the
status line runs every few seconds in a shell prompt or a tmux bar, so it loads neither
sqlite-utils nor the services, and never writes (nor migrates) the book."""

import sqlite3
from datetime import date
from urllib.parse import quote

from arctui.store.read import promise_broken_today

_OWNED = "(:collector IS NULL OR c.owner = :collector)"


def open_read_only(path: str) -> sqlite3.Connection:
    """The book at ``path``, read only; a missing file is an error, never a new empty book."""
    db = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=5)
    db.execute("PRAGMA query_only = 1")
    return db


def is_collector(db: sqlite3.Connection, login: str) -> bool:
    """Whether the team knows ``login`` (active or not)."""
    return db.execute("SELECT 1 FROM collectors WHERE id = ?", [login]).fetchone() is not None


def memo_limit(db: sqlite3.Connection, login: str) -> int | None:
    """The authority limit of ``login`` as an active collector (None: it approves nothing)."""
    row = db.execute("SELECT memo_limit_cents FROM collectors WHERE id = ? AND active", [login]).fetchone()
    return row[0] if row else None


def counts(db: sqlite3.Connection, today: date, collector: str | None, limit: int | None) -> dict[str, int]:
    """On ``collector``'s accounts (None: the book's): open promises due today, promises
    broken today (as the lead's inbox counts them), and credit memos pending approval that
    ``collector`` may approve (prepared by someone else, within ``limit``)."""
    row = db.execute(
        f"""
        SELECT
          (SELECT count(*) FROM promises p JOIN customers c ON c.id = p.customer_id
           WHERE p.status = 'open' AND p.promised_date = :today AND {_OWNED}),
          (SELECT count(*) FROM promises p JOIN customers c ON c.id = p.customer_id
           WHERE {promise_broken_today("p")} AND {_OWNED}),
          (SELECT count(*) FROM credit_memos m
           WHERE m.status = 'pending_approval' AND m.prepared_by IS NOT :collector AND m.amount_cents <= :limit)
        """,
        {"today": today.isoformat(), "collector": collector, "limit": limit if limit is not None else -1},
    ).fetchone()
    return dict(zip(("due_today", "broken", "to_approve"), row))


def unapplied(db: sqlite3.Connection, collector: str | None) -> list[tuple[str, int]]:
    """(currency, unapplied minor units) of booked receipts on ``collector``'s accounts (None:
    every receipt, unidentified ones too), by currency."""
    return db.execute(
        f"""
        SELECT p.currency, sum(p.unapplied_cents) FROM payments p LEFT JOIN customers c ON c.id = p.customer_id
        WHERE p.unapplied_cents > 0 AND p.state = 'booked' AND {_OWNED}
        GROUP BY p.currency ORDER BY p.currency""",
        {"collector": collector},
    ).fetchall()
