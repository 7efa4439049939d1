"""Promises to pay: record, cancel, and settle them against the payments that arrive."""

from datetime import date, timedelta

from arctui.domain.promises import promise_status
from arctui.services.accounts_common import open_invoices_of
from arctui.services.context import Context
from arctui.services.errors import InvalidInput
from arctui.services.records import Action, action
from arctui.services.validate import at_most, not_before, positive_cents
from arctui.store.read import invoices as read_invoices
from arctui.store.read import promises as read_promises


def promise_cap(db, customer_id: int, invoice_ids=()) -> tuple[int, str]:
    """The most a promise may be for, and what that is in words: what the account owes on
    the chosen invoices, or on all its invoices when none is chosen."""
    what = "the open balance of the chosen invoices" if invoice_ids else "the account's open balance"
    return read_invoices.owed_cents(db, customer_id, invoice_ids), what


def record_promise(
    ctx: Context,
    customer_id: int,
    amount_cents: int,
    promised_date: date,
    invoice_ids=(),
    note: str = "",
    grace_days: int = 3,
) -> int:
    """A promise to pay ``amount_cents`` by ``promised_date``, covering ``invoice_ids`` (the
    account as a whole when none); never more than the account owes on them."""
    positive_cents("amount", amount_cents)
    not_before("promised date", promised_date, ctx.today())
    if not 0 <= grace_days <= 30:
        raise InvalidInput("grace days", f"expected 0 to 30, got {grace_days}")
    with action(ctx, "promise.record", "promises") as act:
        customer = act.get("customers", customer_id)
        open_invoices_of(act, customer_id, invoice_ids)
        most, what = promise_cap(act.db, customer_id, invoice_ids)
        at_most("amount", amount_cents, most, what, customer["currency"])
        promise_id = act.insert(
            "promises",
            {
                "customer_id": customer_id,
                "amount_cents": amount_cents,
                "promised_date": promised_date.isoformat(),
                "grace_days": grace_days,
                "status": "open",
                "paid_cents": 0,
                "note": note or None,
                "created_at": ctx.now(),
                "created_by": ctx.user,
            },
        )
        for invoice_id in invoice_ids:
            act.insert("promise_invoices", {"promise_id": promise_id, "invoice_id": invoice_id})
        return promise_id


def cancel_promise(ctx: Context, promise_id: int, version: int, note: str = "") -> None:
    with action(ctx, "promise.cancel", "promises", promise_id) as act:
        promise = act.get("promises", promise_id)
        if promise["status"] != "open":
            raise InvalidInput("promise", f"promise {promise_id} is {promise['status']}, not open")
        act.update(
            "promises",
            promise_id,
            {"status": "cancelled", "note": note or promise["note"], "resolved_date": ctx.today().isoformat()},
            version,
        )


def settle_promises(ctx: Context, customer_id: int | None = None) -> int:
    """Re-judge open promises from applied payments; return how many changed status."""
    with action(ctx, "promise.settle", "customers", customer_id) as act:
        return settle_open_promises(act, customer_id)


def settle_open_promises(act: Action, customer_id: int | None) -> int:
    """The settling step, inside an action already under way (e.g. a payment application)."""
    today = act.ctx.today()
    changed = 0
    for p in read_promises.open_promises(act.db, customer_id):
        promised = date.fromisoformat(p["promised_date"])
        deadline = promised + timedelta(days=p["grace_days"])
        paid = read_promises.paid_towards(
            act.db, p["id"], p["customer_id"], p["created_at"][:10], min(deadline, today).isoformat()
        )
        status = promise_status(p["amount_cents"], promised, paid, today, p["grace_days"])
        if status != "open" or paid != p["paid_cents"]:
            act.update(
                "promises",
                p["id"],
                {
                    "status": status,
                    "paid_cents": paid,
                    "resolved_date": today.isoformat() if status != "open" else None,
                },
            )
            changed += status != "open"
    return changed
