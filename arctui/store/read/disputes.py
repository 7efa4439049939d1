"""Disputes: the open ones of an account, and what of an invoice is not yet disputed."""

from sqlite_utils import Database

from arctui.store.read import rows, value


def open_disputes(db: Database, customer_id: int) -> list[dict]:
    """The account's open disputes, oldest first, each with its invoice's ``invoice_number``."""
    return rows(
        db,
        "SELECT d.*, i.number AS invoice_number FROM disputes d"
        " JOIN invoices i ON i.id = d.invoice_id"
        " WHERE d.customer_id = ? AND d.status = 'open' ORDER BY d.opened_at, d.id",
        [customer_id],
    )


def undisputed_cents(db: Database, invoice_id: int) -> int:
    """The invoice's open balance less what its open disputes already hold: the most a new
    dispute on it may claim (the one definition the dispute service and form share)."""
    return value(
        db,
        """
        SELECT i.open_cents - (SELECT coalesce(sum(d.amount_cents), 0) FROM disputes d
                               WHERE d.invoice_id = i.id AND d.status = 'open')
        FROM invoices i WHERE i.id = ?""",
        [invoice_id],
        0,
    )
