"""The ``arctui`` command group: thin wiring; each subcommand lives in ``arctui/commands/``."""
import importlib
import sqlite3
import sys

import click

from arctui import plugins
from arctui.domain.authority import AuthorityError
from arctui.domain.money import MoneyError
from arctui.domain.plans import PlanError
from arctui.services.errors import ServiceError
from arctui.store.connection import StoreError

# modules of arctui/commands/, each exposing ``command`` (a click command or group)
COMMAND_MODULES = ("console", "queue", "kpi", "report", "audit", "migrate", "sample", "plugins",
                   "dunning", "email", "imports", "backup", "team",
                   "promises")

# errors whose message is the whole story for the user: one line, exit 1, no traceback
USER_ERRORS = (ServiceError, StoreError, MoneyError, PlanError, AuthorityError, sqlite3.OperationalError)

_GROUP_OPTIONS_WITH_VALUE = {"--plugins-dir", "--user"}


class ArctuiGroup(click.Group):
    def parse_args(self, ctx, args):
        """``arctui [DB]``: a first argument that is not a command opens the console on it."""
        i = 0
        while i < len(args) and args[i].startswith("-"):
            i += 2 if args[i] in _GROUP_OPTIONS_WITH_VALUE else 1
        if i < len(args) and args[i] not in self.commands:
            args = args[:i] + ["console"] + args[i:]
        elif i >= len(args) and not any(a in ("--help", "-h") for a in args):
            args = args + ["console"]
        return super().parse_args(ctx, args)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except USER_ERRORS as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=ArctuiGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="arctui")
@click.option("--plugins-dir", type=click.Path(file_okay=False), envvar=plugins.PLUGINS_DIR_ENV,
              help="A folder of the team's own .py plugins.")
@click.option("--user", envvar="ARCTUI_USER", help="Act as this collector (default: the OS login).")
@click.pass_context
def cli(ctx, plugins_dir, user):
    """arctui: the collector's console for B2B accounts receivable.

    `arctui [DB]` opens the console; every other command takes the database as --db PATH
    (default: $ARCTUI_DB).
    """
    ctx.ensure_object(dict)
    ctx.obj["user"] = user


for _name in COMMAND_MODULES:
    cli.add_command(importlib.import_module(f"arctui.commands.{_name}").command)


def _plugins_dir_option(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--plugins-dir" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--plugins-dir="):
            return arg.split("=", 1)[1]
    return None


def main():
    # plugin commands must exist before click parses the arguments: load the plugins first
    plugins.load_plugins(_plugins_dir_option(sys.argv[1:]))
    plugins.call_each("register_commands", cli=cli)
    for message in plugins.errors:
        click.secho(f"warning: {message}", fg="yellow", err=True)
    cli(prog_name="arctui")
