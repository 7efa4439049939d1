"""``arctui init --manager LOGIN``: start a team by naming its first manager."""

import os

import click

from arctui.commands.common import db_option, open_context
from arctui.domain.money import format_money, parse_money


@click.command(name="init")
@db_option
@click.option("--manager", "login", required=True, help="The login of the team's first manager.")
@click.option("--name", help="Their name (default: the login; a known collector keeps theirs).")
@click.option("--email")
@click.option(
    "--limit", "limit_text", help="Their credit memo authority limit, e.g. 25,000.00 (default: 0, or theirs)."
)
def command(db_path, login, name, email, limit_text):
    """Start the team: make LOGIN its first manager (the database file's owner or root only).

    Only while the team has no lead or manager; the database is created when missing. From
    then on leads and managers keep the team with `arctui team save`, never for themselves.
    """
    from arctui.services.accounts import init_manager
    from arctui.store.connection import connect

    limit = parse_money(limit_text) if limit_text is not None else None
    created = not os.path.exists(db_path)
    if created:
        connect(db_path, create=True).close()
    ctx = open_context(db_path)
    added = init_manager(ctx, login, name, email=email, memo_limit_cents=limit)
    limit_note = f", memo limit {format_money(limit)}" if limit is not None else ""
    click.echo(
        f"{login} is {'now' if not added else 'the'} manager of {db_path}{' (created)' if created else ''}"
        f"{limit_note}: they add the team with `arctui team save`"
    )
