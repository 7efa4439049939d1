"""``arctui report NAME``: run a named report and write it as txt, md, csv, xlsx or html."""

import sys

import click

from arctui.commands.common import as_of_day, as_of_option, db_option, open_context, plugin_host, today_option
from arctui.domain.control_chars import visible
from arctui.services.reports import (
    available_exporters,
    available_reports,
    format_for,
    get_exporter,
    run_report,
)


def _list(ctx, _param, value):
    """``--list``: every report with what it shows, then the formats; runs before --db is needed."""
    if not value or ctx.resilient_parsing:
        return
    plugins = plugin_host()
    reports = available_reports(plugins)
    width = max((len(visible(name)) for name in reports), default=0)
    for name, report in reports.items():
        click.echo(f"{visible(name):<{width}}  {visible(report.description)}")
    click.echo(f"\nformats: {visible(', '.join(available_exporters(plugins)))}")
    ctx.exit()


@click.command(name="report")
@click.argument("name")
@click.option(
    "--list",
    is_flag=True,
    is_eager=True,
    expose_value=False,
    callback=_list,
    help="List the reports and what each shows, and the formats.",
)
@db_option
@click.option(
    "--format", "fmt", metavar="F", help="txt, md, csv, xlsx or html (default: from -o's extension, else txt)."
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to this file instead of the terminal."
)
@today_option
@as_of_option
@click.option("--collector", metavar="C", help="Only this collector's accounts (a login).")
def command(name, db_path, fmt, output, today, as_of, collector):
    """Run report NAME (`arctui report --list` shows them) and print or save it.

    A report or format a plugin adds is run like a bundled one; if it fails, one line names
    the plugin and no file is left behind."""
    day = as_of_day(today, as_of)
    plugins = plugin_host()
    exporter = get_exporter(plugins, fmt.lower() if fmt else format_for(plugins, output))
    if exporter.binary and output is None:
        raise click.ClickException(f"{exporter.name} is a binary format: save it with -o FILE")
    ctx = open_context(db_path)
    try:
        run_report(ctx, name, exporter.name, output or sys.stdout, day, collector=collector, as_of=as_of is not None)
    finally:
        ctx.db.close()
