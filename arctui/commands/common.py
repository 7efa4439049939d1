"""What the subcommands share: the options, the state the command line makes once per
process (settings, plugin host, acting user) and opening a service context with it.

Importing this module costs click alone (and the small control-character rules): the store,
the services, the settings and the plugin host load when a command first asks for them, so
``arctui --help`` never pays for them.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import click
from click.core import ParameterSource

from arctui.domain.control_chars import visible

if TYPE_CHECKING:
    from datetime import date

    from arctui.config import Settings
    from arctui.plugins import PluginHost
    from arctui.services.context import Context

DB_ENV = "ARCTUI_DB"
USER_ENV = "ARCTUI_USER"
PLUGINS_DIR_ENV = "ARCTUI_PLUGINS_DIR"  # the same name as arctui.plugins.PLUGINS_DIR_ENV


class CliState:
    """Made once per process by the ``arctui`` group and handed to every command as click's
    context object: the acting user and plugins folder the options named, and the settings
    and plugin host, each made on first use (``Settings.load()``, ``PluginHost(plugins_dir=)``).

    A test gives its own: ``CliRunner().invoke(cli, args, obj=CliState(plugins=host,
    settings=Settings({...})))``.
    """

    def __init__(
        self,
        *,
        settings: Settings | None = None,
        plugins: PluginHost | None = None,
        user: str | None = None,
        plugins_dir: str | None = None,
    ):
        self.user = user
        self.plugins_dir = plugins_dir
        self._settings = settings
        self._plugins = plugins
        self._plugin_commands: dict[str, click.Command] | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from arctui.config import Settings

            self._settings = Settings.load()
        return self._settings

    @property
    def plugins(self) -> PluginHost:
        if self._plugins is None:
            from arctui.plugins import PluginHost

            self._plugins = PluginHost(plugins_dir=self.plugins_dir)
        return self._plugins

    def plugin_commands(self) -> dict[str, click.Command]:
        """The commands plugins add (hook ``register_commands``), by name; gathered once."""
        if self._plugin_commands is None:
            added = click.Group("arctui")
            self.plugins.call_each("register_commands", cli=added)
            self._plugin_commands = dict(added.commands)
        return self._plugin_commands

    def take_problems(self) -> list[str]:
        """What the plugins went wrong in since the last call; none if no plugin was loaded."""
        return self._plugins.take_problems() if self._plugins is not None else []


def cli_state(ctx: click.Context | None = None) -> CliState:
    """The process's ``CliState``: the root click context's object (made there if missing)."""
    ctx = ctx or click.get_current_context(silent=True)
    if ctx is None:
        return CliState()
    return ctx.find_root().ensure_object(CliState)


def plugin_host() -> PluginHost:
    """The plugin host, for a command that needs the plugins without a database."""
    return cli_state().plugins


def open_context(db_path: str, read_only: bool = False) -> Context:
    """Open the database as the acting user: the OS login, or whom ``--user`` /
    ``ARCTUI_USER`` names where the login may (see ``acting_user``), with the process's
    settings and plugin host; ``read_only``: a connection that may not write."""
    from arctui.services.context import Context, acting_user
    from arctui.store.connection import connect

    state = cli_state()
    db = connect(db_path, read_only=read_only)
    return Context(db, acting_user(db, state.user), settings=state.settings, plugins=state.plugins)


def _remember(ctx: click.Context, param: click.Parameter, value):
    """Keep a group option's value in the ``CliState``. The option is also accepted after the
    console's database, where a value typed there wins over the group's; a value that only
    came from the environment never replaces one typed before the database."""
    if value is not None:
        state = cli_state(ctx)
        typed = ctx.get_parameter_source(param.name) is ParameterSource.COMMANDLINE
        if getattr(state, param.name) is None or typed:
            setattr(state, param.name, value)
    return value


# the group's options, declared once: the group and the console command both apply them
plugins_dir_option = click.option(
    "--plugins-dir",
    "plugins_dir",
    type=click.Path(file_okay=False),
    envvar=PLUGINS_DIR_ENV,
    expose_value=False,
    callback=_remember,
    help=f"A folder of the team's own .py plugins (default: ${PLUGINS_DIR_ENV}).",
)
user_option = click.option(
    "--user",
    "user",
    envvar=USER_ENV,
    expose_value=False,
    callback=_remember,
    help="Act as this collector: only for a login that is no collector here (default: the OS login).",
)

db_option = click.option(
    "--db",
    "db_path",
    envvar=DB_ENV,
    required=True,
    type=click.Path(dir_okay=False),
    help="The book: a database file, or a postgresql:// URL (default: $ARCTUI_DB).",
)

today_option = click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    callback=lambda ctx, param, value: value.date() if value else None,
    help="Compute as of this date (YYYY-MM-DD; default: today, UTC).",
)


# --as-of DATE (kpi, queue, report): the book as it stood at the end of a past day; --today
# only re-ages today's balances on another day (arctui.store.read.history)
as_of_option = click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    callback=lambda ctx, param, value: value.date() if value else None,
    metavar="DATE",
    help="The book as it stood at the end of DATE (YYYY-MM-DD): invoices issued, cash and memos dated by then.",
)


def as_of_day(today: date | None, as_of: date | None) -> date | None:
    """The day to compute for: ``as_of`` or ``today`` (None: the context's today); both given
    is refused in one line."""
    if today is not None and as_of is not None:
        raise click.UsageError("give --as-of (the book as it stood that day) or --today (today's balances), not both")
    return as_of or today


def version_option(what: str, hint: str = ""):
    """``--version``: the version of ``what`` as the user saw it (``hint``: where to see it);
    without it, the record as it is now (``as_seen``)."""
    return click.option(
        "--version",
        "version",
        type=int,
        default=None,
        help=f"The {what}'s version as you saw it{hint}; default: as it is now.",
    )


def as_seen(row: dict, version: int | None) -> int:
    """The version typed (``version_option``), else ``row``'s version as it is now."""
    return row["version"] if version is None else version


def currency_code(text: str) -> str:
    """``text`` as an ISO 4217 code (upper case), or a usage error saying what is wrong."""
    from arctui.domain.money import MoneyError, exponent

    try:
        exponent(text)
    except MoneyError as exc:
        raise click.BadParameter(str(exc), param_hint="--currency") from None
    return text.upper()


def text_table(
    headers: Sequence[str], rows: Iterable[Sequence], right: Iterable[int] = (), wrap: dict[int, int] | None = None
) -> str:
    """``rows`` under ``headers`` as plain text, laid out as tabulate's "simple" format
    (tabulate itself reads its version through ``importlib.metadata`` when imported: ~20 ms
    a command like ``arctui queue`` need not pay): columns two spaces apart, each as wide as
    its widest cell or its header plus two, a dashed line under the headers; columns whose
    index is in ``right`` align right; a column in ``wrap`` ({index: width}) wraps its text
    onto more lines at that width. Control characters in a cell or header are shown as
    escapes (``visible``: ESC as ``\\x1b``); a cell's newlines make its lines (spaces in
    a wrapped column)."""
    right, wrap = set(right), wrap or {}
    headers = [visible(str(header)) for header in headers]
    table = [
        [
            textwrap.wrap(visible(str(cell), keep="\n\t"), wrap[i]) or [""]
            if i in wrap
            else visible(str(cell), keep="\n").splitlines() or [""]
            for i, cell in enumerate(row)
        ]
        for row in rows
    ]
    widths = [
        max([len(header) + 2, *(len(line) for row in table for line in row[i])]) for i, header in enumerate(headers)
    ]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.rjust(width) if i in right else cell.ljust(width) for i, (cell, width) in enumerate(zip(cells, widths))
        ).rstrip()

    lines = [line(headers), line(["-" * width for width in widths])]
    for row in table:
        for k in range(max(len(cell) for cell in row)):
            lines.append(line([cell[k] if k < len(cell) else "" for cell in row]))
    return "\n".join(lines)
