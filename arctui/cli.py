"""The ``arctui`` command group: thin wiring; each subcommand lives in ``arctui/commands/``.

The group is lazy: a command's module is imported only when that command runs, and the
table below gives ``arctui --help`` each command's one line, so the help imports none of
them. Plugins load only for a name that is no built-in command (or when a command asks for
them), so built-in commands never pay for the entry points.
"""

import importlib
import os

import click

from arctui.commands.common import CliState, cli_state, plugins_dir_option, user_option
from arctui.domain.control_chars import visible

# name -> (module of arctui/commands/ exposing ``command``, the one line ``--help`` shows);
# tests/cli/test_lazy_group.py checks both against the modules
COMMANDS = {
    "aging": ("aging", "The book's aging buckets: days past due that reports, screens and statements group by."),
    "audit": ("audit", "The append-only audit trail."),
    "backup": ("backup", "Copy the database (--db) to DEST online: others may keep working meanwhile."),
    "cash": ("cash", "Unapplied and unidentified cash: list it, assign, apply, refund or park a receipt."),
    "codes": ("codes", "The chart of reason and GL codes memos and write-offs are coded from."),
    "console": ("console", "Open the collector console on DB_PATH (the default command)."),
    "credit-limit": (
        "credit_limits",
        "Credit limits: change one (above your authority it waits for approval), approve or reject.",
    ),
    "currency": ("currency", "The book currency and the exchange rates to convert into it."),
    "do": ("do", "Do a collector action from the shell: one, or one per line of a CSV file (--from)."),
    "dunning": ("dunning", "Automated reminders: each account climbs its strategy's ladder (see `arctui strategy`)."),
    "email": ("email", "The email outbox."),
    "import": (
        "imports",
        "Import FILE as KIND: customers, contacts, invoices, payments, bai2, camt053, camt052, camt054,"
        " mt940, mt942, rates, ecb, or a kind a plugin adds.",
    ),
    "init": ("init", "Create an empty book; with --manager LOGIN, start its team (the file's owner or root only)."),
    "kpi": ("kpi", "Print the portfolio KPIs."),
    "migrate": ("migrate", "Apply pending schema migrations (each in its own transaction)."),
    "plugins": ("plugins", "List loaded plugins: name, version and the hooks each implements."),
    "promises": ("promises", "Promises to pay."),
    "queue": ("queue", "Print the queue: accounts ranked by priority score, with its components."),
    "report": ("report", "Run report NAME (`arctui report --list` shows them) and print or save it."),
    "sample": ("sample", "Make PATH, a new database holding a realistic sample book of receivables."),
    "status": (
        "status",
        "One short line for a status bar: promises due today, broken, calls to make, unapplied cash, to approve.",
    ),
    "statements": ("statements", "Statements of account: open invoices, credits, unapplied cash, aging and balance."),
    "strategy": ("strategy", "Collection strategies: the dunning ladder per segment of accounts; pauses."),
    "team": ("team", "Collectors, their authority limits, portfolios and targets."),
    "write-off": ("write_offs", "Write-offs: propose, approve or reject, post; list those waiting."),
}
DEFAULT_COMMAND = "console"
# a first argument spelled like one of these, or with a path separator, is a database
DATABASE_SUFFIXES = (".db", ".sqlite", ".sqlite3")


def user_errors() -> tuple[type[Exception], ...]:
    """Errors whose message is the whole story for the user: one line, exit 1, no traceback.
    Imported when an error is being handled: by then the code that raised it has imported them,
    and ``arctui --help`` never loads the store for them."""
    import sqlite3

    from arctui.domain.authority import AuthorityError
    from arctui.domain.money import MoneyError
    from arctui.domain.plans import PlanError
    from arctui.services.errors import ServiceError
    from arctui.store.connection import StoreError

    return ServiceError, StoreError, MoneyError, PlanError, AuthorityError, sqlite3.OperationalError


def looks_like_database(name: str) -> bool:
    """The rule for a first argument that is no built-in command: an existing file, or a name
    with a path separator or a database suffix, is the console's database."""
    return (
        os.sep in name
        or (os.altsep is not None and os.altsep in name)
        or name.lower().endswith(DATABASE_SUFFIXES)
        or os.path.isfile(name)
    )


class LazyGroup(click.Group):
    """Built-in commands by name from ``COMMANDS``, imported on first use; then the commands
    plugins add; a first argument that is neither but names a database opens the console."""

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        if name in COMMANDS:
            return importlib.import_module(f"arctui.commands.{COMMANDS[name][0]}").command
        return None

    def resolve_command(self, ctx, args):
        name = args[0]
        command = self.get_command(ctx, name)
        if command is not None:
            return name, command, args[1:]
        if ctx.resilient_parsing or name.startswith("-"):  # completion; an option: click's own say
            return super().resolve_command(ctx, args)
        if looks_like_database(name):
            return DEFAULT_COMMAND, self.get_command(ctx, DEFAULT_COMMAND), args
        added = cli_state(ctx).plugin_commands()
        if name in added:
            return name, added[name], args[1:]
        raise click.exceptions.NoSuchCommand(name, possibilities=[*COMMANDS, *added], ctx=ctx)

    def format_commands(self, ctx, formatter):
        limit = formatter.width - 6 - max(map(len, COMMANDS))
        # shortened as click shortens a command's own help, without importing the command
        rows = [
            (name, click.Command(name, help=help).get_short_help_str(limit))
            for name, (_, help) in sorted(COMMANDS.items())
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)
        with formatter.section("Plugin commands"):
            formatter.write_text("Plugins may add commands: `arctui plugins --commands` lists them.")

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            if isinstance(exc, user_errors()):
                raise click.ClickException(visible(str(exc), keep="\n")) from None
            raise
        finally:
            for message in cli_state(ctx).take_problems():
                click.secho("warning: " + visible(message, keep="\n"), fg="yellow", err=True)


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    subcommand_metavar="[DB | COMMAND [ARGS]...]",
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(package_name="arctui")
@plugins_dir_option
@user_option
@click.pass_context
def cli(ctx):
    """arctui: the collector's console for B2B accounts receivable.

    `arctui [DB]` opens the console on DB (default: $ARCTUI_DB); every other command takes the
    database as --db PATH (default: $ARCTUI_DB). A first argument that is no command is the
    database when it names an existing file or has a path separator or a .db, .sqlite or
    .sqlite3 suffix (write ./NAME for a database file named like a command); anything else
    is an unknown command. --user and --plugins-dir may also follow the console's DB.
    """
    ctx.ensure_object(CliState)
    if ctx.invoked_subcommand is None:
        console = ctx.command.get_command(ctx, DEFAULT_COMMAND)
        with console.make_context(DEFAULT_COMMAND, [], parent=ctx) as console_ctx:
            console.invoke(console_ctx)


def main():
    cli(prog_name="arctui")
