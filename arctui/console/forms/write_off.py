"""Propose a write-off of an invoice (``w`` on the invoice list): the credit memo's form, coded
from the chart, with a note saying why; above the proposer's limit it waits in a lead's inbox."""

from arctui.console.forms import fields
from arctui.console.forms.credit_memo import CreditMemoForm
from arctui.services.write_offs import propose_write_off


class WriteOffForm(CreditMemoForm):
    FORM_TITLE = "Write off"
    NOTE = ("Why", fields.required_text)
    KIND = "write_off"

    def save(self, values: dict) -> None:
        note = "\n".join(filter(None, (values["hint"], values["note"])))
        propose_write_off(self.ctx, values["invoice"], values["amount"], values["reason"], values["gl"], note)
