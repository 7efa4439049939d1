"""Import customers, contacts, invoices and payments from files: all or nothing, idempotent.

An importer (added by a plugin through ``register_importers``) only reads a file format:
``parse(path, options)`` yields one ``Record`` per source line with the fields it found, or
a ``Rejected`` for a line it cannot read at all. Field values are text, converted here the
same way for every format (money with thousands separators, currency symbols and
parenthesised negatives; ISO or configured dates), or already typed (``int`` minor units,
``datetime.date``). The core checks every field, de-duplicates against the file and the
database, and writes everything in one transaction: nothing at all when a line is rejected.

Keys: customers by ``account_no``, contacts by (customer, email, or name when there is no
email), invoices by ``number``, payments by ``bank_ref``. A record equal to its row changes
nothing; a changed one updates the fields the file carries (a payment never changes: a
different payment under a known bank reference is rejected). A file without a column never
clears that column.

Inserted rows are audited by one row per import (importer, file, counts, id range): a
million-line import must not write a million audit rows. Updated rows carry their before
and after in that same audit row.
"""
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Callable, Iterable, Mapping

from arctui.domain.money import MoneyError, exponent, format_money, parse_money
from arctui.domain.statuses import CUSTOMER_STATUSES, PAYMENT_METHODS
from arctui.services import cash
from arctui.services.context import Context
from arctui.services.errors import ServiceError
from arctui.store import audit
from arctui.store.connection import write

KINDS = ("customers", "contacts", "invoices", "payments")

# The fields each kind of record may carry; the first ones of REQUIRED must be present.
FIELDS = {
    "customers": ("account_no", "name", "region", "terms_days", "currency", "credit_limit",
                  "status", "owner"),
    "contacts": ("account_no", "name", "role", "email", "phone", "is_primary"),
    "invoices": ("number", "account_no", "issue_date", "due_date", "amount", "open", "currency",
                 "po_number"),
    "payments": ("bank_ref", "amount", "received_date", "method", "account_no", "currency",
                 "remittance", "unapplied"),
}
REQUIRED = {
    "customers": ("account_no", "name"),
    "contacts": ("account_no", "name"),
    "invoices": ("number", "account_no", "issue_date", "amount"),
    "payments": ("bank_ref", "amount", "received_date", "method"),
}

# Headers ERPs commonly use for each field, compared after normalise_header().
HEADER_ALIASES = {
    "account_no": ("account", "account number", "account no", "acct", "customer", "customer no",
                   "customer number", "customer id", "cust no"),
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

PROGRESS_EVERY = 10_000
_CHUNK = 5_000
_TRUE = {"1", "true", "yes", "y", "x", "primary"}
_FALSE = {"", "0", "false", "no", "n"}


class ImportFileError(ServiceError):
    """A file the importer cannot read at all; the message names the file and line."""

    def __init__(self, file, line: int | None, reason: str):
        where = f"{file}:{line}" if line else str(file)
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True, slots=True)
class Record:
    """One source line's fields, as the importer found them."""
    file: str
    line: int
    values: dict


@dataclass(frozen=True, slots=True)
class Rejected:
    file: str
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.reason}"


@dataclass(frozen=True)
class Options:
    """How to read a file: from the ``--mapping`` file, else what the formats detect."""
    columns: Mapping[str, str] = field(default_factory=dict)  # normalised header -> field
    date_formats: tuple[str, ...] = ()   # strptime formats tried after ISO YYYY-MM-DD
    decimal_comma: bool = False
    encoding: str | None = None          # None: detected
    delimiter: str | None = None         # None: detected
    sheet: str | None = None             # XLSX: None is the first sheet
    currency: str = "USD"                # for amounts when neither record nor customer says


MAPPING_KEYS = {"columns", "date_formats", "decimal_comma", "encoding", "delimiter", "sheet",
                "currency"}


