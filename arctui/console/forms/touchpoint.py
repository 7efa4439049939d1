"""Log a call, email, letter, portal message or note: its outcome (type its code: ``P`` for PTP,
``CB`` for a call back), the note right after it, the contact (the account's primary contact,
or its only one, comes chosen) and a follow-up date (a call back needs one)."""

from functools import partial

from textual.app import ComposeResult
from textual.widgets import Input

from arctui.console.forms import fields
from arctui.console.forms.base import ActionForm, options
from arctui.console.forms.widgets import Choice
from arctui.domain.statuses import OUTCOME_CODES, TOUCHPOINT_KINDS
from arctui.services.touchpoints import log_touchpoint, needs_follow_up
from arctui.store.read.contacts import active_contacts


class TouchpointForm(ActionForm):
    FORM_TITLE = "Log call / email / note"

    def compose_fields(self) -> ComposeResult:
        known = active_contacts(self.ctx.db, self.customer_id)
        contacts = [(f"{c['name']}  {c['role'] or ''}".strip(), c["id"]) for c in known]
        primary = [c["id"] for c in known if c["is_primary"]]
        default = primary[0] if primary else known[0]["id"] if len(known) == 1 else Choice.NULL
        yield self.field("Kind", Choice(options(TOUCHPOINT_KINDS), value="call", id="kind"), fields.choice)
        yield self.field("Outcome", Choice(options(OUTCOME_CODES), id="outcome"), fields.choice)
        yield self.field("Note", Input(id="note"), fields.optional_text)
        yield self.field("Contact", Choice(contacts, prompt="(none)", value=default, id="contact"), lambda raw: raw)
        yield self.field(
            "Follow-up date",
            Input(placeholder="YYYY-MM-DD", id="follow_up"),
            partial(fields.iso_date, not_before=self.ctx.today(), optional=True),
        )

    def cross_check(self, values: dict) -> str | None:
        if values["kind"] == "note" and not values["note"]:
            return "A note needs its text."
        if needs_follow_up(values["outcome"]) and values["follow_up"] is None:
            return f"{OUTCOME_CODES[values['outcome']].capitalize()}: give the follow-up date to call back on."
        return None

    def save(self, values: dict) -> None:
        log_touchpoint(
            self.ctx,
            self.customer_id,
            values["kind"],
            values["outcome"],
            note=values["note"],
            follow_up_date=values["follow_up"],
            contact_id=values["contact"],
        )
