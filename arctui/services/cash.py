"""Cash application: record receipts, apply them to invoices, refund what is left over."""

import re
from datetime import date

from sqlite_utils import Database

from arctui.domain.money import format_money
from arctui.domain.statuses import PAYMENT_METHODS
from arctui.domain.text import normalise_identifier
from arctui.services.context import Context
from arctui.services.errors import InvalidInput
from arctui.services.plans import settle_plans
from arctui.services.promises import settle_open_promises
from arctui.services.records import Action, action, get
from arctui.services.validate import at_most, choice, identifier, positive_cents
from arctui.services.validate import note as text_note
from arctui.store.read import cash as read
from arctui.store.read import history

# invoice numbers as they appear in remittance text: letters, a separator, digits
_INVOICE_TOKEN = re.compile(r"[A-Z]{2,5}[-/]?\d{3,}", re.IGNORECASE)


def record_payment(
    ctx: Context,
    amount_cents: int,
    received_date: date,
    method: str,
    customer_id: int | None = None,
    bank_ref: str | None = None,
    remittance: str = "",
    source: str = "manual",
    currency: str = "USD",
) -> int:
    """A receipt lands whole as unapplied cash; applying it is a separate step."""
    positive_cents("amount", amount_cents)
    choice("method", method, PAYMENT_METHODS)
    bank_ref, remittance = identifier("bank reference", bank_ref), text_note("remittance", remittance)
    with action(ctx, "payment.record", "payments") as act:
        if customer_id is not None:
            act.get("customers", customer_id)
        if bank_ref and read.payment_by_ref(act.db, bank_ref) is not None:
            raise InvalidInput("bank reference", f"{bank_ref} is already recorded")
        return act.insert(
            "payments",
            {
                "customer_id": customer_id,
                "received_date": received_date.isoformat(),
                "currency": currency,
                "amount_cents": amount_cents,
                "unapplied_cents": amount_cents,
                "method": method,
                "bank_ref": bank_ref or None,
                "remittance": remittance or None,
                "source": source,
            },
        )


def apply_payment(
    ctx: Context, payment_id: int, allocations, version: int | None = None, value_date: date | None = None
) -> None:
    """Apply part or all of a payment's unapplied cash to open invoices of one account;
    ``version`` is the payment's as loaded (required, as for every edit below).
    ``value_date`` is the day the cash counts from (default: today, a collector's application)."""
    if not allocations:
        raise InvalidInput("allocations", "choose at least one invoice")
    allocate_payment(ctx, payment_id, allocations, version=version, value_date=value_date)


def refund_payment(
    ctx: Context, payment_id: int, amount_cents: int, note: str = "", version: int | None = None
) -> None:
    """Return unapplied cash (an overpayment) to the customer."""
    positive_cents("amount", amount_cents)
    allocate_payment(ctx, payment_id, (), amount_cents, note, version)


def allocate_payment(
    ctx: Context,
    payment_id: int,
    allocations=(),
    refund_cents: int = 0,
    note: str = "",
    version: int | None = None,
    value_date: date | None = None,
) -> None:
    """Apply unapplied cash to invoices and refund some of the rest: one action, so both
    land or neither does. ``version`` is the payment's as the collector loaded it: None is
    refused, a payment saved since is refused as stale.

    Each application carries its value date: ``value_date`` (an import passes the receipt's
    received date), else today; never before the invoice was issued. An invoice paid off
    closes on its last application's (or posted memo's) date. A refund is dated today."""
    allocations, note = [(int(i), cents) for i, cents in allocations], text_note("note", note)
    for _, cents in allocations:
        positive_cents("amount", cents)
    if refund_cents:
        positive_cents("refund", refund_cents)
    if not allocations and not refund_cents:
        raise InvalidInput("allocations", "choose an invoice to apply to, or an amount to refund")
    name = "payment." + "_and_".join(
        step for step, wanted in (("apply", allocations), ("refund", refund_cents)) if wanted
    )
    with action(ctx, name, "payments", payment_id) as act:
        payment = act.get("payments", payment_id)
        act.require_version("payments", payment, version)
        at_most(
            "amount",
            sum(c for _, c in allocations) + refund_cents,
            payment["unapplied_cents"],
            "the payment's unapplied cash",
            payment["currency"],
        )
        customer_id = _apply(act, payment, allocations, value_date or ctx.today())
        if refund_cents:
            _insert_application(act, payment_id, None, "refund", refund_cents, ctx.today().isoformat())
        remittance = payment["remittance"]
        if refund_cents and note:
            refund = format_money(refund_cents, payment["currency"])
            remittance = f"{remittance or ''}\nrefund {refund}: {note}".strip()
        act.update(
            "payments",
            payment_id,
            {
                "customer_id": customer_id,
                "remittance": remittance,
                "unapplied_cents": payment["unapplied_cents"] - sum(c for _, c in allocations) - refund_cents,
            },
        )
        if allocations:
            settle_account(act, customer_id)


