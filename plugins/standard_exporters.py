"""The bundled report exporters: csv, xlsx, md, txt and html.

CSV carries the data rows and the totals (groups are in the columns already) with plain
numbers; XLSX, Markdown, text and HTML show the whole report: group titles, subtotals,
totals and notes. Text cells that a spreadsheet would run as a formula are neutralised in
CSV and XLSX.

The ``ReportResult`` already shows control characters as visible escapes (ESC as ``\\x1b``,
in every format alike, XLSX included: openpyxl refuses the characters themselves); each
exporter adds its own format's escaping: Markdown's backslashes (no link, image, HTML or
autolink can come out of a cell), HTML's entities.
"""

import csv
import html
import re

from tabulate import tabulate

from arctui import hookimpl
from arctui.api import (
    SYMBOLS,
    Column,
    Exporter,
    ReportResult,
    exponent,
    neutralise_formula,
    open_output,
    to_decimal,
)

MAX_COLUMN_WIDTH = 60
_NUMBER_FORMATS = {"int": "#,##0", "number": "#,##0.0", "percent": "0.0%", "date": "yyyy-mm-dd"}


def _heading(result: ReportResult) -> str:
    return f"{result.title} (as of {result.as_of.isoformat()})"


def _alignments(result: ReportResult) -> list[str]:
    return ["left" if column.type in ("text", "date") else "right" for column in result.columns]


# --- csv ---------------------------------------------------------------------------------


def _csv_value(column: Column, value) -> str:
    if value is None:
        return ""
    if column.type == "money":
        return str(to_decimal(value.cents, value.currency))
    if column.type in ("number", "percent"):
        return f"{value:.1f}"
    if column.type == "int":
        return str(value)
    if column.type == "date":
        return value.isoformat()
    return neutralise_formula(str(value))


def export_csv(result: ReportResult, target) -> None:
    with open_output(target) as stream:
        writer = csv.writer(stream)
        writer.writerow([neutralise_formula(column.label) for column in result.columns])
        for kind, values in result.lines():
            if kind in ("row", "total"):
                writer.writerow([_csv_value(c, v) for c, v in zip(result.columns, values)])


# --- xlsx --------------------------------------------------------------------------------


def money_number_format(currency: str) -> str:
    """An Excel number format showing the currency like format_money does: "$"#,##0.00."""
    places = exponent(currency)
    number = "#,##0" + ("." + "0" * places if places else "")
    code = currency.upper()
    prefix = SYMBOLS.get(code, f"{code} ")
    return f'"{prefix}"{number}'


def _xlsx_cell(column: Column, value) -> tuple[object, str | None]:
    """The value to store and its number format (None: General)."""
    if value is None:
        return None, None
    if column.type == "money":
        return to_decimal(value.cents, value.currency), money_number_format(value.currency)
    if column.type == "percent":
        return value / 100, _NUMBER_FORMATS["percent"]
    if column.type in _NUMBER_FORMATS:
        return value, _NUMBER_FORMATS[column.type]
    return neutralise_formula(str(value)), None


# characters Excel (and openpyxl) refuse in a sheet's name; the title shows them in the properties
_SHEET_TITLE_REFUSES = re.compile(r"[\\*?:/\[\]]")


def export_xlsx(result: ReportResult, target) -> None:
    """One sheet: the header on row 1 (frozen), money as numbers in the currency's format."""
    # imported here: openpyxl takes a quarter of a second to load, and every arctui start
    # (the console included) loads this plugin
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _SHEET_TITLE_REFUSES.sub(" ", result.title)[:31].strip() or "Report"
    workbook.properties.title = _heading(result)
    bold = Font(bold=True)
    for index, column in enumerate(result.columns, start=1):
        sheet.cell(1, index, neutralise_formula(column.label)).font = bold
    widths = [len(column.label) for column in result.columns]
    row_number = 1
    for (kind, values), (_, texts) in zip(result.lines(), result.text_lines()):
        row_number += 1
        if kind == "group":
            sheet.cell(row_number, 1, neutralise_formula(values[0])).font = bold
            continue
        for index, (column, value) in enumerate(zip(result.columns, values), start=1):
            stored, number_format = _xlsx_cell(column, value)
            cell = sheet.cell(row_number, index, stored)
            if number_format:
                cell.number_format = number_format
            if kind != "row":
                cell.font = bold
        widths = [max(width, len(text)) for width, text in zip(widths, texts)]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_COLUMN_WIDTH)
    sheet.freeze_panes = "A2"
    for offset, note in enumerate(result.notes, start=2):
        sheet.cell(row_number + offset, 1, neutralise_formula(note))
    with open_output(target, binary=True) as stream:
        workbook.save(stream)


