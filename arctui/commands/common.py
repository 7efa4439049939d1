"""What the subcommands share: the ``--db`` option and opening a service context."""
import click

from arctui.services.context import Context, acting_user
from arctui.store.connection import connect

DB_ENV = "ARCTUI_DB"

db_option = click.option(
    "--db", "db_path", envvar=DB_ENV, required=True, type=click.Path(dir_okay=False),
    help="The database file (default: $ARCTUI_DB).",
)


def open_context(db_path: str) -> Context:
    """Open the database as the acting user: the OS login, or whom ``--user`` /
    ``ARCTUI_USER`` names where the login may (see ``acting_user``)."""
    db = connect(db_path)
    requested = (click.get_current_context().find_root().obj or {}).get("user")
    return Context(db, acting_user(db, requested))

today_option = click.option(
    "--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
    callback=lambda ctx, param, value: value.date() if value else None,
    help="Compute as of this date (YYYY-MM-DD; default: today, UTC).",
)
