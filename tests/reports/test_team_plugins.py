"""A team's own report and exporter, registered through the same hooks the bundled ones use."""
import pytest
from click.testing import CliRunner

from arctui import hookimpl, plugins
from arctui.cli import cli
from arctui.services.reports import (
    Column,
    Exporter,
    Money,
    Report,
    ReportResult,
    Section,
    open_output,
)


def largest_invoices(db, today, collector=None):
    rows = [{"number": n, "open": Money(c, cur)} for n, c, cur in db.execute(
        "SELECT number, open_cents, currency FROM invoices WHERE open_cents > 0"
        " ORDER BY open_cents DESC LIMIT 2")]
    return ReportResult("Largest invoices", today, [Column("number", "Invoice"),
                                                    Column("open", "Open", "money")],
                        [Section(None, rows)])


def export_tsv(result, target):
    with open_output(target) as stream:
        for _, texts in result.text_lines():
            stream.write("\t".join(texts) + "\n")


class TeamPlugin:
    @hookimpl
    def register_reports(self, register):
        register(Report("largest", "Largest invoices", "the two largest open invoices",
                        largest_invoices))

    @hookimpl
    def register_report_exporters(self, register):
        register(Exporter("tsv", "tsv", "tab-separated text", export_tsv))


@pytest.fixture
def team_plugin():
    plugins.load_plugins()
    plugins.pm.register(TeamPlugin(), name="team_reports")
    yield
    plugins.pm.unregister(name="team_reports")


def test_a_team_report_and_format_are_listed_and_run(team_plugin, book_path, tmp_path):
    listing = CliRunner().invoke(cli, ["report", "--list"]).output
    assert "largest         the two largest open invoices" in listing
    assert "formats: csv, html, md, tsv, txt, xlsx" in listing
    out = tmp_path / "largest.tsv"
    result = CliRunner().invoke(cli, ["report", "largest", "--db", str(book_path),
                                      "--today", "2026-11-23", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == "INV-6001\t€25,000.00\nINV-2002\t$20,000.00\n"
