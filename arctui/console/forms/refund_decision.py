"""A lead's or manager's decision on a refund request of the account's receipts (opened with
``enter`` on its line of the inbox): approve (the refund is made today) or reject saying why
(the money held for it is free again)."""

from textual.app import ComposeResult
from textual.widgets import Input

from arctui.console.forms import fields
from arctui.console.forms.base import ActionForm
from arctui.console.forms.widgets import Choice
from arctui.domain.money import format_money
from arctui.services.context import Context
from arctui.services.refunds import approve_refund, reject_refund
from arctui.store.read.refunds import requests_waiting

_DECISIONS = [("approve (refund it today)", "approve"), ("reject (say why)", "reject")]


class RefundDecisionForm(ActionForm):
    FORM_TITLE = "Decide refund requests"

    def __init__(self, ctx: Context, customer_id: int, request_id: int | None = None):
        super().__init__(ctx, customer_id)
        self.request_id = request_id  # the request to show chosen (the inbox line's)

    def compose_fields(self) -> ComposeResult:
        choices = self.choices()
        chosen = {"value": self.request_id} if self.request_id in self.pending else {}
        yield self.choice_field(
            "Request", "request", choices, "no refund request of this account waits for a decision", **chosen
        )
        yield self.field("Decision", Choice(_DECISIONS, id="decision"), fields.choice)
        yield self.field("Note", Input(id="note"), fields.optional_text)

    def choices(self) -> list[tuple[str, int]]:
        self.pending = {r["id"]: r for r in requests_waiting(self.ctx.db, self.customer_id)}
        return [
            (
                f"{format_money(r['amount_cents'], r['currency'])} of payment {r['payment_id']}: {r['note']}"
                f"  by {r['requested_by']} {r['requested_at'][:10]}",
                r["id"],
            )
            for r in self.pending.values()
        ]

    def cross_check(self, values: dict) -> str | None:
        if values["decision"] == "reject" and not values["note"]:
            return "A rejection needs a note saying why."
        return None

    def save(self, values: dict) -> None:
        request = self.pending[values["request"]]
        if values["decision"] == "approve":
            approve_refund(self.ctx, request["id"], request["version"], values["note"])
        else:
            reject_refund(self.ctx, request["id"], request["version"], values["note"])

    async def reload(self) -> None:
        await super().reload()
        self.refill_select("request", self.choices())
