"""Disputes: open one on an invoice, resolve it."""

from arctui.domain.statuses import DISPUTE_REASONS
from arctui.services import validate
from arctui.services.context import Context
from arctui.services.errors import InvalidInput
from arctui.services.records import action
from arctui.services.validate import at_most, choice, positive_cents
from arctui.store.read.disputes import undisputed_cents

RESOLUTIONS = {
    "credited": "resolved with a credit memo",
    "customer_will_pay": "the invoice stands; the customer will pay",
    "withdrawn": "the customer withdrew the dispute",
}


def open_dispute(ctx: Context, invoice_id: int, amount_cents: int, reason: str, note: str = "") -> int:
    """Dispute part or all of an invoice: never more than its undisputed open balance (the
    open balance less what open disputes on it already hold)."""
    positive_cents("amount", amount_cents)
    choice("reason", reason, DISPUTE_REASONS)
    with action(ctx, "dispute.open", "disputes") as act:
        invoice = act.get("invoices", invoice_id)
        at_most(
            "amount",
            amount_cents,
            undisputed_cents(act.db, invoice_id),
            f"the undisputed open balance of {invoice['number']}",
            invoice["currency"],
        )
        return act.insert(
            "disputes",
            {
                "customer_id": invoice["customer_id"],
                "invoice_id": invoice_id,
                "amount_cents": amount_cents,
                "reason": reason,
                "note": validate.note("note", note),
                "status": "open",
                "opened_at": ctx.now(),
                "opened_by": ctx.user,
            },
        )


def resolve_dispute(ctx: Context, dispute_id: int, version: int, resolution: str, note: str = "") -> None:
    choice("resolution", resolution, RESOLUTIONS)
    with action(ctx, "dispute.resolve", "disputes", dispute_id) as act:
        dispute = act.get("disputes", dispute_id)
        act.require_version("disputes", dispute, version)  # a change since loaded is said as such first
        if dispute["status"] != "open":
            raise InvalidInput("dispute", f"dispute {dispute_id} is already resolved")
        act.update(
            "disputes",
            dispute_id,
            {
                "status": "resolved",
                "resolution": resolution,
                "note": validate.note("note", note) or dispute["note"],
                "resolved_at": ctx.now(),
                "resolved_by": ctx.user,
            },
            version,
        )
