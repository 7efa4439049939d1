"""``arctui email``: the outbox: send what is queued, and settle messages left in doubt."""
import click
from tabulate import tabulate

from arctui.commands.common import db_option, open_context
from arctui.services.email import in_doubt, open_transport, resolve_in_doubt, send_queued


@click.group(name="email")
def command():
    """The email outbox."""


@command.command(name="send-queued")
@db_option
@click.option("--sender", help="A registered email sender (default: [email] sender, else smtp).")
@click.option("--limit", type=click.IntRange(min=1), help="Send at most this many emails.")
def send(db_path, sender, limit):
    """Send queued emails and retry those the server refused earlier."""
    report = send_queued(open_context(db_path), open_transport(sender), limit)
    for outbox_id, error in report.failed + report.in_doubt:
        click.echo(f"email {outbox_id}: {error}", err=True)
    click.echo(f"{len(report.sent)} sent, {len(report.failed)} failed (retried on the next run),"
               f" {len(report.in_doubt)} in doubt (see `arctui email in-doubt`)")


@command.command(name="in-doubt")
@db_option
def list_in_doubt(db_path):
    """Emails handed to the server whose acceptance was never confirmed (check the mail log)."""
    rows = in_doubt(open_context(db_path).db)
    if not rows:
        click.echo("no emails in doubt")
        return
    click.echo(tabulate([[r["id"], r["to_addr"], r["subject"][:40], r["message_id"], r["last_error"] or ""]
                         for r in rows], headers=["id", "to", "subject", "message id", "last error"]))


@command.command(name="resolve")
@db_option
@click.argument("outbox_id", type=int)
@click.option("--delivered/--not-delivered", required=True,
              help="What the mail log says about this message's Message-ID.")
@click.option("--note", default="", help="What you checked.")
def resolve(db_path, outbox_id, delivered, note):
    """Settle an email in doubt: mark it sent, or release it to be sent again."""
    resolve_in_doubt(open_context(db_path), outbox_id, delivered, note)
    click.echo(f"email {outbox_id}: " + ("marked sent" if delivered else "released for the next send"))
