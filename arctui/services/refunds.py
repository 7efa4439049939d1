"""Refund requests: a refund above the refunder's authority (``cash.refund_needs_approval``)
is asked for, its money held on the receipt, and a lead or manager other than the requester
whose limit covers it approves (the refund is made that day) or rejects it with a note (the
money is free again). Each step is one audited action (``payment.refund_request``,
``refund.approve``, ``refund.reject``)."""

from arctui.domain.authority import AuthorityError, check_approver
from arctui.services.accounts_common import require_lead
from arctui.services.cash import insert_application, refund_remittance, require_cash
from arctui.services.context import Context
from arctui.services.records import action
from arctui.services.validate import note as optional_note
from arctui.services.validate import required
from arctui.store.read.rates import book_currency
from arctui.store.read.team import authority

WHAT = "refund"


def approve_refund(ctx: Context, request_id: int, version: int, note: str = "") -> None:
    """Make the requested refund, dated today, from the money held for it."""
    with action(ctx, "refund.approve", "refund_requests", request_id) as act:
        request = act.pending_approval("refund_requests", request_id, version)
        require_lead(act, "approve refunds above a collector's limit")
        limit = authority(act.db, ctx.user, "refund")["limit_cents"]
        # the limit is in the book's currency: a refund in another is a lead's or manager's to make
        in_book = request["currency"] == book_currency(act.db)
        check_approver(
            request["amount_cents"] if in_book else 0,
            request["requested_by"],
            ctx.user,
            limit,
            request["currency"],
            WHAT,
        )
        payment = act.get("payments", request["payment_id"])
        require_cash(payment)
        insert_application(act, payment["id"], None, "refund", request["amount_cents"], ctx.today().isoformat())
        act.update(
            "payments",
            payment["id"],
            {
                "remittance": refund_remittance(payment, request["amount_cents"], request["note"]),
                "unapplied_cents": payment["unapplied_cents"] - request["amount_cents"],
            },
        )
        act.decide("refund_requests", request, "refunded", optional_note("note", note))


def reject_refund(ctx: Context, request_id: int, version: int, note: str) -> None:
    """Turn the request down, saying why: the money held for it is free to apply or refund again."""
    note = required("note", note)
    with action(ctx, "refund.reject", "refund_requests", request_id) as act:
        request = act.pending_approval("refund_requests", request_id, version)
        require_lead(act, "decide on refunds above a collector's limit")
        if request["requested_by"].casefold() == ctx.user.casefold():
            raise AuthorityError(f"{ctx.user} asked for this {WHAT}: another lead or manager decides on it")
        act.decide("refund_requests", request, "rejected", note)
