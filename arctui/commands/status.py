"""``arctui status``: one short line for a tmux or shell status bar, for the acting collector.

Fast enough to run every few seconds: it reads a SQLite book over a plain read-only sqlite3
connection and imports neither sqlite-utils nor the services: ``farm-bench --vs 'arctui
--help' -- arctui status --db BOOK`` compares its start with the CLI's bare start. A
PostgreSQL book is read through the store's read-only connection, as the server's role.
"""

import os
import sqlite3
from datetime import UTC, datetime

import click

from arctui.commands.common import cli_state, db_option, open_context, today_option


@click.command(name="status")
@db_option
@today_option
def command(db_path, today):
    """One short line for a status bar: promises due today, broken, calls to make, unapplied cash, to approve."""
    from arctui.domain.status_line import status_line
    from arctui.identity import IdentityError, who_acts
    from arctui.store.postgresql import is_url
    from arctui.store.read import status

    on_server = is_url(db_path)
    if not on_server and not os.path.isfile(db_path):
        raise click.ClickException(f"{db_path}: no such book")
    try:
        if on_server:
            ctx = open_context(db_path, read_only=True)  # who acts: the role the server authenticated
            db, user = ctx.db, ctx.user
        else:
            db = status.open_read_only(db_path)
            user = who_acts(cli_state().user, lambda login: status.is_collector(db, login))
        collector = user if status.is_collector(db, user) else None
        today = today or datetime.now(UTC).date()
        found = status.counts(db, today, user, collector)
        unapplied = status.unapplied(db, collector)
    except IdentityError as exc:
        raise click.ClickException(str(exc)) from None
    except sqlite3.Error as exc:
        raise click.ClickException(
            f"{db_path}: {exc} (a book of this arctui? `arctui migrate` updates an older one)"
        ) from None
    click.echo(status_line(found["due_today"], found["broken"], found["calls"], unapplied, found["to_approve"]))
