"""Which column of an imported table is which field: the mapping file and usual headers."""

import tomllib
from pathlib import Path

from arctui.domain.money import MoneyError, exponent
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
    "owner": ("collector", "owner"),
    "number": ("invoice", "invoice no", "invoice number", "document", "document no"),
    "issue_date": ("invoice date", "issued", "issue date", "document date", "date"),
    "due_date": ("due", "due date", "net due date"),
    "amount": ("amount", "total", "invoice amount", "original amount", "payment amount"),
    "open": ("open", "open amount", "balance", "open balance", "amount open", "amount due"),
    "po_number": ("po", "po number", "purchase order"),
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


MAPPING_KEYS = {"columns", "date_formats", "decimal_comma", "encoding", "delimiter", "sheet", "currency"}


def load_mapping(path) -> Options:
    """Read a TOML mapping file::

    date_formats = ["%d.%m.%Y"]        # tried after ISO dates
    decimal_comma = true               # 1.234,56
    encoding = "latin-1"               # optional; utf-8 (with or without BOM) and
                                       # latin-1 are detected anyway
    delimiter = ";"                    # optional; detected from the header line
    sheet = "Open items"               # XLSX: optional; the first sheet otherwise
    currency = "EUR"                   # new customers', and payments' without an account
    [columns]                          # field = the file's header, or a list of them
    number = "Belegnummer"
    account_no = ["Kunde", "Kundennr"]
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
    columns = {}
    for name, headers in data.get("columns", {}).items():
        if name not in known_fields:
            raise ImportFileError(
                path, None, f"columns: {name!r} is not a field; expected one of {', '.join(sorted(known_fields))}"
            )
        for header in [headers] if isinstance(headers, str) else headers:
            columns[normalise_header(header)] = name
    formats = data.get("date_formats", ())
    for fmt in formats:
        if "%" not in fmt:
            raise ImportFileError(path, None, f"date_formats: {fmt!r} is not a strptime format like %d/%m/%Y")
    currency = data.get("currency")
    if currency is not None:
        currency = str(currency).upper()
        try:
            exponent(currency)
        except MoneyError as exc:
            raise ImportFileError(path, None, f"currency: {exc}") from None
    return Options(
        columns=columns,
        date_formats=tuple(formats),
        decimal_comma=bool(data.get("decimal_comma", False)),
        encoding=data.get("encoding"),
        delimiter=data.get("delimiter"),
        sheet=data.get("sheet"),
        currency=currency,
    )


def normalise_header(header) -> str:
    return " ".join(str(header or "").casefold().replace("_", " ").split())


def header_fields(file, kind: str, headers, options: Options) -> list[str | None]:
    """The field each column of a table holds (None: a column we do not import).

    The mapping file wins, then a field's own name, then the usual ERP headers. A table
    that lacks a required field is refused as a whole, naming what to map.
    """
    wanted = FIELDS[kind]
    by_header = {normalise_header(f): f for f in wanted}
    for name in wanted:
        for alias in HEADER_ALIASES.get(name, ()):
            by_header.setdefault(alias, name)
    fields, taken = [], set()
    for header in headers:
        norm = normalise_header(header)
        name = options.columns.get(norm) or by_header.get(norm)
        if name not in wanted or name in taken:
            name = None
        fields.append(name)
        taken.add(name)
    missing = [f for f in REQUIRED[kind] if f not in taken]
    if missing:
        raise ImportFileError(
            file,
            1,
            f"no column for {', '.join(missing)} (headers: "
            f"{', '.join(map(str, headers))}); name the column in a "
            "--mapping file",
        )
    return fields
