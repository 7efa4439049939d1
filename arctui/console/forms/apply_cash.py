"""Apply a payment's unapplied cash to the account's open invoices, and refund the rest (above
the collector's authority limit the refund is requested, for a lead or manager to decide).

The invoices to apply to are picked from a list (prefilled from the remittance text); each
picked invoice gets an amount row, so an account with hundreds of open invoices stays quick.
"""

from functools import partial

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, SelectionList, Static

from arctui.console.forms import fields
from arctui.console.forms.base import ActionForm, compact_row
from arctui.services.cash import allocate_payment, match_remittance
from arctui.store.read import cash


class ApplyCashForm(ActionForm):
    FORM_TITLE = "Apply unapplied cash"

    def __init__(self, ctx, customer_id):
        super().__init__(ctx, customer_id)
        self.prefilled_for = None
        self.picked: list[int] = []
        self.typed: dict[int, str] = {}

    def compose_fields(self) -> ComposeResult:
        yield self.choice_field("Payment", "payment", self.payment_choices(), "the account has no unapplied cash")
        yield Static("", id="remittance", classes="note", markup=False)
        yield self.field("Apply to", self.invoice_checklist("apply_to"), lambda raw: raw)
        yield Vertical(id="allocations")
        yield self.field(
            "Refund",
            Input(placeholder="0.00", id="refund", classes="money"),
            partial(fields.amount, currency=self.currency, optional=True),
        )
        yield self.field("Refund note", Input(id="note"), fields.optional_text)

    def payment_choices(self) -> list[tuple[str, int]]:
        self.payments = {p["id"]: p for p in cash.unapplied_payments(self.ctx.db, self.customer_id)}
        return [
            (
                f"{p['received_date']} {p['method']} {p['bank_ref'] or ''}  "
                f"{self.money(p['unapplied_cents'])} unapplied of {self.money(p['amount_cents'])}",
                p["id"],
            )
            for p in self.payments.values()
        ]

    def on_mount(self) -> None:
        super().on_mount()
        self.prefill()

    def field_changed(self, name: str | None) -> None:
        if name == "payment":
            self.prefill()
        elif name == "apply_to":
            self.call_later(self.show_allocations)

    def prefill(self) -> None:
        """Pick the invoices the remittance names, with its amounts, once per payment chosen
        (a reload keeps what the collector typed)."""
        payment = self.payments.get(self.raw("payment"))
        if payment is None or payment["id"] == self.prefilled_for:
            return
        self.prefilled_for = payment["id"]
        self.show("remittance", f"Remittance: {payment['remittance'] or '(none)'}")
        proposed = dict(match_remittance(self.ctx.db, payment["id"]))
        self.typed = {i: self.money(cents) for i, cents in proposed.items()}
        picker = self.query_one("#apply_to", SelectionList)
        picker.deselect_all()
        for invoice_id in proposed:
            picker.select(invoice_id)
        self.call_later(self.show_allocations)

    async def show_allocations(self) -> None:
        """One amount row per picked invoice; a newly picked one starts at what it can take."""
        for invoice_id in self.picked:
            self.typed[invoice_id] = self.raw(f"alloc-{invoice_id}")
        picked = [i for i in self.invoices if i in self.raw("apply_to")]
        rows, parsers = [], {}
        for invoice_id in picked:
            invoice, name = self.invoices[invoice_id], f"alloc-{invoice_id}"
            can_take = min(invoice["open_cents"], self.still_unapplied())
            text = self.typed.get(invoice_id) or (self.money(can_take) if can_take else "")
            self.typed[invoice_id] = text
            rows.append(
                compact_row(
                    f"{invoice['number']} {self.money(invoice['open_cents'])}",
                    Input(text, id=name, classes="amount money", compact=True),
                )
            )
            parsers[name] = partial(self.parse_allocation, invoice_id)
        self.picked = []
        await self.replace_rows("allocations", rows, parsers)
        self.picked = picked
        self.check()

    def still_unapplied(self) -> int:
        """Unapplied cash not yet spoken for by the amounts typed so far."""
        payment = self.payments.get(self.raw("payment"))
        if payment is None:
            return 0
        spoken = 0
        for invoice_id, text in self.typed.items():
            try:
                spoken += self.parse_allocation(invoice_id, text) if invoice_id in self.raw("apply_to") else 0
            except ValueError:
                continue
        return max(payment["unapplied_cents"] - spoken, 0)

    def parse_allocation(self, invoice_id: int, raw: str) -> int:
        invoice = self.invoices[invoice_id]
        return fields.amount(
            raw,
            self.currency,
            most=invoice["open_cents"],
            optional=True,
            what=f"the open balance of {invoice['number']}",
        )

    def allocations(self, values: dict) -> list[tuple[int, int]]:
        return [(i, values[f"alloc-{i}"]) for i in self.picked if values.get(f"alloc-{i}")]

    def live_line(self, values: dict) -> str | None:
        payment = self.payments.get(values.get("payment"))
        if payment is None:
            return None
        applied = sum(cents for _, cents in self.allocations(values))
        refund = values.get("refund") or 0
        left = payment["unapplied_cents"] - applied - refund
        return (
            f"Unapplied {self.money(payment['unapplied_cents'])} − applied {self.money(applied)}"
            f" − refunded {self.money(refund)} = {self.money(left)} left unapplied"
        )

    def cross_check(self, values: dict) -> str | None:
        payment = self.payments[values["payment"]]
        used = sum(cents for _, cents in self.allocations(values)) + values["refund"]
        if used == 0:
            return "Pick an invoice to apply to, or enter an amount to refund."
        if used > payment["unapplied_cents"]:
            return f"{self.money(used)} is more than the payment's unapplied {self.money(payment['unapplied_cents'])}."
        return None

    def save(self, values: dict) -> None:
        """Apply and refund as one action: both land or neither does."""
        payment = self.payments[values["payment"]]
        request_id = allocate_payment(
            self.ctx, payment["id"], self.allocations(values), values["refund"] or 0, values["note"], payment["version"]
        )
        if request_id is not None:
            self.app.notify(
                f"The refund is above your authority limit: refund request {request_id} waits for a lead or"
                " manager (its money is held meanwhile).",
                title="Refund requested",
                markup=False,
            )

    async def reload(self) -> None:
        await super().reload()
        self.refill_select("payment", self.payment_choices())
