"""A team's own importer: open invoices from the (made-up) ACME ERP's fixed-width export.

Drop this file in a folder and point arctui at it; the core is not changed::

    arctui --plugins-dir examples/team-plugins import acme-invoices OPITEMS.TXT --db book.db

An importer only reads its format. It yields one ``Record`` per line with the fields it
found, as text; the core converts and checks them (amounts, dates, known customers),
de-duplicates by invoice number, writes all or nothing and reports every bad line. A line
the plugin cannot even cut into fields becomes a ``Rejected`` with its line number; a file
that is wrong as a whole raises ``ImportFileError``.

The export, one record per line, columns by position (1-based)::

    H ACME-ERP OPITEMS 20261120                        header: H, then anything
    D C100      AC-000123   01092026 01102026       1234.56        1234.56  USD
    T 000001                                           trailer: the number of D lines

    D lines: 1 type, 3-12 customer account, 13-24 document number, 25-32 invoice date
    DDMMYYYY, 34-41 due date DDMMYYYY, 43-56 amount, 58-71 open amount (a trailing "-"
    is a credit), 74-76 currency.
"""

from arctui.api import Importer, ImportFileError, Record, Rejected, count_lines, hookimpl

# field, first column, last column (1-based, inclusive)
LAYOUT = (
    ("account_no", 3, 12),
    ("number", 13, 24),
    ("issue_date", 25, 32),
    ("due_date", 34, 41),
    ("amount", 43, 56),
    ("open", 58, 71),
    ("currency", 74, 76),
)
SHORTEST = LAYOUT[-2][2]  # the currency may be left blank: the customer's currency


def _iso(ddmmyyyy: str) -> str:
    """DDMMYYYY as YYYY-MM-DD; the core then checks it is a real date."""
    return f"{ddmmyyyy[4:]}-{ddmmyyyy[2:4]}-{ddmmyyyy[:2]}" if ddmmyyyy.isdigit() else ddmmyyyy


def parse(path, options):
    name, details, trailer = str(path), 0, None
    with open(path, encoding=options.encoding or "latin-1") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            kind = line[:1]
            if kind == "D":
                details += 1
                if len(line.rstrip()) < SHORTEST:
                    yield Rejected(
                        name, number, "line", f"{len(line.rstrip())} characters; a D line has at least {SHORTEST}"
                    )
                    continue
                values = {field: line[first - 1 : last].strip() for field, first, last in LAYOUT}
                values["issue_date"] = _iso(values["issue_date"])
                values["due_date"] = _iso(values["due_date"])
                if not values["currency"]:
                    del values["currency"]  # the customer's currency
                yield Record(name, number, values)
            elif kind == "T":
                trailer = (number, line[2:8].strip())
            elif kind != "H" and line.strip():
                yield Rejected(name, number, "line", f"record type {kind!r}; expected H, D or T")
    if trailer is None:
        raise ImportFileError(path, None, "no trailer (T) line: the export is incomplete")
    if not trailer[1].isdigit() or int(trailer[1]) != details:
        raise ImportFileError(
            path, trailer[0], f"the trailer counts {trailer[1]} lines, the file has {details}: the export is incomplete"
        )


@hookimpl
def register_importers(register):
    register(
        Importer(
            name="acme-invoices",
            kind="invoices",
            parse=parse,
            patterns=("OPITEMS*.TXT",),
            size=count_lines,
            description="open invoices from the ACME ERP fixed-width OPITEMS export",
        )
    )
