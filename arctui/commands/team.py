"""``arctui team``: the collectors, their portfolios and cash targets."""

import click
from tabulate import tabulate

from arctui.commands.common import db_option, open_context
from arctui.domain.authority import LIMIT_KINDS
from arctui.domain.control_chars import visible
from arctui.domain.money import format_money, parse_money
from arctui.services.accounts import assign_accounts, save_collector, set_authority_limit, set_target
from arctui.store.read import team
from arctui.store.read.accounts import customer_id_by_account_no


@click.group(name="team")
def command():
    """Collectors, their authority limits, portfolios and targets."""


@command.command(name="list")
@db_option
def list_team(db_path):
    """Every collector with role, general authority limit and the limits set for one kind,
    contact cadence and accounts owned."""
    db = open_context(db_path).db
    own = team.own_limits(db)
    click.echo(
        tabulate(
            [
                (
                    visible(c["id"]),
                    visible(c["name"]),
                    visible(c["role"]),
                    format_money(c["memo_limit_cents"]),
                    "; ".join(f"{LIMIT_KINDS[k]} {format_money(v)}" for k, v in own.get(c["id"], {}).items()),
                    f"{c['cadence_days']} d",
                    "yes" if c["active"] else "no",
                    c["accounts"],
                )
                for c in team.team_listing(db)
            ],
            headers=["login", "name", "role", "limit", "own limits", "cadence", "active", "accounts"],
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
    help="General authority limit (credit memos, write-offs, credit-limit raises, refunds, unless"
    " `team limit` sets one of its own for a kind), e.g. 2,500.00.",
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


_KIND_NAMES = {name.replace(" ", "-"): kind for kind, name in LIMIT_KINDS.items()}


@command.command(name="limit")
@db_option
@click.argument("login")
@click.argument("kind", type=click.Choice(sorted(_KIND_NAMES)))
@click.argument("amount", required=False)
@click.option("--general", is_flag=True, help="Remove the kind's own limit: the general limit applies again.")
def limit(db_path, login, kind, amount, general):
    """Set LOGIN's authority limit for one KIND of money movement to AMOUNT (leads and managers,
    never their own), e.g. `arctui team limit bob write-off 500.00`."""
    if general == (amount is not None):
        raise click.UsageError("give an AMOUNT, or --general to remove the kind's own limit")
    cents = None if general else parse_money(amount)
    set_authority_limit(open_context(db_path), login, _KIND_NAMES[kind], cents)
    shown = "the general limit" if cents is None else format_money(cents)
    click.echo(f"{login}: {kind} limit {shown}")


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
