"""Cash: receipts with unapplied money, a receipt by its bank reference, and the invoices a
remittance text names."""

from sqlite_utils import Database

from arctui.store.read import first, owed_invoice, rows


def unapplied_payments(db: Database, customer_id: int) -> list[dict]:
    """The account's receipts with unapplied cash, oldest first."""
    return rows(
        db,
        "SELECT * FROM payments WHERE customer_id = ? AND unapplied_cents > 0 ORDER BY received_date, id",
        [customer_id],
    )


def payment_by_ref(db: Database, bank_ref: str) -> dict | None:
    """id, amount_cents and currency of the receipt with this bank reference, or None."""
    return first(db, "SELECT id, amount_cents, currency FROM payments WHERE bank_ref = ?", [bank_ref])


def remittance(db: Database, payment_id: int) -> dict | None:
    """What cash application matches on: the receipt's remittance text, unapplied cash,
    account (None: payer unknown) and currency."""
    return first(
        db, "SELECT remittance, unapplied_cents, customer_id, currency FROM payments WHERE id = ?", [payment_id]
    )


def owed_invoice_named(db: Database, token: str) -> dict | None:
    """The invoice a remittance token names, as written or upper-cased (both through the
    unique index on number), while the customer still owes on it."""
    return first(
        db,
        "SELECT i.id, i.open_cents, i.customer_id, i.currency FROM invoices i"
        f" WHERE i.number IN (?, ?) AND {owed_invoice('i')}",
        [token, token.upper()],
    )
