"""Promises to pay: record, cancel, and settle them against the payments that arrive."""
from datetime import date, timedelta

from arctui.domain.promises import promise_status
from arctui.services.accounts_common import open_invoices_of
from arctui.services.context import Context
from arctui.services.errors import InvalidInput
from arctui.services.records import Action, action
from arctui.services.validate import not_before, positive_cents


def record_promise(ctx: Context, customer_id: int, amount_cents: int, promised_date: date,
                   invoice_ids=(), note: str = "", grace_days: int = 3) -> int:
    positive_cents("amount", amount_cents)
    not_before("promised date", promised_date, ctx.today())
    if not 0 <= grace_days <= 30:
        raise InvalidInput("grace days", f"expected 0 to 30, got {grace_days}")
    with action(ctx, "promise.record", "promises") as act:
        act.get("customers", customer_id)
        open_invoices_of(act, customer_id, invoice_ids)
        promise_id = act.insert("promises", {
            "customer_id": customer_id, "amount_cents": amount_cents,
            "promised_date": promised_date.isoformat(), "grace_days": grace_days,
            "status": "open", "paid_cents": 0, "note": note or None,
            "created_at": ctx.now(), "created_by": ctx.user,
        })
        for invoice_id in invoice_ids:
            act.insert("promise_invoices", {"promise_id": promise_id, "invoice_id": invoice_id})
        return promise_id


def cancel_promise(ctx: Context, promise_id: int, version: int, note: str = "") -> None:
    with action(ctx, "promise.cancel", "promises", promise_id) as act:
        promise = act.get("promises", promise_id)
        if promise["status"] != "open":
            raise InvalidInput("promise", f"promise {promise_id} is {promise['status']}, not open")
        act.update("promises", promise_id, {"status": "cancelled", "note": note or promise["note"],
                                            "resolved_date": ctx.today().isoformat()}, version)


def settle_promises(ctx: Context, customer_id: int | None = None) -> int:
    """Re-judge open promises from applied payments; return how many changed status."""
    with action(ctx, "promise.settle", "customers", customer_id) as act:
        return settle_open_promises(act, customer_id)


def settle_open_promises(act: Action, customer_id: int | None) -> int:
    """The settling step, inside an action already under way (e.g. a payment application)."""
    where, params = ("AND customer_id = ?", [customer_id]) if customer_id is not None else ("", [])
    promises = act.db.execute(
        "SELECT id, customer_id, amount_cents, promised_date, grace_days, created_at, paid_cents"
        f" FROM promises WHERE status = 'open' {where}", params
    ).fetchall()
    today = act.ctx.today()
    changed = 0
    for pid, cust, amount, promised, grace, created, paid_before in promises:
        promised = date.fromisoformat(promised)
        deadline = promised + timedelta(days=grace)
        paid = _paid_towards(act, pid, cust, created[:10], min(deadline, today).isoformat())
        status = promise_status(amount, promised, paid, today, grace)
        if status != "open" or paid != paid_before:
            act.update("promises", pid, {
                "status": status, "paid_cents": paid,
                "resolved_date": today.isoformat() if status != "open" else None,
            })
            changed += status != "open"
    return changed


def _paid_towards(act: Action, promise_id: int, customer_id: int, start: str, end: str) -> int:
    """Cash applied between the promise and its deadline: to its invoices, or to the account."""
    return act.db.execute(
        """
        SELECT coalesce(sum(a.amount_cents), 0)
        FROM payment_applications a JOIN invoices i ON i.id = a.invoice_id
        WHERE a.kind = 'apply' AND i.customer_id = :customer
          AND a.applied_date BETWEEN :start AND :end
          AND (NOT EXISTS (SELECT 1 FROM promise_invoices WHERE promise_id = :promise)
               OR a.invoice_id IN (SELECT invoice_id FROM promise_invoices WHERE promise_id = :promise))
        """,
        {"customer": customer_id, "start": start, "end": end, "promise": promise_id},
    ).fetchone()[0]
