"""Which column of an imported table is which field: the mapping file and usual headers."""

import codecs
import tomllib
from pathlib import Path

from arctui.domain.money import MoneyError, exponent, shown
from arctui.services.errors import ServiceError
from arctui.services.import_checks import FIELDS, REQUIRED, Options

# Headers ERPs commonly use for each field, compared after normalise_header().
HEADER_ALIASES = {
    "account_no": (
        "account",
        "account number",
        "account no",
        "acct",
        "customer",
        "customer no",
        "customer number",
        "customer id",
        "cust no",
    ),
    "name": ("customer name", "contact", "contact name", "company"),
    "terms_days": ("terms", "payment terms", "terms days"),
    "credit_limit": ("credit limit", "limit"),
    "risk_class": ("risk", "risk class"),
    "owner": ("collector", "owner"),
    "number": ("invoice", "invoice no", "invoice number", "document", "document no"),
    "issue_date": ("invoice date", "issued", "issue date", "document date", "date"),
    "due_date": ("due", "due date", "net due date"),
    "amount": ("amount", "total", "invoice amount", "original amount", "payment amount"),
    "open": ("open", "open amount", "balance", "open balance", "amount open", "amount due"),
    "po_number": ("po", "po number", "purchase order"),
    "invoice_no": ("invoice", "invoice no", "invoice number", "applied to", "applies to"),
    "closed_date": ("closed", "closed date", "cleared date", "settled date", "paid date", "date paid"),
    "bank_ref": ("reference", "bank reference", "payment reference", "ref"),
    "received_date": ("received", "payment date", "received date", "value date"),
    "method": ("payment method", "method", "type"),
    "remittance": ("remittance", "memo", "description", "remittance text"),
    "unapplied": ("unapplied", "unapplied amount"),
    "is_primary": ("primary",),
    "phone": ("telephone", "phone number"),
    "email": ("e-mail", "email address"),
}


class ImportFileError(ServiceError):
    """A file the importer cannot read at all; the message names the file and line."""

    def __init__(self, file, line: int | None, reason: str):
        where = f"{file}:{line}" if line else str(file)
        super().__init__(f"{where}: {reason}")


MAPPING_KEYS = {
    "columns",
    "values",
    "date_formats",
    "decimal_comma",
    "encoding",
    "delimiter",
    "sheet",
    "currency",
    "credit_notes",
}

# Encodings a text file may be read in: those that write ASCII as ASCII, so a delimiter, a
# quote or a digit is the byte it looks like. UTF-7 and UTF-16/32 are refused: in them the
# bytes of one character can stand for others (and Python cannot seek in UTF-7 text).
TEXT_ENCODINGS = ("utf-8", "utf-8-sig", "ascii", "latin-1", "iso-8859-15", "cp1252", "cp850", "mac-roman")
_ACCEPTED = {codecs.lookup(name).name for name in TEXT_ENCODINGS}


def text_encoding(file, line: int | None, name: str) -> str:
    """``name`` when it is one of TEXT_ENCODINGS (under any of Python's spellings);
    ImportFileError naming ``file``, ``line`` and the accepted encodings otherwise."""
    try:
        known = codecs.lookup(str(name)).name
    except LookupError:
        known = None
    if known not in _ACCEPTED:
        what = "is not an ASCII-compatible encoding" if known else "is not an encoding Python knows"
        raise ImportFileError(file, line, f"encoding {str(name)!r} {what}; expected one of {', '.join(TEXT_ENCODINGS)}")
    return name


