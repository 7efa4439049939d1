"""``arctui email``: the outbox: send what is queued, and settle messages left in doubt."""

from dataclasses import replace

import click

from arctui.commands.common import cli_state, db_option, open_context, text_table, today_option
from arctui.domain.control_chars import visible
from arctui.domain.dunning import STEPS
from arctui.services.context import Context, fixed_clock
from arctui.services.correspondence import contact_by_address, customer_by_account_no, draft_email, send_account_email
from arctui.services.email import (
    MAX_ATTEMPTS,
    open_transport,
    resolve_in_doubt,
    retry_email,
    send_queued,
    stuck,
    withdraw_email,
)
from arctui.services.templates import TEMPLATE_NAMES, Templates


def open_context_as_of(db_path: str, today) -> Context:
    """The acting user's context; with ``--today`` its clock stands at 09:00 UTC that day."""
    ctx = open_context(db_path)
    return replace(ctx, clock=fixed_clock(today)) if today else ctx


@click.group(name="email")
def command():
    """The email outbox."""


@command.command(name="queue")
@db_option
@click.argument("account_no")
@click.argument("template", type=click.Choice(TEMPLATE_NAMES))
@click.option(
    "--to",
    "to_addr",
    metavar="EMAIL",
    help="The account's contact to write to (default: its primary contact with an email address).",
)
@click.option("--send", "send_now", is_flag=True, help="Send it now (else the next send-queued or dunning run does).")
@click.option("--sender", help="With --send: a registered email sender (default: as configured).")
@today_option
def queue(db_path, account_no, template, to_addr, send_now, sender, today):
    """Render TEMPLATE for ACCOUNT_NO's contact and queue it, as the console's Send email
    does: an account gets each email once a day (sending now what is queued for the same
    address is the one repeat allowed)."""
    if sender and not send_now:
        raise click.UsageError("--sender goes with --send")
    ctx = open_context_as_of(db_path, today)
    customer_id = customer_by_account_no(ctx.db, account_no)
    contact_id = contact_by_address(ctx.db, customer_id, to_addr) if to_addr else None
    transport = open_transport(ctx, sender) if send_now else None
    outbox_id = send_account_email(ctx, customer_id, template, contact_id, send_now, transport)
    click.echo(f"email {outbox_id} queued")
    if send_now:
        click.echo(f"email {outbox_id} sent")


@command.command(name="preview")
@db_option
@click.argument("account_no")
@click.argument("template", type=click.Choice(TEMPLATE_NAMES))
@today_option
def preview(db_path, account_no, template, today):
    """Print TEMPLATE rendered for ACCOUNT_NO, as it would be sent (nothing is queued)."""
    ctx = open_context_as_of(db_path, today)
    templates = Templates.from_settings(ctx.settings)
    draft = draft_email(ctx.db, templates, customer_by_account_no(ctx.db, account_no), template, ctx.today())
    click.echo(
        f"Template: {templates.source_file(template)}\nTo: {draft.to_addr}\nSubject: {draft.subject}\n\n{draft.body}",
        nl=False,
    )


@command.command(name="templates")
def list_templates():
    """Where each template is read from (the team's folder overrides the defaults by name)."""
    templates = Templates.from_settings(cli_state().settings)
    for name in TEMPLATE_NAMES:
        click.echo(f"{name:22} {templates.source_file(name)}")


@command.command(name="send-queued")
@db_option
@click.option("--sender", help="A registered email sender (default: [email] sender, else smtp).")
@click.option("--limit", type=click.IntRange(min=1), help="Send at most this many emails.")
def send(db_path, sender, limit):
    """Send queued emails and retry those the server refused earlier. Reminders are left to
    `arctui dunning run`, which first checks that the account still needs them. Exits 1 when
    any email did not go."""
    _send(open_context(db_path), sender, limit=limit, except_templates=STEPS)


def _send(ctx, sender, limit=None, ids=None, except_templates=()) -> None:
    report = send_queued(ctx, open_transport(ctx, sender), limit, ids, except_templates)
    for outbox_id, error in report.failed + report.in_doubt:
        click.echo(f"email {outbox_id}: {visible(error)}", err=True)
    click.echo(
        f"{len(report.sent)} sent, {len(report.failed)} failed (tried again next time, up"
        f" to {MAX_ATTEMPTS} times), {len(report.in_doubt)} in doubt"
        " (see `arctui email stuck`)"
    )
    if report.busy:
        raise click.ClickException(f"{len(report.not_tried)} left queued: {report.busy}")
    unsent = len(report.failed) + len(report.in_doubt)
    if unsent:  # a scheduled run must not look fine when sends failed
        raise click.ClickException(f"{unsent} of {unsent + len(report.sent)} emails not sent")


@command.command(name="stuck")
@db_option
def list_stuck(db_path):
    """Emails no run sends on its own: in doubt (check the mail log, then `resolve`) or given
    up after repeated refusals (fix the cause, then `retry`)."""
    rows = stuck(open_context(db_path).db)
    if not rows:
        click.echo("no stuck emails")
        return
    table = [
        [r["id"], r["state"], r["to_addr"], r["subject"][:40], r["message_id"] or "", r["last_error"] or ""]
        for r in rows
    ]
    click.echo(text_table(["id", "state", "to", "subject", "message id", "last error"], table, right=[0], wrap={5: 50}))


@command.command(name="resolve")
@db_option
@click.argument("outbox_id", type=int)
@click.option(
    "--delivered/--not-delivered", required=True, help="What the mail log says about this message's Message-ID."
)
@click.option("--note", default="", help="What you checked.")
def resolve(db_path, outbox_id, delivered, note):
    """Settle an email in doubt: mark it sent, or release it to be sent again."""
    resolve_in_doubt(open_context(db_path), outbox_id, delivered, note)
    outcome = "marked sent" if delivered else "released for the next send"
    click.echo(f"email {outbox_id}: {outcome}")


@command.command(name="withdraw")
@db_option
@click.argument("outbox_id", type=int)
@click.option("--reason", required=True, help="Why it should not be sent (kept in the audit).")
def withdraw(db_path, outbox_id, reason):
    """Take an email that was never sent out of the outbox."""
    withdraw_email(open_context(db_path), outbox_id, reason)
    click.echo(f"email {outbox_id}: withdrawn")


@command.command(name="retry")
@db_option
@click.argument("outbox_id", type=int)
def retry(db_path, outbox_id):
    """Try again an email the server kept refusing, once the cause is fixed."""
    retry_email(open_context(db_path), outbox_id)
    click.echo(f"email {outbox_id}: will be sent by the next send-queued or dunning run")
