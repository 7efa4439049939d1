"""``arctui dunning run``: take for each overdue account the step its strategy says is due, once."""

from pathlib import Path

import click

from arctui.commands.common import db_option, text_table, today_option
from arctui.commands.email import open_context_as_of
from arctui.services.batch_send import FAILED, IN_DOUBT, NOT_TRIED, SENT, tally
from arctui.services.dunning import dry_run, run_dunning
from arctui.services.email import MAX_ATTEMPTS, open_transport
from arctui.services.letters import LETTERS_DIR

DRY_RUN_SENDER = "file"

outbox_option = click.option(
    "--outbox",
    type=click.Path(file_okay=False),
    help="Where a dry run writes .eml files (default: [email] outbox_dir or ./outbox).",
)


def letters_option(help_text: str):
    """``--letters DIR``: where a run writes its letters to print."""
    return click.option(
        "--letters",
        type=click.Path(file_okay=False, path_type=Path),
        default=LETTERS_DIR,
        show_default=True,
        help=help_text,
    )


@click.group(name="dunning")
def command():
    """Automated reminders: each account climbs its strategy's ladder (see `arctui strategy`)."""


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
@outbox_option
@letters_option("Where letter steps are written, to print.")
@today_option
def run(db_path, dry_run_, collector, sender, limit, outbox, letters, today):
    """Decide, per overdue account, which step of its strategy is due, and take it: send the
    email (and log the touchpoint), write the letter, or leave the collector a call task.

    The step is the one the debt's age calls for. An account is skipped unless it is active
    (not on credit hold, suspended or escalated), while a collector paused it, while all it
    owes past due is disputed, while it keeps to a payment plan, while a promise to pay is
    pending, and within the strategy's quiet days of the last contact.
    Exits 1 when any email did not go (refused, in doubt, or left queued by a busy book).
    """
    ctx = open_context_as_of(db_path, today)
    if dry_run_:
        if sender not in (None, DRY_RUN_SENDER):
            raise click.UsageError(f"--dry-run always writes .eml files; drop --sender {sender}")
        transport = open_transport(ctx, DRY_RUN_SENDER, {"outbox_dir": outbox} if outbox else None)
        items = dry_run(ctx, transport, collector, limit)
        counts = tally(items)
        _print(items, f"{counts[SENT]} written as .eml files, {counts[FAILED]} failed, nothing recorded (dry run)")
        if counts[FAILED]:
            raise click.ClickException(f"{counts[FAILED]} of {counts[SENT] + counts[FAILED]} .eml files not written")
        return
    items = run_dunning(ctx, open_transport(ctx, sender), collector, limit, letters_dir=letters)
    counts = tally(items)
    _print(items, f"{counts[SENT]} sent, {counts[FAILED]} failed, {counts[IN_DOUBT]} in doubt")
    fail_unless_all_sent(items, counts)


def _print(items, done: str) -> None:
    if not items:
        click.echo("no overdue accounts, no dunning email waiting")
        return
    rows = [[i.account_no, i.name[:28], i.decision.step or "-", i.decision.reason, i.outcome] for i in items]
    click.echo(text_table(["account", "name", "step", "why", "outcome"], rows, wrap={3: 48, 4: 60}))
    due = sum(bool(i.decision.step) for i in items)
    overdue = sum(i.facts.oldest_days_past_due > 0 for i in items)
    click.echo(f"{overdue} overdue accounts, {due} due a step, {done}")


def fail_unless_all_sent(items, counts, retried_by: str = "the next run") -> None:
    """One line and exit 1 when any email of the run did not go: a scheduled run must not
    look fine when every send failed. ``retried_by`` is what sends a failed one again."""
    unsent = counts[FAILED] + counts[IN_DOUBT] + counts[NOT_TRIED]
    if not unsent:
        return
    parts = []
    if counts[FAILED]:
        parts.append(f"{counts[FAILED]} failed ({retried_by} tries again, up to {MAX_ATTEMPTS} times)")
    if counts[IN_DOUBT]:
        parts.append(f"{counts[IN_DOUBT]} in doubt (see `arctui email stuck`)")
    if counts[NOT_TRIED]:
        busy = next(i.outcome for i in items if i.sending == NOT_TRIED).removeprefix("not sent: ")
        parts.append(f"{counts[NOT_TRIED]} left queued: {busy}")
    raise click.ClickException(f"{unsent} of {unsent + counts[SENT]} emails not sent: {'; '.join(parts)}")