def load_mapping(path) -> Options:
    """Read a TOML mapping file::

        date_formats = ["%d.%m.%Y"]        # tried after ISO dates
        decimal_comma = true               # 1.234,56
        encoding = "latin-1"               # optional; utf-8 (with or without BOM) and
                                           # latin-1 are detected anyway
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
        raise ImportFileError(path, None, f"unknown setting {', '.join(sorted(unknown))}; "
                                          f"expected {', '.join(sorted(MAPPING_KEYS))}")
    known_fields = {f for fields in FIELDS.values() for f in fields}
    columns = {}
    for name, headers in data.get("columns", {}).items():
        if name not in known_fields:
            raise ImportFileError(path, None, f"columns: {name!r} is not a field; expected one of "
                                              f"{', '.join(sorted(known_fields))}")
        for header in [headers] if isinstance(headers, str) else headers:
            columns[normalise_header(header)] = name
    formats = data.get("date_formats", ())
    for fmt in formats:
        if "%" not in fmt:
            raise ImportFileError(path, None, f"date_formats: {fmt!r} is not a strptime format "
                                              "like %d/%m/%Y")
    currency = data.get("currency", "USD")
    try:
        exponent(currency)
    except MoneyError as exc:
        raise ImportFileError(path, None, f"currency: {exc}") from None
    return Options(columns=columns, date_formats=tuple(formats),
                   decimal_comma=bool(data.get("decimal_comma", False)),
                   encoding=data.get("encoding"), delimiter=data.get("delimiter"),
                   sheet=data.get("sheet"), currency=currency.upper())


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
        raise ImportFileError(file, 1, f"no column for {', '.join(missing)} (headers: "
                                       f"{', '.join(map(str, headers))}); name the column in a "
                                       "--mapping file")
    return fields


@dataclass(frozen=True)
class Importer:
    """What a plugin registers: one file format yielding one kind of record."""
    name: str
    kind: str
    description: str
    parse: Callable[[Path, Options], Iterable[Record | Rejected]]
    patterns: tuple[str, ...] = ()       # the files it takes, e.g. ("*.csv", "*.xlsx")
    applies_cash: bool = False           # receipts: apply them by their remittance text
    size: Callable[[Path, Options], int | None] | None = None  # lines, for the progress bar

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"importer {self.name}: kind {self.kind!r} is not one of {KINDS}")


@dataclass
class Receipt:
    bank_ref: str
    payment_id: int
    amount_cents: int
    applied_cents: int
    currency: str


@dataclass
class ImportReport:
    importer: str
    file: str
    dry_run: bool = False
    accepted: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    receipts: list[Receipt] = field(default_factory=list)
    written: bool = False


def count_lines(path: Path, options: Options | None = None) -> int:
    """Lines in a text file, for a progress bar's length."""
    lines = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            lines += chunk.count(b"\n")
    return lines


class LineError(Exception):
    def __init__(self, field_name: str, reason: str):
        super().__init__(reason)
        self.field = field_name
        self.reason = reason


# ---- field conversions: text or typed value -> what the table stores ------------------------


def _text(values: dict, name: str) -> str | None:
    value = values[name]
    if value is None:
        return None
    return str(value).strip() or None


def _required(values: dict, name: str) -> str:
    value = _text(values, name) if name in values else None
    if value is None:
        raise LineError(name, "is required")
    return value


def cents(value, name: str, currency: str, options: Options) -> int:
    """An amount as minor units: ints are minor units already; text is parsed."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if not isinstance(value, str):
        raise LineError(name, f"expected text or integer minor units, got {value!r}")
    text = value.strip()
    # the plain "1234.56" every export writes, without the general parser's cost
    if (not options.decimal_comma and text[-3:-2] == "." and text[:-3].isdigit()
            and text[-2:].isdigit() and text.isascii() and exponent(currency) == 2):
        return int(text[:-3] + text[-2:])
    try:
        return parse_money(text, currency, decimal_comma=options.decimal_comma)
    except MoneyError as exc:
        raise LineError(name, str(exc)) from None


def iso_date(value, name: str, options: Options) -> str:
    """A date as ISO text: a ``date``, ISO text, or text in one of the configured formats."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            date.fromisoformat(text)
            return text
        except ValueError:
            pass
    for fmt in options.date_formats:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    expected = " or ".join(("YYYY-MM-DD",) + options.date_formats)
    raise LineError(name, f"{text!r} is not a date; expected {expected}")


def _currency(values: dict, fallback: str) -> str:
    code = _text(values, "currency") if "currency" in values else None
    if code is None:
        return fallback
    try:
        exponent(code)
    except MoneyError as exc:
        raise LineError("currency", str(exc)) from None
    return code.upper()


def _choice(values: dict, name: str, allowed) -> str:
    value = _required(values, name).lower().replace(" ", "_")
    if value not in allowed:
        raise LineError(name, f"{value!r} is not one of {', '.join(allowed)}")
    return value


def _flag(values: dict, name: str) -> int:
    text = (_text(values, name) or "").lower()
    if text in _TRUE:
        return 1
    if text in _FALSE:
        return 0
    raise LineError(name, f"{text!r} is not yes or no")


def _whole_number(values: dict, name: str) -> int:
    text = _required(values, name)
    if not text.isdigit():
        raise LineError(name, f"{text!r} is not a whole number of days")
    return int(text)


# ---- the four kinds: check a record, key it, fill defaults for a new row --------------------


