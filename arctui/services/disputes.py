"""Disputes as cases: one invoice, an owner (a collector's login or a team such as sales or
customer service) told by email, a due date, notes; resolved as credited (with the credit
memo it created or linked), rejected (the invoice goes back to the reminders) or otherwise.

An open dispute holds its invoice out of the reminders (``store.read.email.dunning_facts``);
the account's other invoices keep being reminded. Team addresses come from the settings'
``[dispute_teams]`` table (``sales = "sales@firm.example"``).
"""

from datetime import date, timedelta

from arctui.domain.money import format_money
from arctui.domain.statuses import DISPUTE_REASONS
from arctui.services import validate
from arctui.services.context import Context
from arctui.services.credit_memos import prepare_memo
from arctui.services.email import address, queue_email
from arctui.services.errors import InvalidInput
from arctui.services.records import Action, action
from arctui.services.validate import at_most, choice, not_before, positive_cents, required
from arctui.store.read import team
from arctui.store.read.disputes import linkable_memo, undisputed_cents
from arctui.store.read.inbox import DISPUTE_DUE_DAYS

RESOLUTIONS = {
    "credited": "resolved with a credit memo",
    "rejected": "the dispute is rejected: the invoice stands and is reminded again",
    "customer_will_pay": "the invoice stands; the customer will pay",
    "withdrawn": "the customer withdrew the dispute",
}
TEAMS = ("sales", "customer service")
"""Teams a dispute may be given to besides a collector; ``[dispute_teams]`` may name more."""


def open_dispute(
    ctx: Context,
    invoice_id: int,
    amount_cents: int,
    reason: str,
    note: str = "",
    owner: str | None = None,
    due_date: date | None = None,
) -> int:
    """Dispute part or all of an invoice: never more than its undisputed open balance (the
    open balance less what open disputes on it already hold). ``owner`` (default: whoever
    opens it) is told by email unless they opened it; ``due_date`` defaults to
    ``DISPUTE_DUE_DAYS`` from today."""
    positive_cents("amount", amount_cents)
    choice("reason", reason, DISPUTE_REASONS)
    due_date = _due(ctx, due_date)
    with action(ctx, "dispute.open", "disputes") as act:
        invoice = act.get("invoices", invoice_id)
        at_most(
            "amount",
            amount_cents,
            undisputed_cents(act.db, invoice_id),
            f"the undisputed open balance of {invoice['number']}",
            invoice["currency"],
        )
        owner, to_addr = _owner(act, owner)
        dispute_id = act.insert(
            "disputes",
            {
                "customer_id": invoice["customer_id"],
                "invoice_id": invoice_id,
                "amount_cents": amount_cents,
                "reason": reason,
                "note": validate.note("note", note),
                "status": "open",
                "opened_at": ctx.now(),
                "opened_by": ctx.user,
                "owner": owner,
                "due_date": due_date.isoformat(),
            },
        )
        _notify(act, act.get("disputes", dispute_id), to_addr)
        return dispute_id


def assign_dispute(
    ctx: Context, dispute_id: int, version: int, owner: str, due_date: date | None = None, note: str = ""
) -> None:
    """Give an open dispute to another owner (told by email) and, if given, a new due date."""
    with action(ctx, "dispute.assign", "disputes", dispute_id) as act:
        dispute = _open(act, dispute_id, version)
        owner, to_addr = _owner(act, required("owner", owner))
        changes = {"owner": owner}
        if due_date is not None:
            changes["due_date"] = _due(ctx, due_date).isoformat()
        act.update("disputes", dispute_id, changes, version)
        if note:
            _note(act, dispute_id, note)
        if owner != dispute["owner"]:
            _notify(act, act.get("disputes", dispute_id), to_addr)


def add_dispute_note(ctx: Context, dispute_id: int, note: str) -> int:
    """A note on the case (what sales found, what the customer sent)."""
    with action(ctx, "dispute.note", "disputes", dispute_id) as act:
        act.get("disputes", dispute_id)
        return _note(act, dispute_id, note)


