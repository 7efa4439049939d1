"""The European Central Bank's euro reference rates (``arctui import ecb FILE``).

The ECB publishes, for each working day, 1 EUR in about thirty currencies, in two shapes:

- XML (``eurofxref-daily.xml``, ``eurofxref-hist-90d.xml``, ``eurofxref-hist.xml``): a
  ``Cube time="YYYY-MM-DD"`` holding one ``Cube currency="USD" rate="1.0856"`` per currency;
- CSV (``eurofxref-hist.csv``, and ``eurofxref.csv`` of the daily zip): a ``Date`` column and
  one column per currency, one line per day, each line ending in a comma; the daily file
  writes ``25 January 2018`` and a space after each comma. A currency the ECB did not quote
  that day is ``N/A`` (the old national currencies after the euro replaced them): skipped.

Every rate is a record of the ``rates`` kind with base EUR; the core checks and writes them
(a rate already in the book is unchanged, a corrected one updated). Rates in the book's
own CSV layout (``date,currency,rate[,base]``) are the ``rates`` importer's.
"""

import csv
from datetime import datetime
from pathlib import Path

from arctui.api import Importer, ImportFileError, Options, Record, count_lines, hookimpl
from arctui_plugins.camt import read_xml

BASE = "EUR"
SOURCE = "ECB"
_NO_RATE = {"", "N/A"}
_ECB_XML = "{http://www.ecb.int/vocabulary/2002-08-01/eurofxref}Cube"


def _record(name: str, line: int, day: str, currency: str, rate: str) -> Record:
    return Record(name, line, {"date": day, "currency": currency, "rate": rate, "base": BASE, "source": SOURCE})


def _xml_rates(path: Path):
    root, lines = read_xml(path)
    days = [cube for cube in root.iter(_ECB_XML) if "time" in cube.attrib]
    if not days:
        raise ImportFileError(path, lines[root], "has no Cube time=...: not the ECB's euro reference rates")
    name = str(path)
    for day in days:
        for cube in day.iter(_ECB_XML):
            if "currency" in cube.attrib:
                rate = cube.get("rate", "")
                if rate.strip() not in _NO_RATE:
                    yield _record(name, lines[cube], day.get("time"), cube.get("currency"), rate)


def _day(text: str) -> str:
    """The daily file's ``25 January 2018`` as ISO; ISO dates and anything else as written
    (the core names what is no date)."""
    try:
        return datetime.strptime(text, "%d %B %Y").date().isoformat()
    except ValueError:
        return text


def _csv_rates(path: Path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f, skipinitialspace=True)
        try:
            header = next(reader, None)
            if not header or header[0].strip().lower() != "date":
                raise ImportFileError(
                    path, 1, "expected a header starting with Date: not the ECB's euro reference rates"
                )
            currencies = [code.strip() for code in header[1:]]
            odd = next((code for code in currencies if code and not (len(code) == 3 and code.isalpha())), None)
            if odd is not None:
                raise ImportFileError(
                    path,
                    1,
                    f"column {odd!r} is no currency code: the ECB's layout is Date, then one column per currency"
                    " (a file of date,currency,rate lines is `arctui import rates`)",
                )
            name = str(path)
            for row in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                day = _day(row[0].strip())
                for currency, rate in zip(currencies, row[1:]):
                    if currency and rate.strip() not in _NO_RATE:
                        yield _record(name, line, day, currency, rate.strip())
        except csv.Error as exc:
            raise ImportFileError(path, reader.line_num, f"not a readable CSV line: {exc}") from None
        except UnicodeDecodeError as exc:
            raise ImportFileError(path, reader.line_num, f"not UTF-8 text: {exc}") from None


def parse_ecb(path: Path, options: Options):
    """Every rate of an ECB file, XML or CSV (told apart by its first character)."""
    with open(path, "rb") as f:
        xml = f.read(64).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
    return _xml_rates(path) if xml else _csv_rates(path)


@hookimpl
def register_importers(register):
    register(
        Importer(
            name="ecb",
            kind="rates",
            parse=parse_ecb,
            patterns=("eurofxref*.xml", "eurofxref*.csv"),
            size=count_lines,
            description="the ECB's euro reference rates (eurofxref daily, 90-day or history; XML or CSV)",
        )
    )