class _Lookups:
    """Keys already in the database, loaded once per import."""

    def __init__(self, ctx: Context):
        self.customers = {acc: (cid, cur, terms) for cid, acc, cur, terms in ctx.db.execute(
            "SELECT id, account_no, currency, terms_days FROM customers")}
        self.terms = {cid: terms for cid, _, terms in self.customers.values()}
        self.collectors = {row[0] for row in ctx.db.execute("SELECT id FROM collectors")}
        self.today = ctx.today().isoformat()
        self.now = ctx.now()

    def customer(self, values: dict):
        account = _required(values, "account_no")
        found = self.customers.get(account)
        if found is None:
            raise LineError("account_no", f"no customer {account!r}; import the customers first")
        return found


def _check_customer(v: dict, lk: _Lookups, options: Options) -> dict:
    row = {"account_no": _required(v, "account_no"), "name": _required(v, "name")}
    if "region" in v:
        row["region"] = _text(v, "region")
    if "terms_days" in v:
        row["terms_days"] = _whole_number(v, "terms_days")
    currency = _currency(v, options.currency)
    if "currency" in v:
        row["currency"] = currency
    if "credit_limit" in v:
        limit = _text(v, "credit_limit")
        row["credit_limit_cents"] = None if limit is None else cents(limit, "credit_limit",
                                                                     currency, options)
        if (row["credit_limit_cents"] or 0) < 0:
            raise LineError("credit_limit", "must not be negative")
    if "status" in v:
        row["status"] = _choice(v, "status", CUSTOMER_STATUSES)
    if "owner" in v:
        owner = _text(v, "owner")
        if owner is not None and owner not in lk.collectors:
            raise LineError("owner", f"no collector {owner!r}")
        row["owner"] = owner
    return row


def _check_contact(v: dict, lk: _Lookups, options: Options) -> dict:
    row = {"customer_id": lk.customer(v)[0], "name": _required(v, "name")}
    for name in ("role", "phone"):
        if name in v:
            row[name] = _text(v, name)
    if "email" in v:
        email = _text(v, "email")
        if email is not None:
            local, at, domain = email.partition("@")
            if not (local and at and "." in domain) or " " in email:
                raise LineError("email", f"{email!r} is not an email address")
        row["email"] = email
    if "is_primary" in v:
        row["is_primary"] = _flag(v, "is_primary")
    return row


def _contact_key(row: dict):
    return row["customer_id"], (row.get("email") or row["name"]).casefold()


def _check_invoice(v: dict, lk: _Lookups, options: Options) -> dict:
    customer_id, customer_currency, terms = lk.customer(v)
    currency = _currency(v, customer_currency)
    row = {"number": _required(v, "number"), "customer_id": customer_id,
           "issue_date": iso_date(_required(v, "issue_date"), "issue_date", options)}
    due = _text(v, "due_date") if "due_date" in v else None
    if due is not None:
        row["due_date"] = iso_date(due, "due_date", options)
        if row["due_date"] < row["issue_date"]:
            raise LineError("due_date", f"{row['due_date']} is before the issue date "
                                        f"{row['issue_date']}")
    amount = row["amount_cents"] = cents(_required(v, "amount"), "amount", currency, options)
    if "open" in v:
        open_cents = row["open_cents"] = cents(_required(v, "open"), "open", currency, options)
        if (open_cents < 0 < amount or amount < 0 < open_cents) or abs(open_cents) > abs(amount):
            raise LineError("open", f"{format_money(open_cents, currency)} is not between 0 and "
                                    f"the amount {format_money(amount, currency)}")
    if "currency" in v:
        row["currency"] = currency
    if "po_number" in v:
        row["po_number"] = _text(v, "po_number")
    return row


def _invoice_defaults(row: dict, lk: _Lookups) -> dict:
    if "due_date" not in row:
        terms = timedelta(days=lk.terms[row["customer_id"]])
        row["due_date"] = (date.fromisoformat(row["issue_date"]) + terms).isoformat()
    row.setdefault("open_cents", row["amount_cents"])
    if row["open_cents"] == 0:
        row["closed_date"] = lk.today
    return row


def _invoice_changes(changed: dict, old: dict, lk: _Lookups) -> dict:
    """An open amount reaching zero closes the invoice today; one reopened clears that."""
    if "open_cents" in changed:
        if changed["open_cents"] == 0:
            changed["closed_date"] = lk.today
        elif old["open_cents"] == 0:
            changed["closed_date"] = None
    return changed


