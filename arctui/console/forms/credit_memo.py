"""Prepare a credit memo on one invoice: the coder plugins propose reason and GL code, the
collector confirms or overrides, and a memo above the preparer's limit goes for approval."""

from textual.app import ComposeResult
from textual.widgets import Input, Static

from arctui.console.forms import fields
from arctui.console.forms.base import ActionForm
from arctui.domain.authority import needs_approval
from arctui.services.credit_memos import MemoContext, prepare_memo, propose_coding
from arctui.services.errors import ServiceError
from arctui.store.read.team import authority

_CODING = ("reason", "gl")


class CreditMemoForm(ActionForm):
    FORM_TITLE = "Credit memo"
    NOTE = ("Note", fields.optional_text)
    """The note's label and how it is read (a write-off's says why, and must)."""
    KIND = "credit"
    """The authority limit that applies (``LIMIT_KINDS``)."""

    def __init__(self, ctx, customer_id, invoice_id: int | None = None):
        super().__init__(ctx, customer_id)
        self.invoice_id = invoice_id  # the invoice chosen already (opened from the invoice list)
        preparer = authority(ctx.db, ctx.user, self.KIND)
        self.limit_cents = preparer["limit_cents"] if preparer else 0
        self.proposed = {"reason": "", "gl": ""}

    def compose_fields(self) -> ComposeResult:
        choices = self.open_invoice_choices()
        chosen = {"value": self.invoice_id} if self.invoice_id in self.invoices else {}
        yield self.choice_field("Invoice", "invoice", choices, "the account has no open invoice to credit", **chosen)
        yield self.field("Amount", Input(id="amount", classes="money"), self.parse_amount)
        yield self.field(
            "What happened", Input(placeholder="e.g. price agreed in the PO", id="hint"), fields.optional_text
        )
        yield self.field("Reason code", Input(id="reason"), fields.required_text)
        yield self.field("GL code", Input(id="gl"), fields.required_text)
        yield Static("", id="proposal", classes="note", markup=False)
        yield self.field(self.NOTE[0], Input(id="note"), self.NOTE[1])

    def on_mount(self) -> None:
        super().on_mount()
        self.propose()

    def parse_amount(self, raw: str) -> int:
        invoice = self.invoices.get(self.raw("invoice"))
        most = invoice["open_cents"] if invoice else None
        what = f"the open balance of {invoice['number']}" if invoice else ""
        return fields.amount(raw, self.currency, most=most, what=what)

    def field_changed(self, name: str | None) -> None:
        if name in ("invoice", "amount", "hint"):
            self.propose()

    def propose(self) -> None:
        """Ask the coders; their first proposal fills reason and GL unless the collector
        typed their own, and every proposal is shown with its coder and reason."""
        try:
            amount = self.parse_amount(self.raw("amount"))
        except ValueError:
            amount = 0
        context = MemoContext(self.customer, self.invoices.get(self.raw("invoice")), amount, self.raw("hint").strip())
        try:
            proposals = propose_coding(self.ctx, context)
        except ServiceError as exc:  # the settings file cannot be read: say so, code by hand
            self.show("proposal", f"No coding proposed: {exc}")
            return
        if not proposals:
            self.show("proposal", "No coder proposed a coding: enter the reason and GL code.")
            return
        first = proposals[0][1]
        for name, value in zip(_CODING, (first.reason_code, first.gl_code)):
            widget = self.query_one(f"#{name}", Input)
            if widget.value.strip() in ("", self.proposed[name]):
                widget.value = value
            self.proposed[name] = value
        self.show(
            "proposal",
            "\n".join(f"Proposed by {coder}: {p.reason_code} / GL {p.gl_code} ({p.why})" for coder, p in proposals),
        )

    def live_line(self, values: dict) -> str | None:
        amount = values.get("amount")
        if amount is None:
            return None
        if needs_approval(amount, self.limit_cents):
            return (
                f"Above your limit of {self.money(self.limit_cents)}: needs approval by a collector"
                f" whose limit covers {self.money(amount)}."
            )
        return f"Within your limit of {self.money(self.limit_cents)}: approved when saved."

    def save(self, values: dict) -> None:
        note = "\n".join(filter(None, (values["hint"], values["note"])))  # what happened, then the note
        prepare_memo(
            self.ctx,
            self.customer_id,
            values["amount"],
            values["reason"],
            values["gl"],
            invoice_id=values["invoice"],
            note=note,
        )
