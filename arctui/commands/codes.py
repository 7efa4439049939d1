"""``arctui codes``: the chart of reason and GL codes kept in the book. Every collector lists
it; a manager adds and retires codes. Credit memos and write-offs are coded from it."""

import click

from arctui.commands.common import db_option, open_context, text_table

kind_argument = click.argument("kind", type=click.Choice(["reason", "gl"]))


@click.group(name="codes")
def command():
    """The chart of reason and GL codes memos and write-offs are coded from."""


@command.command(name="list")
@db_option
@click.option("--all", "include_retired", is_flag=True, help="Retired codes too.")
def list_codes(db_path, include_retired):
    """The chart's codes: reason codes, then GL codes."""
    from arctui.store.read import codes

    db = open_context(db_path).db
    chart = codes.chart(db, include_retired)
    if not chart:
        click.echo(
            "no chart of codes: memos and write-offs take any code until a manager adds one"
            " (`arctui codes add reason|gl CODE LABEL`)"
        )
        return
    rows = [(codes.KINDS[c["kind"]], c["code"], c["label"], c["retired_at"] or "") for c in chart]
    click.echo(text_table(["kind", "code", "label", "retired"], rows))


@command.command(name="add")
@db_option
@kind_argument
@click.argument("code")
@click.argument("label")
def add(db_path, kind, code, label):
    """Add CODE (a reason or GL code) with LABEL to the chart (managers only)."""
    from arctui.services.codes import add_code
    from arctui.store.read import codes

    ctx = open_context(db_path)
    add_code(ctx, kind, code, label)
    click.echo(f"{codes.KINDS[kind]} {code.strip()} added: {label.strip()}")


@command.command(name="load")
@db_option
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False))
def load(db_path, path):
    """Add the codes of FILE, a CSV with columns kind (reason or gl), code and label, all or
    nothing (managers only); codes already in the chart under the same label are left alone."""
    import csv

    from arctui.services.codes import load_chart

    with open(path, encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        missing = [c for c in ("kind", "code", "label") if c not in (reader.fieldnames or [])]
        if missing:
            raise click.ClickException(f"{path}:1: expected columns kind, code, label; missing {', '.join(missing)}")
        entries = [(f"{path}:{reader.line_num}", r["kind"], r["code"], r["label"]) for r in reader]
    added = load_chart(open_context(db_path), entries)
    click.echo(f"{path}: {added} of {len(entries)} codes added to the chart")


@command.command(name="retire")
@db_option
@kind_argument
@click.argument("code")
def retire(db_path, kind, code):
    """Take CODE out of use (managers only); what is already coded with it keeps it."""
    from arctui.services.codes import retire_code
    from arctui.store.read import codes

    retire_code(open_context(db_path), kind, code)
    click.echo(f"{codes.KINDS[kind]} {code.strip()} retired")
