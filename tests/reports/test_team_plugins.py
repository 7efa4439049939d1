"""A team's own report and exporter, registered through the same hooks the bundled ones use
and loaded from the team's plugins folder (tests/reports/team_plugins)."""

from pathlib import Path

from click.testing import CliRunner

from arctui.cli import cli

TEAM_PLUGINS = Path(__file__).parent / "team_plugins"


def arctui(*args):
    return CliRunner().invoke(cli, ["--plugins-dir", str(TEAM_PLUGINS), *args])


def test_a_team_report_and_format_are_listed_and_run(book_path, tmp_path):
    listing = arctui("report", "--list").output
    assert "largest         the two largest open invoices" in listing
    assert "formats: csv, html, md, tsv, txt, xlsx" in listing
    out = tmp_path / "largest.tsv"
    result = arctui("report", "largest", "--db", str(book_path), "--today", "2026-11-23", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == "INV-6001\t€25,000.00\nINV-2002\t$20,000.00\n"


def test_a_failing_team_report_is_one_line_naming_the_plugin(book_path, tmp_path):
    out = tmp_path / "buggy.csv"
    result = arctui("report", "buggy", "--db", str(book_path), "-o", str(out))
    assert result.exit_code == 1
    assert "Traceback" not in result.output and not isinstance(result.exception, KeyError)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines == ["Error: plugin team_reports: report buggy failed: 'no such key'"]
    assert list(tmp_path.iterdir()) == []  # no file, not even an empty one
