"""Escalate an account to management or sales, or recommend outside collections or suspension."""

from textual.app import ComposeResult
from textual.widgets import Input

from arctui.console.forms import fields
from arctui.console.forms.base import ActionForm, options
from arctui.console.forms.widgets import Choice
from arctui.domain.statuses import ESCALATION_KINDS
from arctui.services.accounts import escalate


class EscalateForm(ActionForm):
    FORM_TITLE = "Escalate"

    def compose_fields(self) -> ComposeResult:
        yield self.field("Escalate to", Choice(options(ESCALATION_KINDS), id="kind"), fields.choice)
        yield self.field("Why", Input(id="note"), fields.required_text)

    def live_line(self, values: dict) -> str | None:
        if values.get("kind") in ("outside_collections", "suspension"):
            return "This also changes the account's status."
        return None

    def save(self, values: dict) -> None:
        escalate(self.ctx, self.customer_id, values["kind"], note=values["note"], version=self.customer["version"])
