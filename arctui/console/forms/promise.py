"""Record a promise to pay: amount, date and (optionally) the invoices it covers."""

from functools import partial

from textual.app import ComposeResult
from textual.widgets import Input

from arctui.console.forms import fields
from arctui.console.forms.base import ActionForm
from arctui.services.promises import promise_cap, record_promise


class PromiseForm(ActionForm):
    FORM_TITLE = "Promise to pay"

    def compose_fields(self) -> ComposeResult:
        yield self.field("Invoices", self.invoice_checklist("invoices"), lambda raw: raw)
        yield self.field("Amount", Input(placeholder=self.currency, id="amount", classes="money"), self.parse_amount)
        yield self.field(
            "Promised date",
            Input(placeholder="YYYY-MM-DD", id="date"),
            partial(fields.iso_date, not_before=self.ctx.today()),
        )
        yield self.field("Note", Input(id="note"), fields.optional_text)

    def parse_amount(self, raw: str) -> int:
        """The amount, checked early against the cap ``record_promise`` enforces."""
        most, what = promise_cap(self.ctx.db, self.customer_id, self.raw("invoices") or ())
        return fields.amount(raw, self.currency, most=most, what=what)

    def save(self, values: dict) -> None:
        record_promise(
            self.ctx,
            self.customer_id,
            values["amount"],
            values["date"],
            invoice_ids=values["invoices"],
            note=values["note"],
        )
