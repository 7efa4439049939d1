"""``arctui report``: the list, each format to a file or the terminal, and clear refusals."""

import csv

from click.testing import CliRunner
from openpyxl import load_workbook

from arctui.cli import cli

NAMES = [
    "aging",
    "cadence",
    "cash-by-bucket",
    "cash-vs-target",
    "credit-memos",
    "dispute-cases",
    "disputes",
    "escalations",
    "kpi",
    "over-10k-60",
    "promises",
    "unapplied-cash",
    "write-offs",
]


def report(*args):
    return CliRunner().invoke(cli, ["report", *args])


def assert_one_clear_line(result, text):
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.strip()]
    assert len(errors) == 1 and text in errors[0], result.output


def test_list_shows_every_report_with_what_it_shows_without_a_database():
    result = report("--list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines[: len(NAMES)]] == NAMES
    assert "more than $10,000 over 60 days past due, by collector and region" in result.output
    assert lines[-1] == "formats: csv, html, md, txt, xlsx"


def test_prints_a_text_report_as_of_a_day(book_path):
    result = report("over-10k-60", "--db", str(book_path), "--today", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Balances over $10,000 more than 60 days past due (as of 2026-11-23)")
    assert "Bob Baker · NA-West" in result.output


def test_format_follows_the_output_file_extension(book_path, tmp_path):
    out = tmp_path / "aging.xlsx"
    result = report("aging", "--db", str(book_path), "--today", "2026-11-23", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert load_workbook(out).active.freeze_panes == "A2"


def test_one_collectors_csv(book_path, tmp_path):
    out = tmp_path / "mine.csv"
    result = report(
        "aging",
        "--db",
        str(book_path),
        "--today",
        "2026-11-23",
        "--collector",
        "bob",
        "--format",
        "csv",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    with open(out, newline="", encoding="utf-8") as stream:
        assert [row[0] for row in csv.reader(stream)] == ["Account", "C003", "C005", "C006", "Total USD", "Total EUR"]


def test_unknown_report_is_one_clear_line(book_path, tmp_path):
    out = tmp_path / "x.txt"
    result = report("ageing", "--db", str(book_path), "-o", str(out))
    assert_one_clear_line(result, "unknown report 'ageing'; known reports: aging, cadence")
    assert not out.exists()


def test_unknown_format_is_one_clear_line(book_path):
    result = report("aging", "--db", str(book_path), "--format", "pdf")
    assert_one_clear_line(result, "unknown format 'pdf'; known formats: csv, html, md, txt, xlsx")


def test_an_unknown_collector_is_one_clear_line(book_path):
    result = report("aging", "--db", str(book_path), "--collector", "zed")
    assert_one_clear_line(result, "collector zed not found")


def test_format_names_are_not_case_sensitive(book_path):
    result = report("disputes", "--db", str(book_path), "--today", "2026-11-23", "--format", "MD")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Disputes by reason")


def test_xlsx_to_the_terminal_is_refused(book_path):
    result = report("aging", "--db", str(book_path), "--format", "xlsx")
    assert_one_clear_line(result, "xlsx is a binary format: save it with -o FILE")


def test_a_missing_database_is_one_clear_line(tmp_path):
    result = report("aging", "--db", str(tmp_path / "none.db"))
    assert_one_clear_line(result, "no such database file")
