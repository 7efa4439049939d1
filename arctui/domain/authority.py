"""Authority limits on credit memos, write-offs and refunds: four eyes above the preparer's limit."""

from arctui.domain.money import format_money

LIMIT_KINDS = {
    "credit": "credit memo",
    "write_off": "write-off",
    "credit_limit": "credit-limit raise",
    "refund": "refund",
}
"""What an authority limit may be set for (``authority_limits.kind``) and what a message calls it.
Without a limit of its own, a kind falls under the collector's general limit."""


class AuthorityError(PermissionError):
    """An approval that the approver may not give."""


def needs_approval(amount_cents: int, preparer_limit_cents: int) -> bool:
    return amount_cents > preparer_limit_cents


def check_approver(
    amount_cents: int,
    preparer: str,
    approver: str,
    approver_limit_cents: int,
    currency: str = "USD",
    what: str = "credit memo",
) -> None:
    """Raise AuthorityError unless `approver` may approve this credit memo (or ``what``)."""
    if approver.strip().casefold() == preparer.strip().casefold():
        raise AuthorityError(f"{approver} prepared this {what}: nobody approves their own {what}")
    if amount_cents > approver_limit_cents:
        amount = format_money(amount_cents, currency)
        limit = format_money(approver_limit_cents, currency)
        raise AuthorityError(f"{what} of {amount} is above {approver}'s limit of {limit}")
