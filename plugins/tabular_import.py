"""CSV and XLSX importers for customers, contacts, invoices and payments.

One importer per kind (``arctui import invoices FILE``) takes either format: an XLSX file is
recognised by its content, anything else is read as delimited text. Headers are matched to
fields by the ``--mapping`` file, the field's own name or the usual ERP headers, and the
mapping's ``[values]`` give every record a constant (docs/importing.md); text files
are read as UTF-8 (with or without a byte-order mark) or, failing that, Latin-1.
"""

import codecs
import csv
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from pathlib import Path

from arctui.api import (
    KINDS,
    Importer,
    ImportFileError,
    Options,
    Record,
    count_lines,
    header_fields,
    hookimpl,
    text_encoding,
)

_XLSX_MAGIC = b"PK\x03\x04"
_DELIMITERS = ",;\t|"


def _picker(kind: str, fields: list[str | None], options: Options):
    """A function from a row's cells to {field: cell} for the columns we import, plus the
    mapping's ``[values]`` for this kind (a constant for every line) and the fields sharing
    another's column; a short row lacks the fields it does not reach."""
    constants, shared = options.values_for(kind), options.shared_for(kind)
    if constants or shared:
        kept = [(i, f) for i, f in enumerate(fields) if f is not None]
        kept += [(i, extra) for extra, field in shared.items() for i, f in enumerate(fields) if f == field]
        return lambda row: {**{f: row[i] for i, f in kept if i < len(row)}, **constants}
    if None not in fields:
        return lambda row: dict(zip(fields, row))
    kept = [(i, f) for i, f in enumerate(fields) if f is not None]
    return lambda row: {f: row[i] for i, f in kept if i < len(row)}


def detect_encoding(path: Path) -> str:
    """utf-8-sig when the file starts with a BOM, utf-8 when it all decodes, else latin-1."""
    with open(path, "rb") as f:
        if f.read(3) == codecs.BOM_UTF8:
            return "utf-8-sig"
        f.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := f.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "latin-1"
    return "utf-8"


def _is_xlsx(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(4) == _XLSX_MAGIC


def _csv_records(kind: str, path: Path, options: Options):
    encoding = text_encoding(path, None, options.encoding) if options.encoding else detect_encoding(path)
    with open(path, newline="", encoding=encoding) as f:
        first = f.readline()
        delimiter = options.delimiter or max(_DELIMITERS, key=first.count)
        f.seek(0)
        reader = csv.reader(f, delimiter=delimiter)
        try:
            headers = next(reader, None)
            if headers is None:
                raise ImportFileError(path, None, "the file is empty")
            fields = header_fields(path, kind, headers, options, reader.line_num)
            values = _picker(kind, fields, options)
            name = str(path)
            line = reader.line_num
            for row in reader:
                start, line = line + 1, reader.line_num
                if any(row):
                    yield Record(name, start, values(row))
        except csv.Error as exc:
            raise ImportFileError(path, reader.line_num, f"not a readable CSV line: {exc}") from None
        except UnicodeDecodeError as exc:
            raise ImportFileError(path, reader.line_num, f"not {encoding} text: {exc}") from None


def _cell_text(value) -> str:
    """A cell as the text an export would hold: numbers exact, dates ISO."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    return str(value)


def _open_sheet(path: Path, options: Options):
    import openpyxl  # only XLSX imports pay for loading it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(path, None, f"not a readable XLSX workbook: {exc}") from None
    if options.sheet is None:
        return book, book.worksheets[0]
    if options.sheet not in book.sheetnames:
        raise ImportFileError(path, None, f"no sheet {options.sheet!r}; the workbook has {', '.join(book.sheetnames)}")
    return book, book[options.sheet]


def _xlsx_records(kind: str, path: Path, options: Options):
    book, sheet = _open_sheet(path, options)
    try:
        rows = sheet.iter_rows(values_only=True)
        values = None
        name = str(path)
        for number, cells in enumerate(rows, 1):
            texts = [_cell_text(c) for c in cells]
            if not any(t.strip() for t in texts):
                continue
            if values is None:
                values = _picker(kind, header_fields(path, kind, texts, options, number), options)
                continue
            yield Record(name, number, values(texts))
        if values is None:
            raise ImportFileError(path, None, "the sheet is empty")
    finally:
        book.close()


def _parse(kind: str, path: Path, options: Options):
    records = _xlsx_records if _is_xlsx(path) else _csv_records
    return records(kind, path, options)


def _size(path: Path, options: Options) -> int | None:
    if _is_xlsx(path):
        book, sheet = _open_sheet(path, options)
        try:
            return sheet.max_row
        finally:
            book.close()
    return count_lines(path)


@hookimpl
def register_importers(register):
    for kind in KINDS:
        register(
            Importer(
                name=kind,
                kind=kind,
                description=f"{kind} from a CSV (utf-8, utf-8 with BOM or latin-1) or XLSX file",
                parse=partial(_parse, kind),
                patterns=("*.csv", "*.txt", "*.xlsx"),
                size=_size,
            )
        )
