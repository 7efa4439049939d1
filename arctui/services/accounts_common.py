"""Checks several account actions share."""

from arctui.services.errors import InvalidInput
from arctui.services.records import Action


def open_invoices_of(act: Action, customer_id: int, invoice_ids) -> list[dict]:
    """The named invoices, each required to be this account's and still open."""
    invoices = []
    for invoice_id in invoice_ids:
        invoice = act.get("invoices", invoice_id)
        if invoice["customer_id"] != customer_id:
            raise InvalidInput("invoices", f"invoice {invoice['number']} is not this account's")
        if invoice["open_cents"] <= 0:
            raise InvalidInput("invoices", f"invoice {invoice['number']} is already paid")
        invoices.append(invoice)
    return invoices
