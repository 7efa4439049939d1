"""``arctui [DB]``: open the collector console."""

from dataclasses import replace

import click

from arctui.commands.common import DB_ENV, open_context, plugins_dir_option, user_option


@click.command(name="console")
@click.argument("db_path", envvar=DB_ENV, type=click.Path(dir_okay=False))
@click.option("--theme", help="Console theme by name (default: the one you chose last).")
@click.option(
    "--refresh-seconds",
    type=click.FloatRange(min=0),
    default=1.0,
    show_default=True,
    help="How often to look for other collectors' changes (0: never).",
)
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    hidden=True,
    help="Pretend today is this date (tests and screenshots).",
)
@user_option
@plugins_dir_option
def command(db_path, theme, refresh_seconds, today):
    """Open the collector console on DB_PATH (the default command).

    `arctui DB_PATH` runs it, and so does `arctui` alone with $ARCTUI_DB set.
    """
    from arctui.console.app import ArctuiApp  # Textual loads only when the console opens
    from arctui.services.context import fixed_clock

    ctx = open_context(db_path)
    if today is not None:
        ctx = replace(ctx, clock=fixed_clock(today.date()))
    ArctuiApp(ctx, theme=theme, refresh_seconds=refresh_seconds).run()
