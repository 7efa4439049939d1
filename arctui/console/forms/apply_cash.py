"""Apply a payment's unapplied cash to the account's open invoices, and refund the rest."""
from functools import partial

from textual.app import ComposeResult
from textual.widgets import Input, Select, Static

from arctui.console.forms import fields, lookups
from arctui.console.forms.base import ActionForm
from arctui.services.cash import apply_payment, match_remittance, refund_payment
from arctui.store.connection import write


class ApplyCashForm(ActionForm):
    FORM_TITLE = "Apply unapplied cash"

    def compose_fields(self) -> ComposeResult:
        choices = self.payment_choices()
        first = choices[0][1] if len(choices) == 1 else Select.NULL
        yield self.field("Payment", Select(choices, value=first, id="payment"), fields.choice)
        yield Static("", id="remittance", classes="note", markup=False)
        for invoice in self.load_open_invoices().values():
            yield self.field(f"{invoice['number']} {self.money(invoice['open_cents'])}",
                             Input(placeholder="0.00", id=f"alloc-{invoice['id']}"),
                             partial(self.parse_allocation, invoice["id"]))
        yield self.field("Refund", Input(placeholder="0.00", id="refund"),
                         partial(fields.amount, currency=self.currency, optional=True))
        yield self.field("Refund note", Input(id="note"), fields.optional_text)

    def payment_choices(self) -> list[tuple[str, int]]:
        self.payments = {p["id"]: p for p in lookups.unapplied_payments(self.ctx.db, self.customer_id)}
        return [(f"{p['received_date']} {p['method']} {p['bank_ref'] or ''}  "
                 f"{self.money(p['unapplied_cents'])} unapplied of {self.money(p['amount_cents'])}", p["id"])
                for p in self.payments.values()]

    def on_mount(self) -> None:
        super().on_mount()
        self.prefilled_for = None
        self.prefill()

    def parse_allocation(self, invoice_id: int, raw: str) -> int:
        invoice = self.invoices[invoice_id]
        return fields.amount(raw, self.currency, most=invoice["open_cents"], optional=True,
                             what=f"the open balance of {invoice['number']}")

    def field_changed(self, name: str | None) -> None:
        if name == "payment":
            self.prefill()

    def prefill(self) -> None:
        """Allocations proposed from the remittance text, once per payment chosen (a reload
        keeps what the collector typed)."""
        payment = self.payments.get(self.raw("payment"))
        if payment is None or payment["id"] == self.prefilled_for:
            return
        self.prefilled_for = payment["id"]
        self.show("remittance", f"Remittance: {payment['remittance'] or '(none)'}")
        proposed = dict(match_remittance(self.ctx.db, payment["id"]))
        for invoice_id in self.invoices:
            cents = proposed.get(invoice_id)
            self.query_one(f"#alloc-{invoice_id}", Input).value = self.money(cents) if cents else ""

    def allocations(self, values: dict) -> list[tuple[int, int]]:
        return [(i, values[f"alloc-{i}"]) for i in self.invoices if values.get(f"alloc-{i}")]

    def live_line(self, values: dict) -> str | None:
        payment = self.payments.get(values.get("payment"))
        if payment is None:
            return None
        applied = sum(cents for _, cents in self.allocations(values))
        refund = values.get("refund") or 0
        left = payment["unapplied_cents"] - applied - refund
        return (f"Unapplied {self.money(payment['unapplied_cents'])} − applied {self.money(applied)}"
                f" − refunded {self.money(refund)} = {self.money(left)} left unapplied")

    def cross_check(self, values: dict) -> str | None:
        payment = self.payments[values["payment"]]
        used = sum(cents for _, cents in self.allocations(values)) + values["refund"]
        if used == 0:
            return "Enter an amount to apply to an invoice or to refund."
        if used > payment["unapplied_cents"]:
            return (f"{self.money(used)} is more than the payment's unapplied "
                    f"{self.money(payment['unapplied_cents'])}.")
        return None

    def save(self, values: dict) -> None:
        """Apply and refund as one transaction: both land or neither does."""
        payment = self.payments[values["payment"]]
        allocations = self.allocations(values)
        with write(self.ctx.db):
            if allocations:
                apply_payment(self.ctx, payment["id"], allocations, version=payment["version"])
            if values["refund"]:
                refund_payment(self.ctx, payment["id"], values["refund"], note=values["note"],
                               version=None if allocations else payment["version"])

    def reload(self) -> None:
        super().reload()
        self.refill_select("payment", self.payment_choices())
