"""Refund requests: a refund above the refunder's authority waits for a lead or manager, its
money held on the receipt."""

from sqlite_utils import Database

from arctui.store.read import rows, value


def held_cents(db: Database, payment_id: int) -> int:
    """The receipt's money asked for by refund requests still waiting (not applicable elsewhere)."""
    return value(
        db,
        "SELECT coalesce(sum(amount_cents), 0) FROM refund_requests"
        " WHERE payment_id = ? AND status = 'pending_approval'",
        [payment_id],
    )


def waiting_on(db: Database, payment_id: int) -> list[int]:
    """The ids of the receipt's refund requests still pending approval."""
    return [
        r["id"]
        for r in rows(
            db, "SELECT id FROM refund_requests WHERE payment_id = ? AND status = 'pending_approval'", [payment_id]
        )
    ]


def requests_waiting(db: Database, customer_id: int | None = None) -> list[dict]:
    """Refund requests pending approval (of receipts of the account ``customer_id``, if given),
    oldest first: id, payment_id, amount_cents, currency, note, requested_by, requested_at,
    version, received_date, and the receipt's account (customer_id, account_no, name, owner;
    None while the payer is unknown)."""
    return rows(
        db,
        """
        SELECT r.id, r.payment_id, r.amount_cents, r.currency, r.note, r.requested_by, r.requested_at, r.version,
               p.received_date, c.id AS customer_id, c.account_no, c.name, c.owner
        FROM refund_requests r JOIN payments p ON p.id = r.payment_id LEFT JOIN customers c ON c.id = p.customer_id
        WHERE r.status = 'pending_approval' AND (:customer_id IS NULL OR p.customer_id = :customer_id)
        ORDER BY r.requested_at, r.id""",
        {"customer_id": customer_id},
    )
