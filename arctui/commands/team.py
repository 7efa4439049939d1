"""``arctui team``: the collectors, their portfolios and cash targets."""

import click
from tabulate import tabulate

from arctui.commands.common import db_option, open_context
from arctui.domain.control_chars import visible
from arctui.domain.money import format_money, parse_money
from arctui.services.accounts import assign_accounts, save_collector, set_target
from arctui.store.read import team
from arctui.store.read.accounts import customer_id_by_account_no


@click.group(name="team")
def command():
    """Collectors, their authority limits, portfolios and targets."""


@command.command(name="list")
@db_option
def list_team(db_path):
    """Every collector with role, memo limit, contact cadence and accounts owned."""
    db = open_context(db_path).db
    click.echo(
        tabulate(
            [
                (
                    visible(c["id"]),
                    visible(c["name"]),
                    visible(c["role"]),
                    format_money(c["memo_limit_cents"]),
                    f"{c['cadence_days']} d",
                    "yes" if c["active"] else "no",
                    c["accounts"],
                )
                for c in team.team_listing(db)
            ],
            headers=["login", "name", "role", "memo limit", "cadence", "active", "accounts"],
        )
    )


@command.command(name="save")
@db_option
@click.argument("login")
@click.option("--name", required=True)
@click.option("--email")
@click.option("--role", type=click.Choice(["collector", "lead", "manager"]), default="collector", show_default=True)
@click.option(
    "--limit",
    "limit_text",
    default="0",
    show_default=True,
    help="Authority limit (credit memos, write-offs, credit-limit raises, refunds), e.g. 2,500.00.",
)
@click.option(
    "--cadence", type=click.IntRange(min=1), default=14, show_default=True, help="Target days between contacts."
)
def save(db_path, login, name, email, role, limit_text, cadence):
    """Add collector LOGIN or change them (leads and managers only; not your own limit or role)."""
    ctx = open_context(db_path)
    current = team.collector(ctx.db, login)
    save_collector(
        ctx,
        login,
        name,
        email=email,
        role=role,
        memo_limit_cents=parse_money(limit_text),
        cadence_days=cadence,
        version=current["version"] if current else None,
    )
    click.echo(f"{login}: {name}, {role}, memo limit {format_money(parse_money(limit_text))}")


@command.command(name="assign")
@db_option
@click.argument("login")
@click.argument("accounts", nargs=-1, required=True)
def assign(db_path, login, accounts):
    """Move ACCOUNTS (account numbers) to LOGIN's portfolio."""
    ctx = open_context(db_path)
    ids = []
    for account in accounts:
        customer_id = customer_id_by_account_no(ctx.db, account)
        if customer_id is None:
            raise click.ClickException(f"no account {account}")
        ids.append(customer_id)
    click.echo(f"{assign_accounts(ctx, ids, login)} of {len(ids)} accounts moved to {login}")


@command.command(name="target")
@db_option
@click.argument("period")
@click.argument("amount")
@click.option("--collector", help="One collector's target (default: the team's).")
def target(db_path, period, amount, collector):
    """Set the cash target of PERIOD (2026-11 or 2026-Q4) to AMOUNT."""
    ctx = open_context(db_path)
    set_target(ctx, period, parse_money(amount), collector)
    click.echo(f"target {period} ({collector or 'team'}): {format_money(parse_money(amount))}")
