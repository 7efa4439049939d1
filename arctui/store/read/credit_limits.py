"""Credit-limit changes waiting for a decision."""

from sqlite_utils import Database

from arctui.store.read import rows


def changes_waiting(db: Database, customer_id: int | None = None) -> list[dict]:
    """Changes pending approval (of the account ``customer_id``, if given), oldest first: id,
    currency, from_cents, to_cents, note, requested_by, requested_at, version, and the account
    (customer_id, account_no, name, owner)."""
    return rows(
        db,
        """
        SELECT l.id, l.currency, l.from_cents, l.to_cents, l.note, l.requested_by, l.requested_at, l.version,
               c.id AS customer_id, c.account_no, c.name, c.owner
        FROM credit_limit_changes l JOIN customers c ON c.id = l.customer_id
        WHERE l.status = 'pending_approval' AND (:customer_id IS NULL OR l.customer_id = :customer_id)
        ORDER BY l.requested_at, l.id""",
        {"customer_id": customer_id},
    )
