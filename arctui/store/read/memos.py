"""Credit memos: those an account has waiting for a decision, and the next memo number."""

from sqlite_utils import Database

from arctui.store.read import rows


def undecided(db: Database, customer_id: int) -> list[dict]:
    """The account's memos waiting for approval, then the approved ones waiting to be posted."""
    return rows(
        db,
        "SELECT * FROM credit_memos WHERE customer_id = ?"
        " AND status IN ('pending_approval', 'approved')"
        " ORDER BY status = 'approved', prepared_at, id",
        [customer_id],
    )