# --- md and txt --------------------------------------------------------------------------


# every character that starts or ends a Markdown construct a cell could form: links and
# images ([]()!), raw HTML and autolinks (<>), entities (&), code, emphasis, strikethrough,
# headings, footnotes, TeX, and the ":" "@" "." of the URL, email and www. autolinks GFM and
# linkify make from bare text. ":" and "." between digits (12:30, 1,234.56) stay as they are.
_MD_SPECIAL = re.compile(r"[\\`*_{}\[\]()<>#!|~&@^]|(?<![0-9])[.:]|[.:](?![0-9])")


def _md_escape(text: str) -> str:
    """Backslash before each Markdown special character (CommonMark allows it before any
    ASCII punctuation): a cell shows its text, never a link, image or markup."""
    return _MD_SPECIAL.sub(lambda m: "\\" + m.group(), text)


def export_md(result: ReportResult, target) -> None:
    rows = []
    for kind, texts in result.text_lines():
        texts = [_md_escape(text) for text in texts]
        if kind != "row" and texts[0]:
            texts[0] = f"**{texts[0]}**"
        rows.append(texts)
    table = tabulate(
        rows,
        headers=[_md_escape(c.label) for c in result.columns],
        tablefmt="github",
        colalign=_alignments(result),
        disable_numparse=True,
    )
    notes = "".join(f"- {_md_escape(note)}\n" for note in result.notes)
    with open_output(target) as stream:
        stream.write(f"# {_md_escape(result.title)}\n\nAs of {result.as_of.isoformat()}\n\n{table}\n")
        if notes:
            stream.write(f"\n{notes}")


def export_txt(result: ReportResult, target) -> None:
    rows = [texts for _, texts in result.text_lines()]
    table = tabulate(
        rows,
        headers=[c.label for c in result.columns],
        tablefmt="simple",
        colalign=_alignments(result),
        disable_numparse=True,
    )
    notes = "".join(f"{note}\n" for note in result.notes)
    with open_output(target) as stream:
        stream.write(f"{_heading(result)}\n\n{table}\n")
        if notes:
            stream.write(f"\n{notes}")


# --- html --------------------------------------------------------------------------------

STYLESHEET = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; }
th, td { padding: 0.25em 0.75em; border-bottom: 1px solid #ddd; }
thead th { background: #f0f0f0; text-align: left; position: sticky; top: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.group th { text-align: left; background: #fafafa; padding-top: 1em; }
tr.subtotal td, tr.total td { font-weight: bold; }
tr.total td { border-top: 2px solid #222; }
p.note { color: #555; }
"""


def export_html(result: ReportResult, target) -> None:
    escape = html.escape
    classes = ["num" if align == "right" else "" for align in _alignments(result)]
    body = []
    for kind, texts in result.text_lines():
        if kind == "group":
            body.append(f'<tr class="group"><th colspan="{len(texts)}">{escape(texts[0])}</th></tr>')
            continue
        cells = "".join(
            f'<td class="{cls}">{escape(text)}</td>' if cls else f"<td>{escape(text)}</td>"
            for cls, text in zip(classes, texts)
        )
        body.append(f'<tr class="{kind}">{cells}</tr>')
    header = "".join(f"<th>{escape(column.label)}</th>" for column in result.columns)
    notes = "".join(f'<p class="note">{escape(note)}</p>\n' for note in result.notes)
    rows = "\n".join(body)
    with open_output(target) as stream:
        stream.write(
            f'<!DOCTYPE html>\n<html><head><meta charset="utf-8">\n'
            f"<title>{escape(result.title)}</title>\n<style>{STYLESHEET}</style></head>\n<body>\n"
            f"<h1>{escape(result.title)}</h1>\n<p>As of {escape(result.as_of.isoformat())}</p>\n"
            f"<table>\n<thead><tr>{header}</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>\n"
            f"{notes}</body></html>\n"
        )


EXPORTERS = [
    Exporter("csv", "csv", "comma-separated data rows and totals, plain numbers", export_csv),
    Exporter("xlsx", "xlsx", "Excel workbook: money formatted, header frozen", export_xlsx, binary=True),
    Exporter("md", "md", "Markdown table", export_md),
    Exporter("txt", "txt", "plain-text table", export_txt),
    Exporter("html", "html", "HTML page with a small stylesheet", export_html),
]


@hookimpl
def register_report_exporters(register):
    for exporter in EXPORTERS:
        register(exporter)
