"""``arctui import KIND FILE``: load a file through an importer plugin, all or nothing."""

import sys
from pathlib import Path

import click

from arctui.commands.common import db_option, open_context, plugin_host
from arctui.domain.control_chars import visible
from arctui.domain.money import format_money
from arctui.services.import_summary import summarise
from arctui.services.imports import ImportReport, Options, load_mapping, run_import


@click.command(name="import")
@click.argument("kind")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False),
    help="A TOML file naming the file's columns, constants, date formats and decimal comma (docs/importing.md).",
)
@click.option("--dry-run", is_flag=True, help="Check everything and report; write nothing.")
def command(kind, file, db_path, mapping, dry_run):
    """Import FILE as KIND: customers, contacts, invoices, payments, bai2, camt053, camt052,
    camt054, mt940, mt942, rates, ecb, or a kind a plugin adds. Every line is checked; one
    rejected line and nothing is written."""
    importers = plugin_host().collect("importers")
    importer = importers.get(kind)
    if importer is None:
        known = "\n".join(
            f"  {name:14} {', '.join(i.patterns):24} {i.description}" for name, i in sorted(importers.items())
        )
        raise click.UsageError(f"no importer {kind!r}; known:\n{known}")
    options = load_mapping(mapping) if mapping else Options()
    ctx = open_context(db_path)
    # the line count only sizes the progress bar: a plugin failing at it is reported, not fatal
    length = (
        ctx.plugins.guarded(importer, f"importer {kind} size", importer.size, file, options) if importer.size else None
    )
    with click.progressbar(length=length or 1, label=f"importing {file.name}", file=sys.stderr) as bar:

        def progress(line: int) -> None:
            bar.update(line - bar.pos)

        report = run_import(ctx, importer, file, options, dry_run=dry_run, progress=progress)
        bar.update(bar.length - bar.pos)
    _show(report)
    if report.rejected:
        raise SystemExit(1)


# more receipts than this are said per currency (each is listed by `arctui cash unapplied`)
RECEIPTS_LISTED = 20


def _receipts_summary(report: ImportReport) -> None:
    """Per currency (never added across): receipts, cash applied, cash left unapplied."""
    totals: dict[str, list[int]] = {}
    for receipt in report.receipts:
        if receipt.pending:
            continue  # said on their own line
        count, applied, left, unsettled = totals.setdefault(receipt.currency, [0, 0, 0, 0])
        rest = receipt.amount_cents - receipt.applied_cents
        totals[receipt.currency] = [count + 1, applied + receipt.applied_cents, left + rest, unsettled + bool(rest)]
    for currency, (count, applied, left, unsettled) in sorted(totals.items()):
        click.echo(
            f"receipts in {currency}: {count:,}, applied {format_money(applied, currency)}"
            + (
                f", {format_money(left, currency)} unapplied on {unsettled:,} of them (arctui cash unapplied)"
                if left
                else ""
            )
        )
    pending: dict[str, list[int]] = {}
    for receipt in report.receipts:
        if receipt.pending:
            count, cents = pending.setdefault(receipt.currency, [0, 0])
            pending[receipt.currency] = [count + 1, cents + receipt.amount_cents]
    for currency, (count, cents) in sorted(pending.items()):
        click.echo(
            f"pending in {currency}: {count:,} intraday receipts of {format_money(cents, currency)}, not cash yet"
        )


def _show(report: ImportReport) -> None:
    for notice in report.notices:
        click.echo(f"warning: {visible(str(notice))}", err=True)
    # one message per cause: a wrong date format over 2,466 lines is said once, with the fix
    for message in summarise(report.rejected):
        click.echo(f"rejected {visible(message)}", err=True)
    counts = (
        f"{report.accepted} accepted, {report.inserted} new, {report.updated} updated, {report.unchanged} unchanged"
        + (f"; {report.credit_notes} of them credit notes" if report.credit_notes else "")
        + (f"; {report.repeated:,} repeated lines taken once" if report.repeated else "")
        + (f"; {report.reversed} receipts reversed" if report.reversed else "")
    )
    if report.rejected:
        click.echo(f"{report.file}: {len(report.rejected):,} lines rejected; nothing written ({counts})")
        return
    if len(report.receipts) > RECEIPTS_LISTED:
        _receipts_summary(report)
    else:
        for receipt in report.receipts:
            left = receipt.amount_cents - receipt.applied_cents
            state = (
                "pending (intraday): cash once the end-of-day statement books it"
                if receipt.pending
                else "unapplied, left for a collector"
                if not receipt.applied_cents
                else (
                    f"applied {format_money(receipt.applied_cents, receipt.currency)}"
                    + (f", {format_money(left, receipt.currency)} unapplied" if left else "")
                )
            )
            click.echo(
                f"receipt {visible(receipt.bank_ref)}: {format_money(receipt.amount_cents, receipt.currency)} {state}"
            )
    verb = "dry run, nothing written" if report.dry_run else "imported"
    click.echo(f"{report.file}: {verb}: {counts}")