def resolve_dispute(
    ctx: Context,
    dispute_id: int,
    version: int,
    resolution: str,
    note: str = "",
    memo_id: int | None = None,
    reason_code: str = "",
    gl_code: str = "",
) -> int | None:
    """Close the case. ``credited`` links ``memo_id`` (a memo of the same invoice, not
    rejected) or prepares a memo for the disputed amount with ``reason_code`` and ``gl_code``
    (approved within the collector's limit, otherwise waiting for approval); the invoice's
    open amount drops when the memo is posted. Returns the memo's id (None for the others)."""
    choice("resolution", resolution, RESOLUTIONS)
    with action(ctx, "dispute.resolve", "disputes", dispute_id) as act:
        dispute = _open(act, dispute_id, version)
        if resolution == "credited":
            memo_id = _credit(act, dispute, memo_id, reason_code, gl_code, note)
        elif memo_id is not None or reason_code or gl_code:
            raise InvalidInput("memo", f"only a dispute resolved as credited has a credit memo, not {resolution}")
        act.update(
            "disputes",
            dispute_id,
            {
                "status": "resolved",
                "resolution": resolution,
                "credit_memo_id": memo_id,
                "resolved_at": ctx.now(),
                "resolved_by": ctx.user,
            },
            version,
        )
        if note:
            _note(act, dispute_id, note)
        return memo_id


def _open(act: Action, dispute_id: int, version: int) -> dict:
    dispute = act.get("disputes", dispute_id)
    act.require_version("disputes", dispute, version)  # a change since loaded is said as such first
    if dispute["status"] != "open":
        raise InvalidInput("dispute", f"dispute {dispute_id} is already resolved")
    return dispute


def _credit(act: Action, dispute: dict, memo_id: int | None, reason_code: str, gl_code: str, note: str) -> int:
    if memo_id is None:
        return prepare_memo(
            act.ctx,
            dispute["customer_id"],
            dispute["amount_cents"],
            reason_code,
            gl_code,
            invoice_id=dispute["invoice_id"],
            note=note or f"dispute {dispute['id']}: {DISPUTE_REASONS[dispute['reason']]}",
        )
    if linkable_memo(act.db, memo_id, dispute["invoice_id"]) is None:
        raise InvalidInput("memo", f"credit memo {memo_id} is no memo of this invoice that still stands")
    return memo_id


def _due(ctx: Context, due_date: date | None) -> date:
    if due_date is None:
        return ctx.today() + timedelta(days=DISPUTE_DUE_DAYS)
    not_before("due date", due_date, ctx.today())
    return due_date


def _owner(act: Action, owner: str | None) -> tuple[str, str | None]:
    """The owner's name as kept, and the address their notice goes to (None: the one acting
    owns it and needs no notice). An owner nobody can be told about is refused."""
    owner = validate.optional("owner", owner) or act.ctx.user
    if owner == act.ctx.user:
        return owner, None
    teams = {name.casefold(): addr for name, addr in act.ctx.settings.section("dispute_teams").items()}
    collector = team.collector(act.db, owner)
    if collector is not None and collector["active"]:
        to_addr = collector["email"]
        fix = f"give {owner} an email address (`arctui team save`)"
    elif owner.casefold() in teams or owner.casefold() in TEAMS:
        owner = owner.casefold()
        to_addr = teams.get(owner)
        fix = f'set {owner} = "ADDRESS" in [dispute_teams] of {act.ctx.settings.where}'
    else:
        known = ", ".join(sorted({*TEAMS, *teams}))
        raise InvalidInput("owner", f"{owner!r} is neither an active collector nor a team ({known})")
    if not to_addr:
        raise InvalidInput("owner", f"{owner} has no email address for the dispute's notice: {fix}")
    return owner, str(address("owner", str(to_addr)).addr_spec)


def _notify(act: Action, dispute: dict, to_addr: str | None) -> None:
    """Queue the owner's notice (the senders send it with the outbox); one per owner."""
    if to_addr is None:
        return
    invoice = act.get("invoices", dispute["invoice_id"])
    customer = act.get("customers", dispute["customer_id"])
    amount = format_money(dispute["amount_cents"], invoice["currency"])
    body = (
        f"{act.ctx.user} gave you dispute {dispute['id']} on invoice {invoice['number']} of"
        f" {customer['account_no']} {customer['name']}: {amount}, {DISPUTE_REASONS[dispute['reason']]}.\n"
        f"Due by {dispute['due_date']}.\n" + (f"\n{dispute['note']}\n" if dispute["note"] else "")
    )
    queue_email(
        act.ctx,
        None,  # a message to one of us, not to the customer: no touchpoint on the account
        to_addr,
        f"Dispute {dispute['id']} on {invoice['number']} ({customer['account_no']}) is yours",
        body,
        template="dispute_notice",
        dedupe_key=f"dispute_notice:{dispute['id']}:{dispute['owner']}",
    )


def _note(act: Action, dispute_id: int, note: str) -> int:
    text = validate.note("note", note)
    if text is None:
        raise InvalidInput("note", "is required")
    return act.insert(
        "dispute_notes", {"dispute_id": dispute_id, "note": text, "at": act.ctx.now(), "by": act.ctx.user}
    )
