"""Open a dispute on one invoice for part or all of its open balance, give it an owner (a
login or a team such as sales; told by email) and a due date."""

from datetime import timedelta
from functools import partial

from textual.app import ComposeResult
from textual.widgets import Input

from arctui.console.forms import fields
from arctui.console.forms.base import ActionForm, options
from arctui.console.forms.widgets import Choice
from arctui.domain.statuses import DISPUTE_REASONS
from arctui.services.disputes import open_dispute
from arctui.store.read.disputes import undisputed_cents
from arctui.store.read.inbox import DISPUTE_DUE_DAYS


class DisputeOpenForm(ActionForm):
    FORM_TITLE = "Open dispute"

    def compose_fields(self) -> ComposeResult:
        yield self.choice_field(
            "Invoice", "invoice", self.open_invoice_choices(), "the account has no open invoice to dispute"
        )
        yield self.field(
            "Amount", Input(placeholder="the invoice's open balance", id="amount", classes="money"), self.parse_amount
        )
        yield self.field("Reason", Choice(options(DISPUTE_REASONS), id="reason"), fields.choice)
        yield self.field("Note", Input(id="note"), fields.optional_text)
        yield self.field(
            "Owner",
            Input(placeholder=f"{self.ctx.user}; a login, sales or customer service", id="owner"),
            fields.optional_text,
        )
        due = (self.ctx.today() + timedelta(days=DISPUTE_DUE_DAYS)).isoformat()
        yield self.field(
            "Due by",
            Input(placeholder=due, id="due"),
            partial(fields.iso_date, not_before=self.ctx.today(), optional=True),
        )

    def parse_amount(self, raw: str) -> int:
        invoice = self.invoices.get(self.raw("invoice"))
        if invoice is None:
            return fields.amount(raw, self.currency)
        return fields.amount(
            raw,
            self.currency,
            most=undisputed_cents(self.ctx.db, invoice["id"]),
            what=f"the undisputed open balance of {invoice['number']}",
        )

    def field_changed(self, name: str | None) -> None:
        amount = self.query_one("#amount", Input)
        if name == "invoice" and not amount.value and self.raw("invoice") is not None:
            amount.value = self.money(undisputed_cents(self.ctx.db, self.raw("invoice")))

    def save(self, values: dict) -> None:
        open_dispute(
            self.ctx,
            values["invoice"],
            values["amount"],
            values["reason"],
            note=values["note"],
            owner=values["owner"] or None,
            due_date=values["due"],
        )
