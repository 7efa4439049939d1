"""``arctui audit verify``: walk the audit hash chain."""

import click

from arctui.commands.common import db_option
from arctui.store import audit
from arctui.store.connection import connect


@click.group(name="audit")
def command():
    """The append-only audit trail."""


@command.command(name="verify")
@db_option
def verify(db_path):
    """Check the hash chain; name the first row that was tampered with."""
    checked, bad_id, problem = audit.verify(connect(db_path))
    if bad_id is not None:
        raise click.ClickException(f"audit row {bad_id} {problem}; {checked} rows before it verify")
    click.echo(f"audit chain ok: {checked} rows verified")
