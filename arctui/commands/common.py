"""What the subcommands share: the ``--db`` option and opening a service context."""
import click

from arctui.services.context import Context, current_user
from arctui.store.connection import connect

DB_ENV = "ARCTUI_DB"

db_option = click.option(
    "--db", "db_path", envvar=DB_ENV, required=True, type=click.Path(dir_okay=False),
    help="The database file (default: $ARCTUI_DB).",
)


def open_context(db_path: str) -> Context:
    """Open the database as the acting user (``--user``, ``ARCTUI_USER`` or the OS login)."""
    click_ctx = click.get_current_context()
    user = (click_ctx.find_root().obj or {}).get("user") or current_user()
    return Context(connect(db_path), user)

today_option = click.option(
    "--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
    callback=lambda ctx, param, value: value.date() if value else None,
    help="Compute as of this date (YYYY-MM-DD; default: today, UTC).",
)