def _apply(act: Action, payment: dict, allocations, value_date: date) -> int | None:
    """Credit each invoice on ``value_date`` (or its issue day, if later); returns the account
    the cash belongs to."""
    customer_id = payment["customer_id"]
    for invoice_id, cents in allocations:
        invoice = act.get("invoices", invoice_id)
        customer_id = customer_id or invoice["customer_id"]
        if invoice["customer_id"] != customer_id:
            raise InvalidInput("invoice", f"{invoice['number']} belongs to another account than the payment")
        if invoice["currency"] != payment["currency"]:
            raise InvalidInput(
                "invoice", f"{invoice['number']} is in {invoice['currency']}, the payment in {payment['currency']}"
            )
        at_most("amount", cents, invoice["open_cents"], f"the open balance of {invoice['number']}", invoice["currency"])
        remaining = invoice["open_cents"] - cents
        on = max(value_date.isoformat(), invoice["issue_date"])
        _insert_application(act, payment["id"], invoice_id, "apply", cents, on)
        closed = max(on, history.last_settled_date(act.db, invoice_id) or on) if remaining == 0 else None
        act.update("invoices", invoice_id, {"open_cents": remaining, "closed_date": closed})
    return customer_id


def _insert_application(act: Action, payment_id: int, invoice_id, kind: str, cents: int, on: str) -> None:
    act.insert(
        "payment_applications",
        {
            "payment_id": payment_id,
            "invoice_id": invoice_id,
            "kind": kind,
            "amount_cents": cents,
            "applied_date": on,
            "applied_at": act.ctx.now(),
            "applied_by": act.ctx.user,
        },
    )


def settle_account(act: Action, customer_id: int) -> None:
    """After cash moves: re-judge the account's promises and plan instalments."""
    settle_open_promises(act, customer_id)
    settle_plans(act, customer_id)


def match_remittance(db: Database, payment_id: int) -> list[tuple[int, int]]:
    """Allocations proposed from the invoice numbers in a payment's remittance text, in the
    order they appear, each up to the invoice's open balance and within the unapplied cash."""
    payment = read.remittance(db, payment_id)
    if payment is None:
        return []
    left, customer_id = payment["unapplied_cents"], payment["customer_id"]
    allocations = []
    seen = set()
    for token in _INVOICE_TOKEN.findall(normalise_identifier(payment["remittance"] or "")):
        invoice = read.owed_invoice_named(db, token)
        if invoice is None or invoice["id"] in seen or invoice["currency"] != payment["currency"]:
            continue
        if customer_id is not None and invoice["customer_id"] != customer_id:
            continue
        customer_id = invoice["customer_id"]
        cents = min(invoice["open_cents"], left)
        if cents <= 0:
            break
        allocations.append((invoice["id"], cents))
        seen.add(invoice["id"])
        left -= cents
    return allocations


def auto_apply(ctx: Context, payment_id: int) -> int:
    """Apply what the remittance names; return the cents applied (0 leaves it for the collector).
    The match is made on the payment as read here, so its version is the one applied to; the
    cash is applied at the receipt's received date (its value date), not the import day."""
    payment = get(ctx.db, "payments", payment_id)
    allocations = match_remittance(ctx.db, payment_id)
    if allocations:
        received = date.fromisoformat(payment["received_date"])
        apply_payment(ctx, payment_id, allocations, payment["version"], value_date=received)
    return sum(c for _, c in allocations)
