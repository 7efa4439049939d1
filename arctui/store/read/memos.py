"""Credit memos: those an account has waiting for a decision, the next memo number, and the
memo authority of a collector."""

from sqlite_utils import Database

from arctui.store.read import first, rows, value


def undecided(db: Database, customer_id: int) -> list[dict]:
    """The account's memos waiting for approval, then the approved ones waiting to be posted."""
    return rows(
        db,
        "SELECT * FROM credit_memos WHERE customer_id = ?"
        " AND status IN ('pending_approval', 'approved')"
        " ORDER BY status = 'approved', prepared_at, id",
        [customer_id],
    )


def next_number(db: Database, prefix: str = "CM") -> str:
    """The number the next memo gets: ``prefix`` (CM, or WO for a write-off), a dash and its id, six digits."""
    return value(db, "SELECT ? || '-' || printf('%06d', coalesce(max(id), 0) + 1) FROM credit_memos", [prefix])


def authority(db: Database, user: str) -> dict | None:
    """id and memo_limit_cents of ``user`` when an active collector; None otherwise (only
    active collectors prepare or decide credit memos)."""
    return first(db, "SELECT id, memo_limit_cents FROM collectors WHERE id = ? AND active <> 0", [user])
