"""Promises to pay: the open ones to judge, and the cash applied towards one."""

from sqlite_utils import Database

from arctui.store.read import rows, value


def open_promises(db: Database, customer_id: int | None = None) -> list[dict]:
    """Open promises (of one account, or of the whole book)."""
    where, params = ("AND customer_id = ?", [customer_id]) if customer_id is not None else ("", [])
    return rows(
        db,
        "SELECT id, customer_id, amount_cents, promised_date, grace_days, created_at,"
        f" paid_cents FROM promises WHERE status = 'open' {where}",
        params,
    )


def paid_towards(db: Database, promise_id: int, customer_id: int, start: str, end: str) -> int:
    """Cash applied from ``start`` to ``end`` (ISO dates) to the promise's invoices, or to any
    of the account's invoices when the promise names none."""
    return value(
        db,
        """
        SELECT coalesce(sum(a.amount_cents), 0)
        FROM payment_applications a JOIN invoices i ON i.id = a.invoice_id
        WHERE a.kind = 'apply' AND i.customer_id = :customer
          AND a.applied_date BETWEEN :start AND :end
          AND (NOT EXISTS (SELECT 1 FROM promise_invoices WHERE promise_id = :promise)
               OR a.invoice_id IN (SELECT invoice_id FROM promise_invoices WHERE promise_id = :promise))
        """,
        {"customer": customer_id, "start": start, "end": end, "promise": promise_id},
        0,
    )
