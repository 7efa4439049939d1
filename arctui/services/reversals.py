"""Reversals: a receipt the bank took back (MT940 ``RC``, camt ``RvslInd``) is undone, never
netted against other cash and never a receipt of its own.

Undoing is one audited action: the receipt's applications are removed (the audit row keeps
each of them) and their invoices reopen by what they had taken; a refund asked of it and still
waiting for approval is rejected (there is no money left to refund); the receipt keeps its amount,
is ``reversed`` and has no unapplied cash, so it is no longer cash anywhere (see
``arctui.store.read.BOOKED``); the account's promises and plan instalments are judged again.
The applications are gone, not dated: a view of the book as of a day before the reversal no
longer shows them (the audit row holds each as it was).
"""

from arctui.services.cash import settle_account
from arctui.services.context import Context
from arctui.services.errors import InvalidInput
from arctui.services.records import action
from arctui.store.read import cash as read
from arctui.store.read import refunds

# a reference shorter than this says too little to tie a reversal to one receipt
SHORTEST_REFERENCE = 4


def find_reversed(
    ctx: Context, account: str, currency: str, amount_cents: int, references: tuple[str, ...]
) -> list[dict]:
    """The receipts (any state) a reversal may take back: keyed on ``account``, of its amount
    and currency, and holding one of its ``references`` in their key or remittance."""
    wanted = [r for r in references if len(r) >= SHORTEST_REFERENCE]
    return [
        receipt
        for receipt in read.receipts_keyed_on(ctx.db, account, currency, amount_cents)
        if any(r in receipt["bank_ref"] or r in (receipt["remittance"] or "") for r in wanted)
    ]


def reverse_receipt(ctx: Context, payment_id: int, why: str) -> None:
    """Undo a receipt the bank took back, booked or still pending (see the module's
    docstring); ``why`` (the file and entry that reversed it) is added to its remittance."""
    with action(ctx, "payment.reverse", "payments", payment_id) as act:
        payment = act.get("payments", payment_id)
        if payment["state"] == "reversed":
            raise InvalidInput("payment", f"receipt {payment_id} is reversed already")
        for application in read.applications_of(act.db, payment_id):
            invoice = act.get("invoices", application["invoice_id"])
            act.delete("payment_applications", application["id"], {"reversed": why})
            act.update(
                "invoices",
                invoice["id"],
                {"open_cents": invoice["open_cents"] + application["amount_cents"], "closed_date": None},
            )
        for request_id in refunds.waiting_on(act.db, payment_id):
            act.update(
                "refund_requests",
                request_id,
                {
                    "status": "rejected",
                    "decided_by": ctx.user,
                    "decided_at": ctx.now(),
                    "decision_note": f"the bank took the receipt back: {why}",
                },
            )
        remittance = f"{payment['remittance'] or ''}\nreversed: {why}".strip()
        act.update("payments", payment_id, {"state": "reversed", "unapplied_cents": 0, "remittance": remittance})
        if payment["customer_id"] is not None:
            settle_account(act, payment["customer_id"])
