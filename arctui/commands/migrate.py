"""``arctui migrate``: bring an older database file up to this arctui's schema."""

import click

from arctui.commands.common import db_option
from arctui.store.connection import connect
from arctui.store.migrations import LATEST, schema_version


@click.command(name="migrate")
@db_option
@click.option("--create", is_flag=True, help="Create the file when it does not exist.")
def command(db_path, create):
    """Apply pending schema migrations (each in its own transaction)."""
    db = connect(db_path, create=create, upgrade=True)
    click.echo(f"{db_path}: schema {schema_version(db)} (latest {LATEST})")