def _check_payment(v: dict, lk: _Lookups, options: Options) -> dict:
    row = {"bank_ref": _required(v, "bank_ref")}
    customer = None
    if "account_no" in v and _text(v, "account_no") is not None:
        customer = lk.customer(v)
    row["customer_id"] = customer[0] if customer else None
    currency = row["currency"] = _currency(v, customer[1] if customer else options.currency)
    amount = row["amount_cents"] = cents(_required(v, "amount"), "amount", currency, options)
    if amount <= 0:
        raise LineError("amount", "a payment must be more than zero")
    row["received_date"] = iso_date(_required(v, "received_date"), "received_date", options)
    row["method"] = _choice(v, "method", PAYMENT_METHODS)
    if "remittance" in v:
        row["remittance"] = _text(v, "remittance")
    unapplied = _text(v, "unapplied") if "unapplied" in v else None
    row["unapplied_cents"] = amount if unapplied is None else cents(unapplied, "unapplied",
                                                                    currency, options)
    if not 0 <= row["unapplied_cents"] <= amount:
        raise LineError("unapplied", "must be between 0 and the amount")
    return row


def _payment_conflicts(changed: dict, old: dict, lk: _Lookups) -> dict:
    """A known receipt differs only if the bank's facts differ: its customer and unapplied
    cash change as it is applied."""
    return {k: v for k, v in changed.items() if k in ("amount_cents", "currency", "received_date")}


def _customer_defaults(row: dict, lk: _Lookups) -> dict:
    row["created_at"] = lk.now
    return row


def _no_defaults(row: dict, lk: _Lookups) -> dict:
    return row


def _same_changes(changed: dict, old: dict, lk: _Lookups) -> dict:
    return changed


@dataclass(frozen=True)
class _Kind:
    table: str
    columns: tuple[str, ...]                     # every column an import may set
    check: Callable[[dict, _Lookups, Options], dict]
    key: Callable[[dict], object]
    defaults: Callable[[dict, _Lookups], dict] = _no_defaults
    changes: Callable[[dict, dict, _Lookups], dict] = _same_changes
    updatable: bool = True


_KINDS = {
    "customers": _Kind("customers", ("account_no", "name", "region", "terms_days", "currency",
                                     "credit_limit_cents", "status", "owner"),
                       _check_customer, lambda row: row["account_no"], _customer_defaults),
    "contacts": _Kind("contacts", ("customer_id", "name", "role", "email", "phone", "is_primary"),
                      _check_contact, _contact_key),
    "invoices": _Kind("invoices", ("number", "customer_id", "issue_date", "due_date",
                                   "amount_cents", "open_cents", "currency", "po_number"),
                      _check_invoice, lambda row: row["number"], _invoice_defaults,
                      _invoice_changes),
    "payments": _Kind("payments", ("bank_ref", "customer_id", "currency", "amount_cents",
                                   "received_date", "method", "remittance", "unapplied_cents"),
                      _check_payment, lambda row: row["bank_ref"], changes=_payment_conflicts,
                      updatable=False),
}


class _Rollback(Exception):
    """Leave the import's transaction without committing (a rejected line or a dry run)."""


