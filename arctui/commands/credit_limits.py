"""``arctui credit-limit``: ask for an account's new credit limit (applied at once within your
authority limit), approve or reject someone else's raise, list those waiting. The console's
service, so the same refusals; each step one audited action."""

import click

from arctui.commands.common import as_seen, db_option, open_context, text_table, version_option
from arctui.domain.money import format_money, parse_money


@click.group(name="credit-limit")
def command():
    """Credit limits: change one (above your authority it waits for approval), approve or reject."""


def _money(cents: int | None, currency: str) -> str:
    return "none" if cents is None else format_money(cents, currency)


@command.command(name="set")
@db_option
@click.argument("account_no")
@click.argument("amount")
@click.option("--note", required=True, help="Why the limit changes.")
@version_option("account")
def set_limit(db_path, account_no, amount, note, version):
    """Ask for ACCOUNT_NO's credit limit to be AMOUNT."""
    from arctui.services.credit_limits import change_credit_limit
    from arctui.services.errors import NotFound
    from arctui.store.read.accounts import customer, customer_id_by_account_no

    ctx = open_context(db_path)
    customer_id = customer_id_by_account_no(ctx.db, account_no)
    if customer_id is None:
        raise NotFound(f"account {account_no} not found")
    account = customer(ctx.db, customer_id)
    cents = parse_money(amount, account["currency"])
    change_id = change_credit_limit(ctx, customer_id, cents, note, as_seen(account, version))
    change = ctx.db["credit_limit_changes"].get(change_id)
    done = "applied" if change["status"] == "applied" else "waiting for approval"
    click.echo(f"credit-limit change {change_id}: {account_no} {format_money(cents, account['currency'])}, {done}")


def _decide(db_path, change_id: int, version: int | None, service, done: str, note: str) -> None:
    """Run ``service`` (approve or reject) on credit-limit change CHANGE_ID and say it is ``done``."""
    from arctui.services.records import get

    ctx = open_context(db_path)
    service(ctx, change_id, as_seen(get(ctx.db, "credit_limit_changes", change_id), version), note)
    click.echo(f"credit-limit change {change_id} {done}")


@command.command(name="approve")
@db_option
@click.argument("change_id", type=int)
@click.option("--note", default="", help="Why (optional).")
@version_option("change")
def approve(db_path, change_id, note, version):
    """Approve credit-limit change CHANGE_ID, asked for by someone else, within your authority limit."""
    from arctui.services.credit_limits import approve_credit_limit

    _decide(db_path, change_id, version, approve_credit_limit, "applied", note)


@command.command(name="reject")
@db_option
@click.argument("change_id", type=int)
@click.option("--note", required=True, help="Why not.")
@version_option("change")
def reject(db_path, change_id, note, version):
    """Reject credit-limit change CHANGE_ID, asked for by someone else."""
    from arctui.services.credit_limits import reject_credit_limit

    _decide(db_path, change_id, version, reject_credit_limit, "rejected", note)


@command.command(name="list")
@db_option
def list_waiting(db_path):
    """Credit-limit changes waiting for approval."""
    from arctui.store.read.credit_limits import changes_waiting

    waiting = changes_waiting(open_context(db_path).db)
    if not waiting:
        click.echo("no credit-limit change waiting")
        return
    rows = [
        (
            c["id"],
            c["account_no"],
            _money(c["from_cents"], c["currency"]),
            _money(c["to_cents"], c["currency"]),
            c["currency"],
            c["requested_by"],
            c["requested_at"][:10],
            c["note"],
        )
        for c in waiting
    ]
    click.echo(
        text_table(
            ["change", "account", "from", "to", "cur", "asked by", "on", "note"], rows, right=[0, 2, 3], wrap={7: 40}
        )
    )
