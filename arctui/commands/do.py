"""``arctui do ACTION``: every collector action from a shell or a script, through the same
service as the console's form, refused alike, audited alike, as the acting login.

``--json`` prints the record written. ``--from FILE`` runs the action once per line of a CSV
file whose columns are the action's option names (``account,amount,date`` for ``do promise``):
all the lines in one transaction, so a line refused (``promises.csv:3: amount: ...``) leaves
the book as it was.
"""

import csv
import json
from dataclasses import replace
from pathlib import Path

import click

from arctui.commands.common import db_option, open_context, today_option
from arctui.commands.do_actions import ACTIONS, DoAction
from arctui.commands.do_fields import convert_row
from arctui.domain.control_chars import visible
from arctui.services.context import Context, fixed_clock
from arctui.services.errors import InvalidInput
from arctui.services.records import entity_name, get
from arctui.store.writing import replayed, write


@click.group(name="do")
def command():
    """Do a collector action from the shell: one, or one per line of a CSV file (--from)."""


@command.group(name="contact")
def contact():
    """Add, edit or retire an account's contacts."""


def _one(ctx: Context, action: DoAction, given: dict) -> tuple[str, int]:
    """Convert the fields and run the action; a refusal names the option, as typed."""
    try:
        return action.run(ctx, convert_row(ctx, action.fields, given))
    except InvalidInput as exc:
        option = {f.said_as: f.name for f in action.fields if f.said_as}.get(exc.field)
        if option is None:
            raise
        raise InvalidInput(option, str(exc).removeprefix(f"{exc.field}: ")) from None


def _lines(path: str, action: DoAction) -> list[tuple[int, dict]]:
    """(line number, {column: cell}) of each line of the CSV file after its header."""
    names = [f.name for f in action.fields]
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.reader(f)
            header = [h.strip().lower().replace("_", "-") for h in next(reader, [])]
            if not header:
                raise click.ClickException(f"{path}: empty; its first line names the columns: {', '.join(names)}")
            for column in header:
                if column not in names or header.count(column) > 1:
                    why = "named twice" if column in names else f"no option of `arctui do {action.name}`"
                    raise click.ClickException(f"{path}:1: {visible(column)}: {why} (its columns: {', '.join(names)})")
            lines = []
            for cells in reader:
                if len(cells) > len(header):
                    raise click.ClickException(
                        f"{path}:{reader.line_num}: {len(cells)} cells, but the header names {len(header)} columns"
                    )
                if any(cell.strip() for cell in cells):
                    lines.append((reader.line_num, dict(zip(header, cells))))
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except csv.Error as exc:
        raise click.ClickException(f"{path}: not a CSV file ({exc})") from None
    if not lines:
        raise click.ClickException(f"{path}: no lines to run after the header")
    return lines


def _batch(ctx: Context, action: DoAction, path: str) -> list[tuple[str, int]]:
    """Every line of ``path``, all in one transaction: the first refusal leaves nothing written."""
    from arctui.cli import user_errors

    lines = _lines(path, action)
    written = []
    with write(ctx.db, what=f"running arctui do {action.name} from {Path(path).name}"):
        for line, given in lines:
            try:
                written.append(_one(ctx, action, given))
            except user_errors() as exc:
                raise click.ClickException(f"{path}:{line}: {visible(str(exc))}") from None
    return written


def _said(action: DoAction, table: str, row: dict) -> str:
    name = f"account {row['account_no']}" if table == "customers" else f"{entity_name(table)} {row['id']}"
    return visible(f"{name} {action.done_for.get(table, action.done)}")


def _make(action: DoAction) -> click.Command:
    def run(db_path, today, as_json, source, **options):
        ctx = open_context(db_path)
        if today is not None:
            ctx = replace(ctx, clock=fixed_clock(today))
        given = {f.name: options[f.name.replace("-", "_")] for f in action.fields}
        if source is None:
            written = [replayed(ctx.db, lambda: _one(ctx, action, given))]
        elif any(value is not None for value in given.values()):
            raise click.UsageError("give the options, or --from FILE with a column for each, not both")
        else:
            written = _batch(ctx, action, source)
        records = [(table, get(ctx.db, table, row_id)) for table, row_id in written]
        if as_json:
            found = [row for _, row in records]
            click.echo(json.dumps(found if source else found[0], indent=2, default=str))
        else:
            for table, row in records:
                click.echo(_said(action, table, row))

    run = click.option(
        "--from",
        "source",
        type=click.Path(exists=True, dir_okay=False),
        help="A CSV file whose columns are the options' names: one action per line, all or none.",
    )(run)
    run = click.option("--json", "as_json", is_flag=True, help="Print the record written, as JSON.")(run)
    run = today_option(db_option(run))
    for field in reversed(action.fields):
        if field.flag:
            option = click.option(f"--{field.name}/--not-{field.name}", default=None, help=field.help)
        else:
            help = field.help + (" Required." if field.required else "")
            option = click.option(f"--{field.name}", metavar=field.name.upper(), help=help)
        run = option(run)
    return click.command(name=action.name.split()[-1], help=action.help)(run)


for _action in ACTIONS:
    (contact if _action.name.startswith("contact ") else command).add_command(_make(_action))