def load_mapping(path) -> Options:
    """Read a TOML mapping file (docs/importing.md describes every setting and field)::

    date_formats = ["%d.%m.%Y"]        # tried after ISO dates
    decimal_comma = true               # 1.234,56
    encoding = "latin-1"               # optional; utf-8 (with or without BOM) and
                                       # latin-1 are detected anyway (one of TEXT_ENCODINGS)
    credit_notes = true                # invoices: negative lines are credit notes (booked
                                       # with a negative amount and open balance); without
                                       # it a negative or zero invoice is refused
    delimiter = ";"                    # optional; detected from the header line
    sheet = "Open items"               # XLSX: optional; the first sheet otherwise
    currency = "EUR"                   # new customers', and payments' without an account
    [columns]                          # field = the file's header, or a list of them
    number = "Belegnummer"
    account_no = ["Kunde", "Kundennr"]
    [values]                           # field = one value for every line of the file
    method = "ach"

    One mapping may serve several kinds (customers and invoices from one export): a header
    may be named for fields of different kinds (``issue_date`` and ``received_date``), and
    for two fields of one kind, whose column then gives both (``bank_ref`` and ``invoice_no``
    from an export's invoice number). A field set in ``[values]`` is not also in ``[columns]``.
    """
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ImportFileError(path, None, f"cannot read the mapping: {exc}") from None
    unknown = set(data) - MAPPING_KEYS
    if unknown:
        raise ImportFileError(
            path, None, f"unknown setting {', '.join(sorted(unknown))}; expected {', '.join(sorted(MAPPING_KEYS))}"
        )
    known_fields = {f for fields in FIELDS.values() for f in fields}
    columns: dict[str, tuple[str, ...]] = {}
    spelled: dict[str, str] = {}  # normalised header -> as the mapping first wrote it
    for name, headers in _table(path, data, "columns").items():
        if name not in known_fields:
            raise ImportFileError(
                path, None, f"columns: {name!r} is not a field; expected one of {', '.join(sorted(known_fields))}"
            )
        for header in headers if isinstance(headers, list) else [headers]:
            if not isinstance(header, str):
                raise ImportFileError(path, None, f"columns: {name} = {header!r} is not a header (text)")
            norm = normalise_header(header)
            spelled.setdefault(norm, header)
            if name not in columns.get(norm, ()):
                columns[norm] = columns.get(norm, ()) + (name,)
    values = {}
    for name, value in _table(path, data, "values").items():
        if name not in known_fields:
            raise ImportFileError(
                path, None, f"values: {name!r} is not a field; expected one of {', '.join(sorted(known_fields))}"
            )
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ImportFileError(path, None, f"values: {name} = {value!r}; expected text, as a file's cell holds it")
        if any(name in names for names in columns.values()):
            raise ImportFileError(
                path, None, f"values: {name} is also named in [columns]; a field comes from a column or a value"
            )
        values[name] = str(value)
    formats = data.get("date_formats", ())
    if isinstance(formats, str):
        formats = [formats]
    for fmt in formats:
        if not isinstance(fmt, str) or "%" not in fmt:
            raise ImportFileError(path, None, f"date_formats: {fmt!r} is not a strptime format like %d/%m/%Y")
    currency = data.get("currency")
    if currency is not None:
        currency = str(currency).upper()
        try:
            exponent(currency)
        except MoneyError as exc:
            raise ImportFileError(path, None, f"currency: {exc}") from None
    encoding = data.get("encoding")
    if encoding is not None:
        text_encoding(path, None, encoding)
    credit_notes = data.get("credit_notes", False)
    if not isinstance(credit_notes, bool):
        raise ImportFileError(path, None, f"credit_notes: {credit_notes!r} is not true or false")
    return Options(
        columns=columns,
        date_formats=tuple(formats),
        decimal_comma=bool(data.get("decimal_comma", False)),
        credit_notes=credit_notes,
        encoding=encoding,
        delimiter=data.get("delimiter"),
        sheet=data.get("sheet"),
        currency=currency,
        values=values,
    )


def _table(path, data: dict, name: str) -> dict:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ImportFileError(path, None, f"{name}: expected a [{name}] table of field = ..., got {table!r}")
    return table


def normalise_header(header) -> str:
    return " ".join(str(header or "").casefold().replace("_", " ").split())


def header_fields(file, kind: str, headers, options: Options, line: int = 1) -> list[str | None]:
    """The field each column of a table holds (None: a column we do not import).

    The mapping file wins, then a field's own name, then the usual ERP headers. A table
    that lacks a required field is refused as a whole, naming what to map, and so is one
    where two columns hold the same field equally well (two columns of the same name, or
    two usual headers of one field): which one to import is the mapping file's to say.
    A field the mapping sets in ``[values]`` takes no column (the importer adds the value
    to every record), nor does one sharing another's header (``Options.shared_for``: the
    importer copies that field's value). ``line`` is the header's line in the file, for the message.
    """
    constants = set(options.values_for(kind))
    shared = options.shared_for(kind)  # field -> the field whose column gives it too
    wanted = tuple(f for f in FIELDS[kind] if f not in constants and f not in shared)
    by_header = {normalise_header(f): (f, 1) for f in wanted}
    for name in wanted:
        for alias in HEADER_ALIASES.get(name, ()):
            by_header.setdefault(alias, (name, 2))
    best: dict[str, tuple[int, int]] = {}  # field -> (rank, column) of its best column
    for column, header in enumerate(headers):
        norm = normalise_header(header)
        # a header the mapping names is the mapping's: for a kind it names no field of, not imported
        name, rank = (
            (_mapped(options.columns[norm], wanted), 0) if norm in options.columns else by_header.get(norm, (None, 3))
        )
        if name not in wanted:
            continue
        if name in best and best[name][0] == rank:
            first = headers[best[name][1]]
            raise ImportFileError(
                file,
                line,
                f"columns {_quoted(first)} (column {best[name][1] + 1}) and {_quoted(header)} (column "
                f"{column + 1}) both hold {name}; rename one, or name the one to import in a --mapping file",
            )
        if name not in best or rank < best[name][0]:
            best[name] = (rank, column)
    fields: list[str | None] = [None] * len(headers)
    for name, (_, column) in best.items():
        fields[column] = name
    missing = [f for f in REQUIRED[kind] if f not in best and f not in constants and shared.get(f) not in best]
    if missing:
        raise ImportFileError(
            file,
            line,
            f"no column for {', '.join(missing)} (headers: "
            f"{', '.join(map(_quoted, headers))}); name the column in the [columns] of a "
            "--mapping file, or give every line one value in its [values]",
        )
    return fields


def _mapped(names, wanted) -> str | None:
    """The field of this kind a mapped header names (a mapping may name it for other kinds too)."""
    if isinstance(names, str):
        return names
    return next((n for n in names if n in wanted), None)


def _quoted(header) -> str:
    """A header for a message: quoted, control characters escaped, cut short when long."""
    return shown(str(header or ""))
