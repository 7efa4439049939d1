"""``arctui strategy``: the collection strategies kept in the book (the dunning ladder of each
segment of accounts) and a collector's pause of an account's reminders."""

from pathlib import Path

import click

from arctui.commands.common import db_option, open_context, text_table, today_option
from arctui.commands.email import open_context_as_of


@click.group(name="strategy")
def command():
    """Collection strategies: the dunning ladder per segment of accounts; pauses."""


@command.command(name="list")
@db_option
def list_strategies(db_path):
    """The book's strategies in the order an account is matched against them."""
    from arctui.services.strategies import book_strategies
    from arctui.store.read.dunning import strategies_set_by_a_person

    ctx = open_context(db_path)
    rows = [
        (n, s.name, str(s.segment), " → ".join(f"{step.days}d {step.channel} {step.template}" for step in s.steps))
        for n, s in enumerate(book_strategies(ctx.db, ctx.settings), start=1)
    ]
    click.echo(text_table(["#", "strategy", "for", "steps"], rows, wrap={3: 70}))
    if not strategies_set_by_a_person(ctx.db):
        click.echo("nobody has set strategies yet: the default is the runner's ladder ([dunning] settings, if any)")


@command.command(name="show")
@db_option
@click.argument("name")
def show(db_path, name):
    """Strategy NAME: whom it is for, its pace and its steps."""
    from arctui.services.errors import NotFound
    from arctui.services.strategies import book_strategies

    ctx = open_context(db_path)
    strategy = next((s for s in book_strategies(ctx.db, ctx.settings) if s.name == name), None)
    if strategy is None:
        raise NotFound(f"no strategy {name} (`arctui strategy list` shows them)")
    click.echo(f"strategy {strategy.name}: for {strategy.segment}")
    click.echo(
        f"at most one step per {strategy.step_gap_days} days, none within {strategy.quiet_days} days of a contact"
    )
    rows = [(n, f"{s.days}", s.channel, s.template) for n, s in enumerate(strategy.steps, start=1)]
    click.echo(text_table(["step", "days past due", "channel", "template"], rows, right=[1]))


@command.command(name="account")
@db_option
@click.argument("account_no")
@today_option
def account(db_path, account_no, today):
    """ACCOUNT_NO's strategy and the step it is due today (or why none), as the console shows it."""
    from arctui.services.correspondence import customer_by_account_no
    from arctui.services.dunning import account_outlook, outlook_line

    ctx = open_context_as_of(db_path, today)
    click.echo(f"{account_no}: {outlook_line(account_outlook(ctx, customer_by_account_no(ctx.db, account_no)))}")


@command.command(name="set")
@db_option
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def set_(db_path, file):
    """Replace the book's strategies with those of FILE (TOML; leads and managers).

    Each [[strategy]] has a name, optionally a segment (regions, risk_classes, min_open and
    max_open in whole units of the account's currency), step_gap_days and quiet_days, and
    steps = [{ days = N, channel = "email" | "call" | "letter", template = T }, ...]. The
    first strategy whose segment matches an account is its strategy; the last names no
    segment, so it matches every account.
    """
    from arctui.services.strategies import read_strategy_file, set_strategies
    from arctui.services.templates import Templates

    ctx = open_context(db_path)
    strategies = read_strategy_file(file, Templates.from_settings(ctx.settings))
    set_strategies(ctx, strategies)
    click.echo(f"{len(strategies)} strategies set: {', '.join(s.name for s in strategies)}")


@command.command(name="pause")
@db_option
@click.argument("account_no")
@click.option(
    "--until",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    callback=lambda ctx, param, value: value.date(),
    help="The last day of the pause (YYYY-MM-DD).",
)
@click.option("--reason", required=True, help="Why the account gets no reminders meanwhile.")
@today_option
def pause(db_path, account_no, until, reason, today):
    """No reminders to ACCOUNT_NO until a day, for a reason (its collector, a lead or a manager)."""
    from arctui.services.correspondence import customer_by_account_no
    from arctui.services.strategies import pause_dunning

    ctx = open_context_as_of(db_path, today)
    pause_dunning(ctx, customer_by_account_no(ctx.db, account_no), until, reason)
    click.echo(f"{account_no}: no reminders until {until.isoformat()}")


@command.command(name="resume")
@db_option
@click.argument("account_no")
@today_option
def resume(db_path, account_no, today):
    """End ACCOUNT_NO's pause before its last day."""
    from arctui.services.correspondence import customer_by_account_no
    from arctui.services.strategies import resume_dunning

    ctx = open_context_as_of(db_path, today)
    resume_dunning(ctx, customer_by_account_no(ctx.db, account_no))
    click.echo(f"{account_no}: reminded again from the next dunning run")
