"""Payment plans: an account's active plans, a plan's invoices and schedule, what was paid."""

from sqlite_utils import Database

from arctui.store.read import rows, value


def active_plans(db: Database, customer_id: int) -> list[dict]:
    return rows(
        db, "SELECT * FROM payment_plans WHERE customer_id = ? AND status = 'active' ORDER BY id", [customer_id]
    )


def plan_invoice_ids(db: Database, plan_id: int) -> list[int]:
    return [
        r["invoice_id"]
        for r in rows(db, "SELECT invoice_id FROM plan_invoices WHERE plan_id = ? ORDER BY invoice_id", [plan_id])
    ]


def invoices_on_active_plans(db: Database, customer_id: int) -> set[int]:
    """The account's invoices an active plan covers."""
    return {
        r["invoice_id"]
        for r in rows(
            db,
            "SELECT pi.invoice_id FROM plan_invoices pi JOIN payment_plans p ON p.id = pi.plan_id"
            " WHERE p.customer_id = ? AND p.status = 'active'",
            [customer_id],
        )
    }


def first_on_active_plan(db: Database, invoice_ids) -> int | None:
    """One of ``invoice_ids`` that an active plan already covers, or None."""
    if not invoice_ids:
        return None
    return value(
        db,
        "SELECT pi.invoice_id FROM plan_invoices pi JOIN payment_plans p ON p.id = pi.plan_id"
        f" WHERE p.status = 'active' AND pi.invoice_id IN ({', '.join('?' * len(invoice_ids))})",
        list(invoice_ids),
    )


def instalments(db: Database, plan_id: int) -> list[dict]:
    """The plan's schedule in order: id, seq, due_date, amount_cents, paid_cents."""
    return rows(
        db,
        "SELECT id, seq, due_date, amount_cents, paid_cents FROM plan_instalments WHERE plan_id = ? ORDER BY seq",
        [plan_id],
    )


def applied_to_plan(db: Database, plan_id: int, since: str) -> int:
    """Cash applied to the plan's invoices from ``since`` (ISO date) on."""
    return value(
        db,
        """SELECT coalesce(sum(a.amount_cents), 0) FROM payment_applications a
               JOIN plan_invoices pi ON pi.invoice_id = a.invoice_id
               WHERE pi.plan_id = ? AND a.kind = 'apply' AND a.applied_date >= ?""",
        [plan_id, since],
        0,
    )
