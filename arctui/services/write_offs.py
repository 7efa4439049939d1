"""Write-offs: part or all of an invoice's open amount taken to a loss account. Proposed with a
reason and GL code of the chart and a note saying why; approved within the proposer's authority
limit, above it by someone else whose limit covers it; posting reduces the invoice's open
amount. Each step is one audited action (``write_off.prepare``, ``.approve``, ``.reject``,
``.post``); approving, rejecting and posting are the credit memo's own steps."""

from arctui.services.context import Context
from arctui.services.credit_memos import approve_memo, post_memo, prepare, reject_memo
from arctui.services.errors import InvalidInput
from arctui.services.records import get
from arctui.services.validate import note as text_note


def propose_write_off(
    ctx: Context, invoice_id: int, amount_cents: int, reason_code: str, gl_code: str, note: str
) -> int:
    """Propose writing ``amount_cents`` of the invoice off; ``note`` (why; it may run over lines)
    is required. Returns the write-off's id."""
    if text_note("note", note) is None:
        raise InvalidInput("note", "is required: say why it cannot be collected")
    customer_id = get(ctx.db, "invoices", invoice_id)["customer_id"]
    return prepare(ctx, "write_off", customer_id, amount_cents, reason_code, gl_code, invoice_id, note)


def approve_write_off(ctx: Context, write_off_id: int, version: int, note: str = "") -> None:
    _write_off(ctx, write_off_id)
    approve_memo(ctx, write_off_id, version, note)


def reject_write_off(ctx: Context, write_off_id: int, version: int, note: str) -> None:
    _write_off(ctx, write_off_id)
    reject_memo(ctx, write_off_id, version, note)


def post_write_off(ctx: Context, write_off_id: int, version: int) -> None:
    _write_off(ctx, write_off_id)
    post_memo(ctx, write_off_id, version)


def _write_off(ctx: Context, write_off_id: int) -> None:
    """Refuse a credit memo's id where a write-off's is expected (the CLI's steps name one)."""
    found = get(ctx.db, "credit_memos", write_off_id)
    if found["kind"] != "write_off":
        raise InvalidInput("write-off", f"{found['number']} is a credit memo, not a write-off")
