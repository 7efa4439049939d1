"""``arctui migrate``: bring an older database file up to this arctui's schema, or move a
SQLite book into an empty PostgreSQL database (``--to postgresql://...``)."""

import click

from arctui.commands.common import db_option
from arctui.store.connection import BUSY_TIMEOUT_SECONDS, connect
from arctui.store.migrations import LATEST, schema_version


@click.command(name="migrate")
@db_option
@click.option("--create", is_flag=True, help="Create the file when it does not exist.")
@click.option(
    "--to",
    "to_url",
    metavar="URL",
    help="Copy the book (--db) into this empty PostgreSQL database, checking rows, ledger totals and audit chain.",
)
def command(db_path, create, to_url):
    """Apply pending schema migrations (each in its own transaction)."""
    db = connect(db_path, create=create, upgrade=True)
    click.echo(f"{db_path}: schema {schema_version(db)} (latest {LATEST})")
    if to_url:
        _move(db, to_url)


def _move(db, to_url: str) -> None:
    from arctui.store.postgresql import is_url
    from arctui.store.postgresql.connection import shown
    from arctui.store.postgresql.moving import move

    if not is_url(to_url):
        raise click.BadParameter("a PostgreSQL URL (postgresql://USER@HOST/DATABASE)", param_hint="--to")
    moved = move(db, to_url, BUSY_TIMEOUT_SECONDS)
    click.echo(
        f"{shown(to_url)}: {sum(moved.rows.values())} rows in {len(moved.rows)} tables copied;"
        f" row counts and ledger totals agree; audit chain verified on both sides"
        f" ({moved.audit_rows} rows, head {moved.audit_head[:16]})"
    )
