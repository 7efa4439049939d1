"""Log a call, email, letter, portal message or note on an account."""

from datetime import date

from arctui.domain.statuses import OUTCOME_CODES, TOUCHPOINT_KINDS
from arctui.services import validate
from arctui.services.context import Context
from arctui.services.errors import InvalidInput
from arctui.services.records import action
from arctui.services.validate import choice, iso, not_before

FOLLOW_UP_REQUIRED = ("CB",)
"""Outcomes that are a date to come back on: a call back requested is logged with its date."""


def needs_follow_up(outcome_code: str | None) -> bool:
    return outcome_code in FOLLOW_UP_REQUIRED


def log_touchpoint(
    ctx: Context,
    customer_id: int,
    kind: str,
    outcome_code: str,
    note: str = "",
    follow_up_date: date | None = None,
    contact_id: int | None = None,
) -> int:
    """A contact with the account (a note must say something); a follow-up date is not in
    the past, a call back (CB) has one, and a contact named is one of the account's."""
    choice("kind", kind, TOUCHPOINT_KINDS)
    choice("outcome", outcome_code, OUTCOME_CODES)
    note = validate.note("note", note)
    if kind == "note" and not note:
        raise InvalidInput("note", "a note needs its text")
    if follow_up_date is not None:
        not_before("follow-up date", follow_up_date, ctx.today())
    elif needs_follow_up(outcome_code):
        raise InvalidInput("follow-up date", f"a {OUTCOME_CODES[outcome_code]} needs the date to call back on")
    with action(ctx, f"touchpoint.{kind}", "touchpoints") as act:
        act.get("customers", customer_id)
        if contact_id is not None:
            contact = act.get("contacts", contact_id)
            if contact["customer_id"] != customer_id:
                raise InvalidInput("contact", f"{contact['name']} is not a contact of this account")
        return act.insert(
            "touchpoints",
            {
                "customer_id": customer_id,
                "contact_id": contact_id,
                "kind": kind,
                "outcome_code": outcome_code,
                "note": note,
                "follow_up_date": iso(follow_up_date),
                "at": ctx.now(),
                "by": ctx.user,
            },
        )
