"""Each exporter's output read back: CSV with csv, XLSX with openpyxl, md/txt/html as text."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from arctui.services.reports import available_exporters, neutralise_formula, run_report
from tests.reports.conftest import FORMULA, PLUGINS, SCRIPT, TODAY, reporting


def export(book, tmp_path, name, fmt):
    path = tmp_path / f"{name}.{fmt}"
    run_report(reporting(book), name, fmt, path, TODAY)
    return path


@pytest.mark.parametrize(
    "text, expected",
    [
        ("=1+1", "'=1+1"),
        ("+31 20 555", "'+31 20 555"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=x", "'\t=x"),
        ("Northwind", "Northwind"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise_formula(text, expected):
    assert neutralise_formula(text) == expected


def test_the_five_formats_are_registered():
    assert list(available_exporters(PLUGINS)) == ["csv", "html", "md", "txt", "xlsx"]


def test_csv_has_plain_numbers_totals_and_no_live_formula(book, tmp_path):
    with open(export(book, tmp_path, "aging", "csv"), newline="", encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == [
        "Account",
        "Customer",
        "Collector",
        "Region",
        "Currency",
        "Current",
        "1-30",
        "31-60",
        "61-90",
        "90+",
        "Total",
    ]
    assert rows[1] == [
        "C001",
        "Northwind Supply",
        "Alice Archer",
        "NA-East",
        "USD",
        "2500.00",
        "0.00",
        "3000.00",
        "0.00",
        "15000.00",
        "20500.00",
    ]
    assert rows[4][1] == "'" + FORMULA
    assert rows[-2][0] == "Total USD" and rows[-2][-1] == "76100.00"
    assert rows[-1][0] == "Total EUR" and rows[-1][-1] == "25000.00"
    assert len(rows) == 1 + 6 + 2


def test_csv_leaves_group_titles_and_subtotals_out(book, tmp_path):
    with open(export(book, tmp_path, "over-10k-60", "csv"), newline="", encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    assert [r[2] for r in rows[1:4]] == ["C001", "C006", "C003"]
    assert [r[0] for r in rows[4:]] == ["Total USD", "Total EUR"]


def test_xlsx_money_format_frozen_header_and_neutralised_cell(book, tmp_path):
    sheet = load_workbook(export(book, tmp_path, "aging", "xlsx")).active
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]][:3] == ["Account", "Customer", "Collector"]
    assert sheet[1][0].font.bold
    total = sheet["K2"]
    assert Decimal(str(total.value)) == Decimal("20500.00")
    assert total.number_format == '"$"#,##0.00'
    assert sheet["K7"].number_format == '"€"#,##0.00'  # C006 is billed in EUR
    hostile = sheet["B5"]
    assert hostile.value == "'" + FORMULA and hostile.data_type == "s"
    assert sheet.column_dimensions["B"].width >= len(SCRIPT)
    assert sheet["A8"].value == "Total USD" and sheet["A8"].font.bold


def test_xlsx_group_rows_dates_and_ints(book, tmp_path):
    sheet = load_workbook(export(book, tmp_path, "over-10k-60", "xlsx")).active
    assert sheet["A2"].value == "Alice Archer · NA-East" and sheet["A2"].font.bold
    last_contact = sheet["K3"]
    assert last_contact.value.date().isoformat() == "2026-11-20"
    assert last_contact.number_format == "yyyy-mm-dd"
    assert sheet["L3"].value == 3
    assert sheet["A4"].value == "Subtotal"


def test_xlsx_percent_is_a_fraction_shown_as_percent(book, tmp_path):
    sheet = load_workbook(export(book, tmp_path, "cash-vs-target", "xlsx")).active
    assert sheet["F2"].value == pytest.approx(0.35)
    assert sheet["F2"].number_format == "0.0%"


def test_markdown_table(book, tmp_path):
    text = export(book, tmp_path, "disputes", "md").read_text(encoding="utf-8")
    assert text.startswith("# Disputes by reason\n\nAs of 2026-11-23\n")
    assert "| pricing" in text and "$3,000.00" in text
    assert "| **Total**" in text
    assert "- Days open count from the day the dispute was opened" in text


def test_markdown_escapes_pipes_and_link_syntax(book, tmp_path):
    """Issue 10 (item 4) made "!" one of the characters escaped (an image starts with it)."""
    text = export(book, tmp_path, "aging", "md").read_text(encoding="utf-8")
    assert "=cmd\\|' /C calc'\\!A0" in text


def test_text_table_with_groups_and_totals(book, tmp_path):
    lines = export(book, tmp_path, "over-10k-60", "txt").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Balances over $10,000 more than 60 days past due (as of 2026-11-23)"
    assert lines[4].strip() == "Alice Archer · NA-East"
    assert "C001" in lines[5] and "$15,000.00" in lines[5] and "promise $5,000.00" in lines[5]
    assert any(line.startswith("Total EUR") and "€25,000.00" in line for line in lines)


def test_html_escapes_cells_and_carries_a_stylesheet(book, tmp_path):
    text = export(book, tmp_path, "aging", "html").read_text(encoding="utf-8")
    assert "<style>" in text and "<th>Account</th>" in text
    assert "<script>" not in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Tooling" in text
    assert '<tr class="total"><td>Total USD</td>' in text


def test_an_exporter_writes_to_a_stream(book):
    stream = io.StringIO()
    run_report(reporting(book), "cadence", "txt", stream, TODAY)
    assert "Touchpoint cadence (as of 2026-11-23)" in stream.getvalue()
