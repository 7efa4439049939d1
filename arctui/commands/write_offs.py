"""``arctui write-off``: propose writing off part of an invoice, approve or reject someone
else's proposal, post an approved one, list those waiting. The console's services, so the
same authority limits and refusals; each step one audited action."""

import click

from arctui.commands.common import as_seen, db_option, open_context, text_table, version_option
from arctui.domain.money import format_money, parse_money


@click.group(name="write-off")
def command():
    """Write-offs: propose, approve or reject, post; list those waiting."""


def _found(ctx, number: str) -> dict:
    from arctui.services.errors import NotFound
    from arctui.store.read import controls

    found = controls.write_off(ctx.db, number)
    if found is None:
        raise NotFound(f"write-off {number} not found")
    return found


@command.command(name="propose")
@db_option
@click.argument("invoice")
@click.argument("amount")
@click.option("--reason", "reason_code", required=True, help="A reason code of the chart (`arctui codes list`).")
@click.option("--gl", "gl_code", required=True, help="A GL code of the chart.")
@click.option("--note", required=True, help="Why it cannot be collected.")
def propose(db_path, invoice, amount, reason_code, gl_code, note):
    """Propose writing off AMOUNT of invoice INVOICE (its number)."""
    from arctui.services.errors import NotFound
    from arctui.services.validate import identifier
    from arctui.services.write_offs import propose_write_off
    from arctui.store.read.cash import invoices_by_number

    ctx = open_context(db_path)
    number = identifier("invoice", invoice) or ""
    found = next(iter(invoices_by_number(ctx.db, [number, number.upper()])), None)
    if found is None:
        raise NotFound(f"invoice {invoice} not found")
    cents = parse_money(amount, found["currency"])
    write_off_id = propose_write_off(ctx, found["id"], cents, reason_code, gl_code, note)
    row = ctx.db["credit_memos"].get(write_off_id)
    click.echo(f"{row['number']}: {format_money(cents, row['currency'])} of {found['number']}, {_status(row)}")


def _status(row: dict) -> str:
    return row["status"].replace("_", " ")


def _decide(db_path, number: str, version: int | None, service, done: str, note: str) -> None:
    """Run ``service`` (approve or reject) on write-off NUMBER and say it is ``done``."""
    ctx = open_context(db_path)
    found = _found(ctx, number)
    service(ctx, found["id"], as_seen(found, version), note)
    click.echo(f"{found['number']} {done}")


@command.command(name="approve")
@db_option
@click.argument("number")
@click.option("--note", default="", help="Why (optional).")
@version_option("write-off")
def approve(db_path, number, note, version):
    """Approve write-off NUMBER, proposed by someone else, within your authority limit."""
    from arctui.services.write_offs import approve_write_off

    _decide(db_path, number, version, approve_write_off, "approved", note)


@command.command(name="reject")
@db_option
@click.argument("number")
@click.option("--note", required=True, help="Why not.")
@version_option("write-off")
def reject(db_path, number, note, version):
    """Reject write-off NUMBER, proposed by someone else."""
    from arctui.services.write_offs import reject_write_off

    _decide(db_path, number, version, reject_write_off, "rejected", note)


@command.command(name="post")
@db_option
@click.argument("number")
@version_option("write-off")
def post(db_path, number, version):
    """Post approved write-off NUMBER: its invoice's open amount drops by it."""
    from arctui.services.write_offs import post_write_off

    ctx = open_context(db_path)
    found = _found(ctx, number)
    post_write_off(ctx, found["id"], as_seen(found, version))
    click.echo(
        f"{found['number']} posted: {format_money(found['amount_cents'], found['currency'])} off {found['invoice']}"
    )


@command.command(name="list")
@db_option
def list_waiting(db_path):
    """Write-offs waiting for approval or for posting."""
    from arctui.store.read import controls

    ctx = open_context(db_path)
    waiting = controls.write_offs(ctx.db, ctx.today(), statuses=("pending_approval", "approved"))
    if not waiting:
        click.echo("no write-off waiting")
        return
    rows = [
        (
            w["number"],
            _status(w),
            w["account"],
            w["invoice"],
            format_money(w["amount_cents"], w["currency"]),
            w["currency"],
            f"{w['reason_code']} / {w['gl_code']}",
            w["prepared_by"],
            w["note"] or "",
        )
        for w in waiting
    ]
    click.echo(
        text_table(
            ["write-off", "status", "account", "invoice", "amount", "cur", "reason / GL", "proposed by", "note"],
            rows,
            right=[4],
            wrap={8: 40},
        )
    )
