"""Credit memos and write-offs: coders propose the coding (from the book's chart), a collector
prepares, a second collector approves above the preparer's authority limit, and posting credits
the invoice. A write-off is a memo of kind ``write_off`` (services/write_offs.py): the same
rules, its own number (WO-) and audit names."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from arctui.domain.authority import AuthorityError, check_approver, needs_approval
from arctui.services.codes import coded, in_chart
from arctui.services.context import Context
from arctui.services.errors import InvalidInput
from arctui.services.records import Action, action, get
from arctui.services.validate import at_most, positive_cents, required
from arctui.services.validate import note as optional_note
from arctui.store.numbers import next_id
from arctui.store.read.team import authority


@dataclass(frozen=True)
class MemoContext:
    """What a coder sees: the account, the invoice (or None), the amount, a hint text (e.g.
    the dispute reason or the collector's note) and the ``[credit_memos]`` table of the
    settings (``propose_coding`` fills it in from the book's settings)."""

    customer: dict
    invoice: dict | None
    amount_cents: int
    hint: str = ""
    settings: Mapping = field(default_factory=dict)


@dataclass(frozen=True)
class Proposal:
    reason_code: str
    gl_code: str
    why: str


@dataclass(frozen=True)
class Coder:
    """Registered through ``register_credit_memo_coders``; ``propose`` may return None."""

    name: str
    propose: Callable[[MemoContext], Proposal | None]


def propose_coding(ctx: Context, context: MemoContext) -> list[tuple[str, Proposal]]:
    """Every coder's proposal, in registration order. A coder that fails is recorded among
    the plugins' problems (naming its plugin, for the console to show) and skipped: the
    collector then enters the coding. A settings file that cannot be read raises
    ``ConfigError`` naming it."""
    context = replace(context, settings=ctx.settings.section("credit_memos"))
    proposals = []
    for name, coder in ctx.plugins.collect("coders").items():
        proposal = ctx.plugins.guarded(coder, f"credit memo coder {name}", coder.propose, context)
        if proposal is not None and in_chart(ctx.db, proposal.reason_code, proposal.gl_code):
            proposals.append((name, proposal))
    return proposals


KINDS = {"credit": ("memo", "credit memo", "CM"), "write_off": ("write_off", "write-off", "WO")}
"""A memo's kind: the prefix of its audit actions, what a message calls it, its number's prefix."""


def prepare_memo(
    ctx: Context,
    customer_id: int,
    amount_cents: int,
    reason_code: str,
    gl_code: str,
    invoice_id: int | None = None,
    note: str = "",
    submit: bool = True,
) -> int:
    """Draft a memo coded from the book's chart; ``submit`` sends it on: approved within the
    preparer's limit, otherwise pending approval by someone whose limit covers it."""
    return prepare(ctx, "credit", customer_id, amount_cents, reason_code, gl_code, invoice_id, note, submit)


def prepare(
    ctx: Context,
    kind: str,
    customer_id: int,
    amount_cents: int,
    reason_code: str,
    gl_code: str,
    invoice_id: int | None,
    note: str = "",
    submit: bool = True,
) -> int:
    """Draft a memo of ``kind`` (see ``prepare_memo``)."""
    positive_cents("amount", amount_cents)
    prefix, noun, number = KINDS[kind]
    with action(ctx, f"{prefix}.prepare", "credit_memos") as act:
        reason_code, gl_code = coded(act.db, reason_code, gl_code)
        customer = act.get("customers", customer_id)
        if invoice_id is None:
            raise InvalidInput("invoice", f"a {noun} credits one invoice: choose it")
        invoice = act.get("invoices", invoice_id)
        if invoice["customer_id"] != customer_id:
            raise InvalidInput("invoice", f"invoice {invoice['number']} is not this account's")
        at_most(
            "amount",
            amount_cents,
            invoice["open_cents"],
            f"the open balance of {invoice['number']}",
            customer["currency"],
        )
        _collector(act, ctx.user)
        memo_id = next_id(act.db, "credit_memos")
        act.insert(
            "credit_memos",
            {
                "id": memo_id,
                "number": f"{number}-{memo_id:06d}",
                "kind": kind,
                "customer_id": customer_id,
                "invoice_id": invoice_id,
                "amount_cents": amount_cents,
                "currency": customer["currency"],
                "reason_code": reason_code,
                "gl_code": gl_code,
                "note": optional_note("note", note),
                "status": "draft",
                "prepared_by": ctx.user,
                "prepared_at": ctx.now(),
            },
        )
        if submit:
            _submit(act, act.get("credit_memos", memo_id))
        return memo_id


def submit_memo(ctx: Context, memo_id: int, version: int) -> None:
    with _memo_action(ctx, "submit", memo_id) as act:
        memo = _memo_in(act, memo_id, "draft")
        act.require_version("credit_memos", memo, version)
        _submit(act, memo)


def _submit(act: Action, memo: dict) -> None:
    limit = _collector(act, memo["prepared_by"], memo["kind"])["limit_cents"]
    if needs_approval(memo["amount_cents"], limit):
        act.update("credit_memos", memo["id"], {"status": "pending_approval"})
    else:
        act.update(
            "credit_memos",
            memo["id"],
            {
                "status": "approved",
                "decided_at": act.ctx.now(),
                "decision_note": "within the preparer's limit",
            },
        )


def approve_memo(ctx: Context, memo_id: int, version: int, note: str = "") -> None:
    with _memo_action(ctx, "approve", memo_id) as act:
        memo = _memo_in(act, memo_id, "pending_approval", version)
        approver = _collector(act, ctx.user, memo["kind"])
        check_approver(
            memo["amount_cents"],
            memo["prepared_by"],
            ctx.user,
            approver["limit_cents"],
            memo["currency"],
            KINDS[memo["kind"]][1],
        )
        act.update(
            "credit_memos",
            memo_id,
            {
                "status": "approved",
                "approved_by": ctx.user,
                "decided_at": ctx.now(),
                "decision_note": optional_note("note", note),
            },
            version,
        )


def reject_memo(ctx: Context, memo_id: int, version: int, note: str) -> None:
    note = required("note", note)
    with _memo_action(ctx, "reject", memo_id) as act:
        memo = _memo_in(act, memo_id, "pending_approval", version)
        _collector(act, ctx.user)
        if memo["prepared_by"].casefold() == ctx.user.casefold():
            raise AuthorityError(f"{ctx.user} prepared this {KINDS[memo['kind']][1]}: another collector decides on it")
        act.update(
            "credit_memos",
            memo_id,
            {
                "status": "rejected",
                "approved_by": ctx.user,
                "decided_at": ctx.now(),
                "decision_note": note,
            },
            version,
        )


def post_memo(ctx: Context, memo_id: int, version: int) -> None:
    """Post an approved memo: the invoice's open balance drops by the memo's amount."""
    with _memo_action(ctx, "post", memo_id) as act:
        memo = _memo_in(act, memo_id, "approved", version)
        invoice = act.get("invoices", memo["invoice_id"])
        at_most(
            "amount",
            memo["amount_cents"],
            invoice["open_cents"],
            f"the open balance of {invoice['number']}",
            memo["currency"],
        )
        act.update("credit_memos", memo_id, {"status": "posted", "posted_at": ctx.now()}, version)
        remaining = invoice["open_cents"] - memo["amount_cents"]
        act.update(
            "invoices",
            invoice["id"],
            {
                "open_cents": remaining,
                "closed_date": ctx.today().isoformat() if remaining == 0 else None,
            },
        )


def _memo_action(ctx: Context, step: str, memo_id: int):
    """The action of ``step`` on the memo, named after its kind (``memo.approve``,
    ``write_off.approve``); a memo that does not exist is NotFound."""
    kind = get(ctx.db, "credit_memos", memo_id)["kind"]
    return action(ctx, f"{KINDS[kind][0]}.{step}", "credit_memos", memo_id)


def _memo_in(act: Action, memo_id: int, status: str, version: int | None = None) -> dict:
    """The memo, in ``status``; with ``version`` (the one a collector loaded), a memo saved
    since is refused as stale before its status is looked at."""
    memo = act.get("credit_memos", memo_id)
    if version is not None:
        act.require_version("credit_memos", memo, version)
    if memo["status"] != status:
        raise InvalidInput(
            KINDS[memo["kind"]][1],
            f"{memo['number']} is {memo['status'].replace('_', ' ')}, not {status.replace('_', ' ')}",
        )
    return memo


def _collector(act: Action, user: str, kind: str = "credit") -> dict:
    """``user``'s authority for memos of ``kind`` (credit or write_off); only active collectors
    prepare or decide memos."""
    found = authority(act.db, user, kind)
    if found is None:
        raise AuthorityError(f"{user} is not an active collector: only collectors prepare or decide credit memos")
    return found
