"""Pause an account's reminders until a day, for a reason (``arctui strategy pause`` in the console)."""

from functools import partial

from textual.app import ComposeResult
from textual.widgets import Input, Static

from arctui.console.forms import fields
from arctui.console.forms.base import ActionForm
from arctui.services.strategies import pause_dunning
from arctui.store.read.dunning import pause_in_force


class DunningPauseForm(ActionForm):
    FORM_TITLE = "Pause reminders"

    def compose_fields(self) -> ComposeResult:
        yield Static(self.status_text(), id="pause-status", classes="note")
        until = partial(fields.iso_date, not_before=self.ctx.today())
        yield self.field("Until", Input(placeholder="YYYY-MM-DD, the last day", id="until"), until)
        yield self.field("Reason", Input(id="reason"), fields.required_text)

    def status_text(self) -> str:
        pause = pause_in_force(self.ctx.db, self.customer_id, self.ctx.today())
        if pause is None:
            return "The account is reminded as its strategy says."
        return f"Reminders are paused until {pause['until_date']} ({pause['reason']}); a new pause replaces the date."

    def save(self, values: dict) -> None:
        pause_dunning(self.ctx, self.customer_id, values["until"], values["reason"])
