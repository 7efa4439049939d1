"""``arctui dunning run``: send each overdue account the reminder it is due, once."""

import click
from tabulate import tabulate

from arctui.commands.common import db_option, today_option
from arctui.commands.email import open_context_as_of
from arctui.services.dunning import DRY_RUN_WRITTEN, dry_run, run_dunning
from arctui.services.email import open_transport

DRY_RUN_SENDER = "file"


@click.group(name="dunning")
def command():
    """Automated reminders: first reminder, second reminder, final notice."""


@command.command(name="run")
@db_option
@click.option(
    "--dry-run",
    "dry_run_",
    is_flag=True,
    help="Write the emails as .eml files (see --outbox); change nothing in the database.",
)
@click.option("--collector", help="Only this collector's accounts (default: the whole team).")
@click.option("--sender", help="A registered email sender (default: [email] sender, else smtp).")
@click.option("--limit", type=click.IntRange(min=1), help="Send at most this many emails.")
@click.option(
    "--outbox",
    type=click.Path(file_okay=False),
    help="Where a dry run writes .eml files (default: [email] outbox_dir or ./outbox).",
)
@today_option
def run(db_path, dry_run_, collector, sender, limit, outbox, today):
    """Decide, per overdue account, which step is due; send it and log the touchpoint.

    An account is skipped while an invoice is disputed, while it keeps to a payment plan,
    while a promise to pay is pending, and within a few days of the last contact. The days
    (from when each step may go, one step per N days, quiet days) are the [dunning] settings.
    """
    ctx = open_context_as_of(db_path, today)
    if dry_run_:
        if sender not in (None, DRY_RUN_SENDER):
            raise click.UsageError(f"--dry-run always writes .eml files; drop --sender {sender}")
        transport = open_transport(ctx, DRY_RUN_SENDER, {"outbox_dir": outbox} if outbox else None)
        items = dry_run(ctx, transport, collector, limit)
        _print(items, DRY_RUN_WRITTEN, "written as .eml files, nothing recorded (dry run)")
    else:
        items = run_dunning(ctx, open_transport(ctx, sender), collector, limit)
        _print(items, "sent", "sent")


def _print(items, done: str, done_words: str) -> None:
    if not items:
        click.echo("no overdue accounts, no dunning email waiting")
        return
    rows = [[i.account_no, i.name[:28], i.decision.step or "-", i.decision.reason, i.outcome] for i in items]
    click.echo(
        tabulate(rows, headers=["account", "name", "step", "why", "outcome"], maxcolwidths=[None, None, None, 48, 60])
    )
    count = sum(i.outcome == done for i in items)
    due = sum(bool(i.decision.step) for i in items)
    overdue = sum(i.facts.oldest_days_past_due > 0 for i in items)
    click.echo(f"{overdue} overdue accounts, {due} due a step, {count} {done_words}")
