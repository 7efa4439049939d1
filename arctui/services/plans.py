"""Payment plans: create, edit (respecting the version), cancel, and track instalments paid."""

from collections.abc import Sequence
from datetime import date

from arctui.domain.plans import FREQUENCIES, Instalment, allocate, check_schedule
from arctui.services import validate
from arctui.services.accounts_common import open_invoices_of
from arctui.services.context import Context
from arctui.services.errors import InvalidInput
from arctui.services.records import Action, action
from arctui.services.validate import a_day, at_most, choice, not_before
from arctui.store.read import plans as read_plans

MAX_INSTALMENTS = 120
"""The most instalments a plan may have (ten years of monthly payments)."""


def create_plan(
    ctx: Context,
    customer_id: int,
    total_cents: int,
    instalments: Sequence[Instalment],
    frequency: str,
    invoice_ids=(),
    note: str = "",
) -> int:
    choice("frequency", frequency, FREQUENCIES)
    with action(ctx, "plan.create", "payment_plans") as act:
        customer = act.get("customers", customer_id)
        _check(ctx, act, customer, total_cents, instalments, invoice_ids)
        busy = read_plans.first_on_active_plan(act.db, invoice_ids)
        if busy is not None:
            number = act.get("invoices", busy)["number"]
            raise InvalidInput("invoices", f"invoice {number} is already on an active plan")
        plan_id = act.insert(
            "payment_plans",
            {
                "customer_id": customer_id,
                "total_cents": total_cents,
                "frequency": frequency,
                "status": "active",
                "note": validate.note("note", note),
                "created_at": ctx.now(),
                "created_by": ctx.user,
            },
        )
        for invoice_id in invoice_ids:
            act.insert("plan_invoices", {"plan_id": plan_id, "invoice_id": invoice_id})
        _write_instalments(act, plan_id, instalments)
        return plan_id


def edit_plan(
    ctx: Context,
    plan_id: int,
    version: int,
    total_cents: int,
    instalments: Sequence[Instalment],
    note: str | None = None,
) -> None:
    """Replace the schedule of an active plan; refused if someone saved the plan since."""
    with action(ctx, "plan.edit", "payment_plans", plan_id) as act:
        plan = act.get("payment_plans", plan_id)
        act.require_version("payment_plans", plan, version)  # a change since loaded is said as such first
        if plan["status"] != "active":
            raise InvalidInput("plan", f"plan {plan_id} is {plan['status']}; only an active plan can be edited")
        invoice_ids = read_plans.plan_invoice_ids(act.db, plan_id)
        customer = act.get("customers", plan["customer_id"])
        changes = {"total_cents": total_cents}
        if note is not None:
            changes["note"] = validate.note("note", note)
        act.update("payment_plans", plan_id, changes, version)
        _check(ctx, act, customer, total_cents, instalments, invoice_ids, new_only=False)
        old = read_plans.instalments(act.db, plan_id)
        paid = sum(i["paid_cents"] for i in old)
        for instalment in old:
            act.delete("plan_instalments", instalment["id"])
        _write_instalments(act, plan_id, instalments, paid)


def cancel_plan(ctx: Context, plan_id: int, version: int, note: str = "") -> None:
    with action(ctx, "plan.cancel", "payment_plans", plan_id) as act:
        plan = act.get("payment_plans", plan_id)
        act.require_version("payment_plans", plan, version)
        if plan["status"] != "active":
            raise InvalidInput("plan", f"plan {plan_id} is already {plan['status']}")
        act.update(
            "payment_plans",
            plan_id,
            {"status": "cancelled", "note": validate.note("note", note) or plan["note"]},
            version,
        )


def _check(ctx, act: Action, customer: dict, total_cents: int, instalments, invoice_ids, new_only: bool = True) -> None:
    check_schedule(total_cents, instalments, customer["currency"])
    if len(instalments) > MAX_INSTALMENTS:
        raise InvalidInput("instalments", f"{len(instalments)} is more than {MAX_INSTALMENTS}")
    for instalment in instalments:
        a_day("instalment", instalment.due_date)
    if new_only:
        not_before("first instalment", instalments[0].due_date, ctx.today())
    invoices = (
        open_invoices_of(act, customer["id"], invoice_ids)
        if new_only
        else [act.get("invoices", i) for i in invoice_ids]
    )
    if invoices:
        at_most(
            "total",
            total_cents,
            sum(i["open_cents"] for i in invoices),
            "the open balance of the chosen invoices",
            customer["currency"],
        )


def _write_instalments(act: Action, plan_id: int, instalments, paid_cents: int = 0) -> None:
    paid = allocate(paid_cents, [i.amount_cents for i in instalments])
    for inst, inst_paid in zip(instalments, paid):
        act.insert(
            "plan_instalments",
            {
                "plan_id": plan_id,
                "seq": inst.seq,
                "due_date": inst.due_date.isoformat(),
                "amount_cents": inst.amount_cents,
                "paid_cents": inst_paid,
            },
        )


def settle_plans(act: Action, customer_id: int) -> None:
    """Spread cash applied to each active plan's invoices over its instalments, in order."""
    for plan in read_plans.active_plans(act.db, customer_id):
        paid = read_plans.applied_to_plan(act.db, plan["id"], plan["created_at"][:10])
        rows = read_plans.instalments(act.db, plan["id"])
        for row, after in zip(rows, allocate(paid, [r["amount_cents"] for r in rows])):
            if row["paid_cents"] != after:
                act.update("plan_instalments", row["id"], {"paid_cents": after})
        if rows and paid >= sum(r["amount_cents"] for r in rows):
            act.update("payment_plans", plan["id"], {"status": "completed"})


def load_plan(db, plan_id: int) -> list[Instalment]:
    """A plan's schedule as domain instalments (what the plan editor starts from)."""
    return [
        Instalment(i["seq"], date.fromisoformat(i["due_date"]), i["amount_cents"])
        for i in read_plans.instalments(db, plan_id)
    ]
