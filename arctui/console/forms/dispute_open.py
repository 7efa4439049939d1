"""Open a dispute on one invoice for part or all of its open balance."""

from textual.app import ComposeResult
from textual.widgets import Input

from arctui.console.forms import fields
from arctui.console.forms.base import ActionForm, options
from arctui.console.forms.widgets import Choice
from arctui.domain.statuses import DISPUTE_REASONS
from arctui.services.disputes import open_dispute
from arctui.store.read.disputes import undisputed_cents


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
        open_dispute(self.ctx, values["invoice"], values["amount"], values["reason"], note=values["note"])
