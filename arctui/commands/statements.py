"""``arctui statements``: an account's statement, and the monthly statement run."""

import click

from arctui.commands.common import db_option, text_table, today_option
from arctui.commands.dunning import DRY_RUN_SENDER, fail_unless_all_sent, letters_option, outbox_option
from arctui.commands.email import open_context_as_of


@click.group(name="statements")
def command():
    """Statements of account: open invoices, credits, unapplied cash, aging and balance."""


@command.command(name="show")
@db_option
@click.argument("account_no")
@today_option
def show(db_path, account_no, today):
    """Print ACCOUNT_NO's statement as it would be sent: an email, or the letter to print for an
    account with no email address."""
    from arctui.services.correspondence import customer_by_account_no
    from arctui.services.letters import letter_text
    from arctui.services.statements import statement_item
    from arctui.services.templates import Templates
    from arctui.store.read.accounts import customer

    ctx = open_context_as_of(db_path, today)
    item = statement_item(
        ctx, Templates.from_settings(ctx.settings), customer(ctx.db, customer_by_account_no(ctx.db, account_no))
    )
    if item.draft:
        click.echo(f"To: {item.draft.to_addr}\nSubject: {item.draft.subject}\n\n{item.draft.body}", nl=False)
    elif item.letter:
        letter = letter_text(item.letter.subject, item.letter.body)
        click.echo(f"A letter to print (no email address on file):\n\n{letter}", nl=False)
    else:
        raise click.ClickException(item.outcome)


@command.command(name="run")
@db_option
@click.option(
    "--dry-run", "dry_run_", is_flag=True, help="Write the statements as .eml files (see --outbox); record nothing."
)
@click.option("--sender", help="A registered email sender (default: [email] sender, else smtp).")
@outbox_option
@letters_option("Where the statements of accounts with no email address are written as letters to print.")
@today_option
def run(db_path, dry_run_, sender, outbox, letters, today):
    """Send this month's statement to every account with an open item or unapplied cash
    (but those with outside collections), or write it as a letter to print where the account
    has no email address; once a month: a second run is refused.

    Exits 1 when any statement did not go (refused, in doubt, or left queued by a busy book:
    `arctui email send-queued` retries it).
    """
    from arctui.services.batch_send import FAILED, IN_DOUBT, SENT, tally
    from arctui.services.email import open_transport
    from arctui.services.statements import dry_run, period_of, run_statements

    ctx = open_context_as_of(db_path, today)
    period = period_of(ctx.today())
    if dry_run_:
        if sender not in (None, DRY_RUN_SENDER):
            raise click.UsageError(f"--dry-run always writes .eml files; drop --sender {sender}")
        transport = open_transport(ctx, DRY_RUN_SENDER, {"outbox_dir": outbox} if outbox else None)
        items = dry_run(ctx, transport)
        counts = tally(items)
        _print(items, f"{counts[SENT]} written as .eml files, {counts[FAILED]} failed, nothing recorded (dry run)")
        if counts[FAILED]:
            raise click.ClickException(f"{counts[FAILED]} of {counts[SENT] + counts[FAILED]} .eml files not written")
        return
    items = run_statements(ctx, open_transport(ctx, sender), letters_dir=letters)
    counts = tally(items)
    written = sum(1 for i in items if i.letter)
    _print(
        items,
        f"statements of {period}: {counts[SENT]} sent, {counts[FAILED]} failed, {counts[IN_DOUBT]} in doubt,"
        f" {written} letters to print",
    )
    fail_unless_all_sent(items, counts, retried_by="`arctui email send-queued`")


def _print(items, done: str) -> None:
    rows = [
        [i.account_no, i.name[:28], i.draft.to_addr if i.draft else ("(letter)" if i.letter else "-"), i.outcome]
        for i in items
    ]
    if rows:
        click.echo(text_table(["account", "name", "to", "outcome"], rows, wrap={3: 60}))
    click.echo(f"{len(items)} accounts with a balance, {done}")
