"""Put an active account on credit hold, or release a held one."""

from textual.app import ComposeResult
from textual.widgets import Input, Static

from arctui.console.forms import fields
from arctui.console.forms.base import ActionForm
from arctui.services.accounts import credit_hold, release_hold

_ACTIONS = {"active": ("Put on credit hold", credit_hold), "credit_hold": ("Release the credit hold", release_hold)}


class CreditHoldForm(ActionForm):
    FORM_TITLE = "Credit hold / release"

    def compose_fields(self) -> ComposeResult:
        yield Static(self.status_text(), id="account-status", classes="note")
        yield self.field("Reason", Input(id="note"), fields.required_text)

    def status_text(self) -> str:
        status = self.customer["status"]
        doing = _ACTIONS[status][0] if status in _ACTIONS else "Neither hold nor release applies"
        return f"The account is {status.replace('_', ' ')}. {doing}."

    def cross_check(self, values: dict) -> str | None:
        if self.customer["status"] not in _ACTIONS:
            return f"A {self.customer['status'].replace('_', ' ')} account is neither held nor released here."
        return None

    def save(self, values: dict) -> None:
        _, service = _ACTIONS[self.customer["status"]]
        service(self.ctx, self.customer_id, self.customer["version"], note=values["note"])

    async def reload(self) -> None:
        await super().reload()
        self.query_one("#account-status", Static).update(self.status_text())
