"""``arctui aging``: the book's aging buckets, which every report, screen and statement shows."""

import click

from arctui.commands.common import db_option, open_context
from arctui.domain.control_chars import visible

SET_HINT = "a manager sets them with `arctui aging set 0,15,30,60,90,120`"


@click.group(name="aging")
def command():
    """The book's aging buckets: days past due that reports, screens and statements group by."""


@command.command(name="show")
@db_option
def show(db_path):
    """The book's buckets and their bounds."""
    from arctui.store.read.aging import book_buckets, buckets_setting

    db = open_context(db_path).db
    buckets = book_buckets(db)
    setting = buckets_setting(db)
    click.echo(f"aging buckets: {', '.join(buckets.names)}")
    if setting is None:
        click.echo(f"bounds: {buckets.text} (the standard ones, not set: {SET_HINT})")
    else:
        who = visible(f"{setting['updated_by']} on {(setting['updated_at'] or '')[:10]}")
        click.echo(f"bounds: {buckets.text} (days past due; current is not yet due; set by {who})")
    click.echo(
        "the queue's score weighs past-due money by the standard 1-30, 31-60, 61-90 and 90+ whatever the book shows"
    )


@command.command(name="set")
@db_option
@click.argument("bounds")
def set_buckets(db_path, bounds):
    """Make BOUNDS the book's buckets (managers only): days past due, e.g. 0,15,30,60,90,120
    for current, 1-15, 16-30, 31-60, 61-90, 91-120 and 120+ (2 to 8 past-due buckets)."""
    from arctui.services.aging import set_aging_buckets

    buckets = set_aging_buckets(open_context(db_path), bounds)
    click.echo(f"aging buckets: {', '.join(buckets.names)}")
