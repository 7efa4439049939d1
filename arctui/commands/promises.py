"""``arctui promises settle``: judge open promises against the cash that came in.

Cash application settles the paying account's promises at once; a promise nobody paid
turns broken only when it is judged after its grace days, so run this daily (cron).
"""

from dataclasses import replace

import click

from arctui.commands.common import db_option, open_context, today_option
from arctui.services.context import fixed_clock
from arctui.services.promises import settle_promises


@click.group(name="promises")
def command():
    """Promises to pay."""


@command.command(name="settle")
@db_option
@today_option
def settle(db_path, today):
    """Mark open promises kept, partial or broken from the cash received in their window."""
    ctx = open_context(db_path)
    if today is not None:
        ctx = replace(ctx, clock=fixed_clock(today))
    changed = settle_promises(ctx)
    click.echo(f"{changed} promises settled as of {ctx.today().isoformat()}")
