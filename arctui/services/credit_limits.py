"""Credit-limit changes under authority limits, like credit memos: a change that raises an
account's limit by no more than the requester's authority limit is applied at once (a lowered
limit always is); a larger raise waits for someone else whose limit covers it. The account's
limit changes only when a change is applied; each step is one audited action."""

from arctui.domain.authority import AuthorityError, check_approver, needs_approval
from arctui.domain.money import format_money
from arctui.services.context import Context
from arctui.services.errors import InvalidInput, StaleEdit
from arctui.services.records import Action, action
from arctui.services.validate import required
from arctui.store.read.team import authority

WHAT = "credit-limit raise"


def raise_of(change: dict) -> int:
    """How much the change raises the limit (none set counts as 0); 0 for a lower limit."""
    return max(change["to_cents"] - (change["from_cents"] or 0), 0)


def change_credit_limit(ctx: Context, customer_id: int, limit_cents: int, note: str, version: int | None) -> int:
    """Ask for the account's credit limit to be ``limit_cents`` (``version``: the account's as
    loaded); returns the change's id, applied at once or pending approval."""
    if not isinstance(limit_cents, int) or isinstance(limit_cents, bool) or limit_cents < 0:
        raise InvalidInput("credit limit", f"expected an amount of zero or more in minor units, got {limit_cents!r}")
    note = required("note", note)
    with action(ctx, "credit_limit.request", "credit_limit_changes") as act:
        customer = act.get("customers", customer_id)
        act.require_version("customers", customer, version)
        if customer["credit_limit_cents"] == limit_cents:
            raise InvalidInput(
                "credit limit",
                f"{customer['account_no']}'s limit is {format_money(limit_cents, customer['currency'])} already",
            )
        limit = _authority(act, ctx.user)
        change = {
            "customer_id": customer_id,
            "currency": customer["currency"],
            "from_cents": customer["credit_limit_cents"],
            "to_cents": limit_cents,
            "note": note,
            "status": "pending_approval",
            "requested_by": ctx.user,
            "requested_at": ctx.now(),
        }
        change_id = act.insert("credit_limit_changes", change)
        if not needs_approval(raise_of(change), limit):
            _apply(act, {**change, "id": change_id, "version": 1}, "within the requester's limit")
        return change_id


def approve_credit_limit(ctx: Context, change_id: int, version: int, note: str = "") -> None:
    """Apply a pending change: someone other than its requester whose limit covers the raise.
    An account whose limit changed since the request is refused (ask again)."""
    with action(ctx, "credit_limit.approve", "credit_limit_changes", change_id) as act:
        change = act.pending_approval("credit_limit_changes", change_id, version)
        check_approver(
            raise_of(change), change["requested_by"], ctx.user, _authority(act, ctx.user), change["currency"], WHAT
        )
        _apply(act, change, note)


def reject_credit_limit(ctx: Context, change_id: int, version: int, note: str) -> None:
    note = required("note", note)
    with action(ctx, "credit_limit.reject", "credit_limit_changes", change_id) as act:
        change = act.pending_approval("credit_limit_changes", change_id, version)
        _authority(act, ctx.user)
        if change["requested_by"].casefold() == ctx.user.casefold():
            raise AuthorityError(f"{ctx.user} asked for this {WHAT}: another collector decides on it")
        act.decide("credit_limit_changes", change, "rejected", note)


def _apply(act: Action, change: dict, note: str) -> None:
    customer = act.get("customers", change["customer_id"])
    if customer["credit_limit_cents"] != change["from_cents"]:
        raise StaleEdit(
            f"{customer['account_no']}'s credit limit was changed by {customer['updated_by']} at"
            f" {customer['updated_at']} since this change was asked for; ask again"
        )
    act.update("customers", customer["id"], {"credit_limit_cents": change["to_cents"]})
    act.decide("credit_limit_changes", change, "applied", note)


def _authority(act: Action, user: str) -> int:
    found = authority(act.db, user, "credit_limit")
    if found is None:
        raise AuthorityError(f"{user} is not an active collector: only collectors change credit limits")
    return found["limit_cents"]
