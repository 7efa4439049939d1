"""Change the account's credit limit (within your authority limit at once, above it once someone
else approves), or decide on the change waiting for approval."""

from textual.app import ComposeResult
from textual.widgets import Input, Static

from arctui.console.forms import fields
from arctui.console.forms.base import ActionForm
from arctui.console.forms.widgets import Choice
from arctui.domain.authority import needs_approval
from arctui.domain.money import parse_money
from arctui.services.credit_limits import approve_credit_limit, change_credit_limit, raise_of, reject_credit_limit
from arctui.store.read import credit_limits
from arctui.store.read.team import authority

_STEPS = [
    ("ask for a new limit", "change"),
    ("approve the waiting change", "approve"),
    ("reject it (say why)", "reject"),
]


class CreditLimitForm(ActionForm):
    FORM_TITLE = "Credit limit"

    def compose_fields(self) -> ComposeResult:
        yield Static(self.status_text(), id="limit-status", classes="note", markup=False)
        yield self.field("Step", Choice(_STEPS, id="step", value="change"), fields.choice)
        yield self.field("New limit", Input(id="limit", classes="money"), self.parse_limit)
        yield self.field("Note", Input(id="note"), fields.required_text)

    def waiting(self) -> dict | None:
        return next(iter(credit_limits.changes_waiting(self.ctx.db, self.customer_id)), None)

    def status_text(self) -> str:
        limit = self.customer["credit_limit_cents"]
        text = f"Credit limit: {self.money(limit) if limit is not None else 'none set'}."
        change = self.waiting()
        if change:
            text += f" Waiting: {self.money(change['to_cents'])} asked by {change['requested_by']} ({change['note']})."
        return text

    def parse_limit(self, raw: str) -> int | None:
        if self.raw("step") != "change":
            return None
        cents = parse_money(raw, self.currency)
        if cents < 0:
            raise ValueError("must be zero or more")
        return cents

    def live_line(self, values: dict) -> str | None:
        if values.get("step") != "change" or values.get("limit") is None:
            return None
        mine = authority(self.ctx.db, self.ctx.user, "credit_limit")
        limit = mine["limit_cents"] if mine else 0
        raised = raise_of({"from_cents": self.customer["credit_limit_cents"], "to_cents": values["limit"]})
        if needs_approval(raised, limit):
            return f"A raise of {self.money(raised)} is above your limit of {self.money(limit)}: it waits for approval."
        return f"Within your limit of {self.money(limit)}: applied when saved."

    def cross_check(self, values: dict) -> str | None:
        if values["step"] != "change" and self.waiting() is None:
            return "No credit-limit change of this account waits for a decision."
        return None

    def save(self, values: dict) -> None:
        if values["step"] == "change":
            change_credit_limit(self.ctx, self.customer_id, values["limit"], values["note"], self.customer["version"])
            return
        change = self.waiting()
        if values["step"] == "approve":
            approve_credit_limit(self.ctx, change["id"], change["version"], values["note"])
        else:
            reject_credit_limit(self.ctx, change["id"], change["version"], values["note"])

    async def reload(self) -> None:
        await super().reload()
        self.query_one("#limit-status", Static).update(self.status_text())
