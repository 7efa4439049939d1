"""Payment plans: create, edit (respecting the version), cancel, and track instalments paid."""
from collections.abc import Sequence
from datetime import date

from arctui.domain.plans import FREQUENCIES, Instalment, allocate, check_schedule
from arctui.services.accounts_common import open_invoices_of
from arctui.services.context import Context
from arctui.services.errors import InvalidInput
from arctui.services.records import Action, action
from arctui.services.validate import at_most, choice, not_before


def create_plan(ctx: Context, customer_id: int, total_cents: int, instalments: Sequence[Instalment],
                frequency: str, invoice_ids=(), note: str = "") -> int:
    choice("frequency", frequency, FREQUENCIES)
    with action(ctx, "plan.create", "payment_plans") as act:
        customer = act.get("customers", customer_id)
        _check(ctx, act, customer, total_cents, instalments, invoice_ids)
        busy = act.db.execute(
            "SELECT pi.invoice_id FROM plan_invoices pi JOIN payment_plans p ON p.id = pi.plan_id"
            f" WHERE p.status = 'active' AND pi.invoice_id IN ({', '.join('?' * len(invoice_ids))})",
            list(invoice_ids),
        ).fetchone() if invoice_ids else None
        if busy:
            number = act.get("invoices", busy[0])["number"]
            raise InvalidInput("invoices", f"invoice {number} is already on an active plan")
        plan_id = act.insert("payment_plans", {
            "customer_id": customer_id, "total_cents": total_cents, "frequency": frequency,
            "status": "active", "note": note or None, "created_at": ctx.now(), "created_by": ctx.user,
        })
        for invoice_id in invoice_ids:
            act.insert("plan_invoices", {"plan_id": plan_id, "invoice_id": invoice_id})
        _write_instalments(act, plan_id, instalments)
        return plan_id


def edit_plan(ctx: Context, plan_id: int, version: int, total_cents: int,
              instalments: Sequence[Instalment], note: str | None = None) -> None:
    """Replace the schedule of an active plan; refused if someone saved the plan since."""
    with action(ctx, "plan.edit", "payment_plans", plan_id) as act:
        plan = act.get("payment_plans", plan_id)
        if plan["status"] != "active":
            raise InvalidInput("plan", f"plan {plan_id} is {plan['status']}; only an active plan can be edited")
        invoice_ids = [r[0] for r in act.db.execute(
            "SELECT invoice_id FROM plan_invoices WHERE plan_id = ?", [plan_id])]
        customer = act.get("customers", plan["customer_id"])
        changes = {"total_cents": total_cents}
        if note is not None:
            changes["note"] = note
        act.update("payment_plans", plan_id, changes, version)
        _check(ctx, act, customer, total_cents, instalments, invoice_ids, new_only=False)
        paid = act.db.execute(
            "SELECT coalesce(sum(paid_cents), 0) FROM plan_instalments WHERE plan_id = ?", [plan_id]
        ).fetchone()[0]
        for (instalment_id,) in act.db.execute(
                "SELECT id FROM plan_instalments WHERE plan_id = ?", [plan_id]).fetchall():
            act.delete("plan_instalments", instalment_id)
        _write_instalments(act, plan_id, instalments, paid)


def cancel_plan(ctx: Context, plan_id: int, version: int, note: str = "") -> None:
    with action(ctx, "plan.cancel", "payment_plans", plan_id) as act:
        plan = act.get("payment_plans", plan_id)
        if plan["status"] != "active":
            raise InvalidInput("plan", f"plan {plan_id} is already {plan['status']}")
        act.update("payment_plans", plan_id, {"status": "cancelled", "note": note or plan["note"]}, version)


def _check(ctx, act: Action, customer: dict, total_cents: int, instalments, invoice_ids,
           new_only: bool = True) -> None:
    check_schedule(total_cents, instalments, customer["currency"])
    if new_only:
        not_before("first instalment", instalments[0].due_date, ctx.today())
    invoices = open_invoices_of(act, customer["id"], invoice_ids) if new_only else [
        act.get("invoices", i) for i in invoice_ids]
    if invoices:
        at_most("total", total_cents, sum(i["open_cents"] for i in invoices),
                "the open balance of the chosen invoices", customer["currency"])


def _write_instalments(act: Action, plan_id: int, instalments, paid_cents: int = 0) -> None:
    paid = allocate(paid_cents, [i.amount_cents for i in instalments])
    for inst, inst_paid in zip(instalments, paid):
        act.insert("plan_instalments", {
            "plan_id": plan_id, "seq": inst.seq, "due_date": inst.due_date.isoformat(),
            "amount_cents": inst.amount_cents, "paid_cents": inst_paid,
        })


def settle_plans(act: Action, customer_id: int) -> None:
    """Spread cash applied to each active plan's invoices over its instalments, in order."""
    plans = act.db.execute(
        "SELECT id, created_at FROM payment_plans WHERE status = 'active' AND customer_id = ?",
        [customer_id],
    ).fetchall()
    for plan_id, created_at in plans:
        paid = act.db.execute(
            """SELECT coalesce(sum(a.amount_cents), 0) FROM payment_applications a
               JOIN plan_invoices pi ON pi.invoice_id = a.invoice_id
               WHERE pi.plan_id = ? AND a.kind = 'apply' AND a.applied_date >= ?""",
            [plan_id, created_at[:10]],
        ).fetchone()[0]
        rows = act.db.execute(
            "SELECT id, amount_cents, paid_cents FROM plan_instalments WHERE plan_id = ? ORDER BY seq",
            [plan_id],
        ).fetchall()
        for (inst_id, _, before), after in zip(rows, allocate(paid, [r[1] for r in rows])):
            if before != after:
                act.update("plan_instalments", inst_id, {"paid_cents": after})
        if rows and paid >= sum(r[1] for r in rows):
            act.update("payment_plans", plan_id, {"status": "completed"})


def load_plan(db, plan_id: int) -> list[Instalment]:
    """A plan's schedule as domain instalments (what the plan editor starts from)."""
    return [Instalment(seq, date.fromisoformat(due), amount) for seq, due, amount in db.execute(
        "SELECT seq, due_date, amount_cents FROM plan_instalments WHERE plan_id = ? ORDER BY seq",
        [plan_id])]