class _Batch:
    """Checks records against the file and the database; writes them while none is rejected."""

    def __init__(self, ctx: Context, importer: Importer, options: Options, report: ImportReport):
        self.ctx, self.importer, self.options, self.report = ctx, importer, options, report
        self.kind = _KINDS[importer.kind]
        self.lookups = _Lookups(ctx)
        self.seen: dict = {}
        self.stamp = {"updated_by": ctx.user, "updated_at": ctx.now()}
        self.inserts: dict[tuple, list] = {}
        self.inserted_keys: list = []
        self.before: dict = {}
        self.after: dict = {}
        self.first_id = None
        self.existing = self._load_existing()

    def _load_existing(self) -> dict:
        columns = self.kind.columns
        found = {}
        for row_id, *values in self.ctx.db.execute(
                f"SELECT id, {', '.join(columns)} FROM {self.kind.table}"):
            found[self.kind.key(dict(zip(columns, values)))] = (row_id, values)
        return found

    def add(self, record: Record) -> None:
        try:
            row = self.kind.check(record.values, self.lookups, self.options)
        except LineError as exc:
            self.reject(record, exc.field, exc.reason)
            return
        key = self.kind.key(row)
        first_line = self.seen.get(key)
        if first_line is not None:
            self.reject(record, _key_field(self.importer.kind), f"{key} is also on line {first_line}")
            return
        self.seen[key] = record.line
        self.report.accepted += 1
        old = self.existing.get(key)
        if old is None:
            self.report.inserted += 1
            self._insert(self.kind.defaults(row, self.lookups), key)
        else:
            self._compare(record, row, key, *old)

    def reject(self, record, field_name: str, reason: str) -> None:
        self.report.rejected.append(Rejected(record.file, record.line, field_name, reason))
        self.inserts.clear()

    def _insert(self, row: dict, key) -> None:
        if self.report.rejected:
            return
        columns = tuple(row)
        pending = self.inserts.setdefault(columns, [])
        pending.append(tuple(row.values()))
        if self.importer.applies_cash:
            self.inserted_keys.append(key)
        if len(pending) >= _CHUNK:
            self._write_inserts(columns, pending)

    def _write_inserts(self, columns: tuple, rows: list) -> None:
        names = columns + tuple(self.stamp)
        stamp = tuple(self.stamp.values())
        cursor = self.ctx.db.conn.executemany(
            f"INSERT INTO {self.kind.table} ({', '.join(names)}) "
            f"VALUES ({', '.join('?' * len(names))})",
            [values + stamp for values in rows])
        if self.first_id is None:
            self.first_id = cursor.lastrowid - len(rows) + 1
        rows.clear()

    def _compare(self, record: Record, row: dict, key, row_id: int, old_values) -> None:
        old = dict(zip(self.kind.columns, old_values))
        changed = self.kind.changes({k: v for k, v in row.items() if old[k] != v}, old,
                                    self.lookups)
        if not changed:
            self.report.unchanged += 1
            return
        if not self.kind.updatable:
            name = next(iter(changed))
            self.reject(record, _key_field(self.importer.kind),
                        f"{key} is already recorded with {name} {old[name]!r}, not {changed[name]!r}")
            return
        self.report.updated += 1
        if self.report.rejected:
            return
        sets = ", ".join(f"{k} = ?" for k in list(changed) + list(self.stamp))
        self.ctx.db.execute(
            f"UPDATE {self.kind.table} SET {sets}, version = version + 1 WHERE id = ?",
            list(changed.values()) + list(self.stamp.values()) + [row_id])
        entity = f"{self.kind.table}/{row_id}"
        self.before[entity] = {k: old.get(k) for k in changed}
        self.after[entity] = changed

    def finish(self) -> None:
        if self.report.rejected:
            return
        for columns, rows in self.inserts.items():
            if rows:
                self._write_inserts(columns, rows)
        if not (self.report.inserted or self.report.updated):
            return
        summary = {"importer": self.importer.name, "file": self.report.file,
                   "inserted": self.report.inserted, "updated": self.report.updated,
                   "unchanged": self.report.unchanged}
        if self.first_id is not None:
            summary["inserted_ids"] = f"{self.first_id}-{self.first_id + self.report.inserted - 1}"
        audit.append(self.ctx.db, at=self.ctx.now(), actor=self.ctx.user,
                     action=f"import.{self.importer.kind}", entity=self.kind.table,
                     before=self.before or None, after={"import": summary, **self.after})

    def apply_receipts(self) -> None:
        """Apply each new receipt to the invoices its remittance names; the rest stays
        unapplied cash for the collector."""
        for bank_ref in self.inserted_keys:
            payment_id, amount, currency = self.ctx.db.execute(
                "SELECT id, amount_cents, currency FROM payments WHERE bank_ref = ?",
                [bank_ref]).fetchone()
            applied = cash.auto_apply(self.ctx, payment_id)
            self.report.receipts.append(Receipt(bank_ref, payment_id, amount, applied, currency))


def _key_field(kind: str) -> str:
    return {"customers": "account_no", "contacts": "email", "invoices": "number",
            "payments": "bank_ref"}[kind]


def run_import(ctx: Context, importer: Importer, path, options: Options | None = None, *,
               dry_run: bool = False,
               progress: Callable[[int], None] | None = None) -> ImportReport:
    """Import ``path`` with ``importer`` in one transaction; nothing is written when a line is
    rejected or on a dry run (which still reports what the import would do)."""
    path = Path(path)
    options = options or Options()
    report = ImportReport(importer=importer.name, file=str(path), dry_run=dry_run)
    try:
        with write(ctx.db):
            batch = _Batch(ctx, importer, options, report)
            for count, item in enumerate(importer.parse(path, options), 1):
                if type(item) is Record:
                    batch.add(item)
                else:
                    report.rejected.append(item)
                if progress is not None and count % PROGRESS_EVERY == 0:
                    progress(item.line)
            batch.finish()
            if importer.applies_cash and not report.rejected:
                batch.apply_receipts()
            if report.rejected or dry_run:
                raise _Rollback
    except _Rollback:
        return report
    except OSError as exc:
        raise ImportFileError(path, None, f"cannot read: {exc.strerror or exc}") from None
    report.written = True
    return report
