"""What ``arctui status`` shows, read over a plain read-only ``sqlite3`` connection: the
status line runs every few seconds in a shell prompt or a tmux bar, so it loads neither
sqlite-utils nor the services, and never writes (nor migrates) the book."""

import sqlite3
from datetime import date
from urllib.parse import quote

from arctui.store.read import BOOK_CURRENCY_SQL, promise_broken_today

_OWNED = "(:collector IS NULL OR c.owner = :collector)"


def open_read_only(path: str) -> sqlite3.Connection:
    """The book at ``path``, read only; a missing file is an error, never a new empty book."""
    db = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=5)
    db.execute("PRAGMA query_only = 1")
    return db


def is_collector(db: sqlite3.Connection, login: str) -> bool:
    """Whether the team knows ``login`` (active or not)."""
    return db.execute("SELECT 1 FROM collectors WHERE id = ?", [login]).fetchone() is not None


def counts(db: sqlite3.Connection, today: date, user: str, collector: str | None) -> dict[str, int]:
    """On ``collector``'s accounts (None: the book's): open promises due today, promises
    broken today (as the lead's inbox counts them), accounts with a dunning call task no call
    has followed yet; and what ``user`` may decide as an active
    collector, never on their own request: credit memos and write-offs, and credit-limit
    raises, within their authority limit for the kind; escalations recommended, and refund requests within
    their limit (in another currency than the book's: any), for a lead or manager."""
    row = db.execute(
        f"""
        WITH approver AS (SELECT role FROM collectors WHERE id = :user AND active <> 0),
             limits AS (SELECT kind, limit_cents FROM collector_limits WHERE collector_id = :user AND active <> 0)
        SELECT
          (SELECT count(*) FROM promises p JOIN customers c ON c.id = p.customer_id
           WHERE p.status = 'open' AND p.promised_date = :today AND {_OWNED}),
          (SELECT count(*) FROM promises p JOIN customers c ON c.id = p.customer_id
           WHERE {promise_broken_today("p")} AND {_OWNED}),
          (SELECT count(DISTINCT d.customer_id) FROM dunning_tasks d JOIN customers c ON c.id = d.customer_id
           WHERE d.channel = 'call' AND d.day <= :today AND {_OWNED}
             AND NOT EXISTS (SELECT 1 FROM touchpoints t
                             WHERE t.customer_id = d.customer_id AND t.kind = 'call' AND t.at >= d.day)),
          (SELECT count(*) FROM credit_memos m JOIN limits k ON k.kind = m.kind
           WHERE m.status = 'pending_approval' AND lower(m.prepared_by) <> lower(:user)
             AND m.amount_cents <= k.limit_cents)
          + (SELECT count(*) FROM credit_limit_changes l JOIN limits k ON k.kind = 'credit_limit'
             WHERE l.status = 'pending_approval' AND lower(l.requested_by) <> lower(:user)
               AND max(l.to_cents - coalesce(l.from_cents, 0), 0) <= k.limit_cents)
          + (SELECT count(*) FROM escalations e, approver a
             WHERE a.role IN ('lead', 'manager') AND e.status = 'recommended'
               AND lower(e.recommended_by) <> lower(:user))
          + (SELECT count(*) FROM refund_requests r, approver a JOIN limits k ON k.kind = 'refund'
             WHERE a.role IN ('lead', 'manager') AND r.status = 'pending_approval'
               AND lower(r.requested_by) <> lower(:user)
               AND (r.amount_cents <= k.limit_cents OR r.currency <> {BOOK_CURRENCY_SQL}))
        """,
        {"today": today.isoformat(), "collector": collector, "user": user},
    ).fetchone()
    return dict(zip(("due_today", "broken", "calls", "to_approve"), row))


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
