"""Log a call, email, letter, portal message or note with its outcome and a follow-up date."""

from functools import partial

from textual.app import ComposeResult
from textual.widgets import Input, Select

from arctui.console.forms import fields
from arctui.console.forms.base import ActionForm, options
from arctui.domain.statuses import OUTCOME_CODES, TOUCHPOINT_KINDS
from arctui.services.touchpoints import log_touchpoint
from arctui.store.read import accounts as read_accounts


class TouchpointForm(ActionForm):
    FORM_TITLE = "Log call / email / note"

    def compose_fields(self) -> ComposeResult:
        contacts = [
            (f"{c['name']}  {c['role'] or ''}".strip(), c["id"])
            for c in read_accounts.contacts(self.ctx.db, self.customer_id)
        ]
        yield self.field("Kind", Select(options(TOUCHPOINT_KINDS), value="call", id="kind"), fields.choice)
        yield self.field("Outcome", Select(options(OUTCOME_CODES), id="outcome"), fields.choice)
        yield self.field("Contact", Select(contacts, prompt="(none)", id="contact"), lambda raw: raw)
        yield self.field(
            "Follow-up date",
            Input(placeholder="YYYY-MM-DD", id="follow_up"),
            partial(fields.iso_date, not_before=self.ctx.today(), optional=True),
        )
        yield self.field("Note", Input(id="note"), fields.optional_text)

    def cross_check(self, values: dict) -> str | None:
        if values["kind"] == "note" and not values["note"]:
            return "A note needs its text."
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
