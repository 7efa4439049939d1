"""Read-only queries the action forms fill their choices from (writes go through services)."""
from datetime import date

from sqlite_utils import Database

from arctui.domain.money import format_money
from arctui.services import records


def _rows(db: Database, sql: str, params=()) -> list[dict]:
    cursor = db.execute(sql, params)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def customer(db: Database, customer_id: int) -> dict:
    return records.get(db, "customers", customer_id)


def collector(db: Database, collector_id: str) -> dict | None:
    found = _rows(db, "SELECT * FROM collectors WHERE id = ?", [collector_id])
    return found[0] if found else None


def open_invoices(db: Database, customer_id: int) -> list[dict]:
    return _rows(
        db,
        "SELECT id, number, due_date, currency, amount_cents, open_cents, version FROM invoices"
        " WHERE customer_id = ? AND open_cents > 0 ORDER BY due_date, number",
        [customer_id],
    )


def invoice_label(invoice: dict, today: date) -> str:
    days = (today - date.fromisoformat(invoice["due_date"])).days
    age = f"{days}d past due" if days > 0 else f"due {invoice['due_date']}"
    return f"{invoice['number']}  {format_money(invoice['open_cents'], invoice['currency'])} open  {age}"


def contacts(db: Database, customer_id: int) -> list[dict]:
    return _rows(
        db, "SELECT * FROM contacts WHERE customer_id = ? ORDER BY is_primary DESC, name",
        [customer_id],
    )


def open_disputes(db: Database, customer_id: int) -> list[dict]:
    return _rows(
        db,
        "SELECT d.*, i.number AS invoice_number FROM disputes d JOIN invoices i ON i.id = d.invoice_id"
        " WHERE d.customer_id = ? AND d.status = 'open' ORDER BY d.opened_at, d.id",
        [customer_id],
    )


def undecided_memos(db: Database, customer_id: int) -> list[dict]:
    """Memos waiting for approval, then approved ones waiting to be posted."""
    return _rows(
        db,
        "SELECT * FROM credit_memos WHERE customer_id = ? AND status IN ('pending_approval', 'approved')"
        " ORDER BY status = 'approved', prepared_at, id",
        [customer_id],
    )


def unapplied_payments(db: Database, customer_id: int) -> list[dict]:
    return _rows(
        db,
        "SELECT * FROM payments WHERE customer_id = ? AND unapplied_cents > 0"
        " ORDER BY received_date, id",
        [customer_id],
    )


def active_plans(db: Database, customer_id: int) -> list[dict]:
    return _rows(
        db,
        "SELECT * FROM payment_plans WHERE customer_id = ? AND status = 'active' ORDER BY id",
        [customer_id],
    )


def plan_invoice_ids(db: Database, plan_id: int) -> list[int]:
    return [r["invoice_id"] for r in _rows(
        db, "SELECT invoice_id FROM plan_invoices WHERE plan_id = ? ORDER BY invoice_id", [plan_id])]


def invoices_on_active_plans(db: Database, customer_id: int) -> set[int]:
    return {r["invoice_id"] for r in _rows(
        db,
        "SELECT pi.invoice_id FROM plan_invoices pi JOIN payment_plans p ON p.id = pi.plan_id"
        " WHERE p.customer_id = ? AND p.status = 'active'",
        [customer_id],
    )}
