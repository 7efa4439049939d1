"""``arctui init --db PATH [--manager LOGIN]``: create an empty book, and start its team by
naming its first manager."""

import os
import shlex

import click

from arctui.commands.common import db_option, open_context
from arctui.domain.money import format_money, parse_money


@click.command(name="init")
@db_option
@click.option("--manager", "login", help="The login of the team's first manager (without it: only the empty book).")
@click.option("--name", help="Their name (default: the login; a known collector keeps theirs).")
@click.option("--email")
@click.option(
    "--limit", "limit_text", help="Their credit memo authority limit, e.g. 25,000.00 (default: 0, or theirs)."
)
def command(db_path, login, name, email, limit_text):
    """Create an empty book; with --manager LOGIN, start its team (the file's owner or root only).

    The book at --db is created when there is none. --manager makes LOGIN the team's first
    manager. A manager is named only while the team has no lead or manager. From then on leads and
    managers keep the team with `arctui team save`, never for themselves.
    """
    from arctui.services.accounts import init_manager
    from arctui.store.connection import connect

    if login is None and (name or email or limit_text):
        raise click.UsageError("--name, --email and --limit are the manager's: name them with --manager LOGIN")
    limit = parse_money(limit_text) if limit_text is not None else None
    created = not os.path.exists(db_path)
    if created:
        connect(db_path, create=True).close()
    if login is None:
        shown = shlex.quote(str(db_path))
        if not created:
            connect(db_path).close()  # refused when it is no arctui book, or an older one
        click.echo(
            f"{db_path}: {'an empty book (created)' if created else 'already a book; nothing changed'}; "
            f"load it with `arctui import customers FILE --db {shown}` (docs/importing.md), "
            f"start its team with `arctui init --db {shown} --manager LOGIN`"
        )
        return
    ctx = open_context(db_path)
    added = init_manager(ctx, login, name, email=email, memo_limit_cents=limit)
    limit_note = f", memo limit {format_money(limit)}" if limit is not None else ""
    click.echo(
        f"{login} is {'now' if not added else 'the'} manager of {db_path}{' (created)' if created else ''}"
        f"{limit_note}: they add the team with `arctui team save`"
    )
