"""``arctui [DB]``: open the collector console."""
import click

from arctui.commands.common import DB_ENV, open_context
from arctui.services.context import Context, fixed_clock


@click.command(name="console")
@click.argument("db_path", envvar=DB_ENV, type=click.Path(dir_okay=False))
@click.option("--theme", help="Console theme by name (default: the one you chose last).")
@click.option("--refresh-seconds", type=click.FloatRange(min=0), default=1.0, show_default=True,
              help="How often to look for other collectors' changes (0: never).")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), hidden=True,
              help="Pretend today is this date (tests and screenshots).")
def command(db_path, theme, refresh_seconds, today):
    """Open the collector console on DB_PATH."""
    from arctui.console.app import ArctuiApp  # Textual loads only when the console opens

    ctx = open_context(db_path)
    if today is not None:
        ctx = Context(ctx.db, ctx.user, fixed_clock(today.date()))
    ArctuiApp(ctx, theme=theme, refresh_seconds=refresh_seconds).run()
