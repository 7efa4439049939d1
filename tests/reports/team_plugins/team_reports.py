"""A team's own report and exporter, loaded from a plugins folder (``--plugins-dir``) and
written against ``arctui.api`` alone, like any team's; plus a report with a bug, whose
failure must reach the user as one line naming this plugin."""

from arctui import hookimpl
from arctui.api import Column, Exporter, Money, Report, ReportResult, Section, open_output


def largest_invoices(db, today, collector=None):
    rows = [
        {"number": n, "open": Money(c, cur)}
        for n, c, cur in db.execute(
            "SELECT number, open_cents, currency FROM invoices WHERE open_cents > 0 ORDER BY open_cents DESC LIMIT 2"
        )
    ]
    return ReportResult(
        "Largest invoices", today, [Column("number", "Invoice"), Column("open", "Open", "money")], [Section(None, rows)]
    )


def buggy(db, today, collector=None):
    return {}["no such key"]


def export_tsv(result, target):
    with open_output(target) as stream:
        for _, texts in result.text_lines():
            stream.write("\t".join(texts) + "\n")


@hookimpl
def register_reports(register):
    register(Report("largest", "Largest invoices", "the two largest open invoices", largest_invoices))
    register(Report("buggy", "A report with a bug", "fails every time", buggy))


@hookimpl
def register_report_exporters(register):
    register(Exporter("tsv", "tsv", "tab-separated text", export_tsv))
