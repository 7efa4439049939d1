"""Each field of an imported record checked and converted to what its table stores.

Text converts the same way for every file format: money with thousands separators,
currency symbols and parenthesised negatives; dates as ISO or in the mapping's formats.
These checks run once per line of files a million lines long, so the common shapes
("1234.56", "2026-11-23") take a short path before the general parsers.

Whatever the importer, every field passes here: text holding a control character or a bidi
override is refused; identifiers (account numbers, invoice numbers, bank references) are
normalised before they are matched, so ``INV-0001001`` with a zero-width space, a Unicode
hyphen or a trailing NUL is the invoice ``INV-0001001`` (``arctui.domain.text``). Amounts
and dates take the digits 0-9 only, amounts within ``MAX_MINOR_UNITS`` and dates within
1900-2100; an invoice is more than zero unless the mapping declares credit notes.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import cached_property, lru_cache

from arctui.domain import text as text_rules
from arctui.domain.money import (
    CURRENCY_EXPONENTS,
    MAX_MINOR_UNITS,
    MoneyError,
    check_bounds,
    exponent,
    format_money,
    parse_money,
    shown,
)
from arctui.domain.statuses import CUSTOMER_STATUSES, PAYMENT_METHODS
from arctui.services.context import Context
from arctui.services.validate import EARLIEST_DAY, LATEST_DAY
from arctui.store.read import imports as read
from arctui.store.read.contacts import primary_contact_keys
from arctui.store.read.rates import book_currency

KINDS = ("customers", "contacts", "invoices", "payments", "rates")
RECEIPT_STATES = ("pending", "booked")  # what an import may say of a receipt (reversed is a service's)

# The fields each kind of record may carry, and those it must.
FIELDS = {
    "customers": (
        "account_no",
        "name",
        "region",
        "risk_class",
        "terms_days",
        "currency",
        "credit_limit",
        "status",
        "owner",
    ),
    "contacts": ("account_no", "name", "role", "email", "phone", "is_primary"),
    "invoices": (
        "number",
        "account_no",
        "issue_date",
        "due_date",
        "amount",
        "open",
        "currency",
        "po_number",
        "closed_date",
    ),
    "payments": (
        "bank_ref",
        "amount",
        "received_date",
        "method",
        "account_no",
        "currency",
        "remittance",
        "unapplied",
        "invoice_no",
    ),
    "rates": ("date", "currency", "rate", "base", "source"),
}
REQUIRED = {
    "customers": ("account_no", "name"),
    "contacts": ("account_no", "name"),
    "invoices": ("number", "account_no", "issue_date", "amount"),
    "payments": ("bank_ref", "amount", "received_date", "method"),
    "rates": ("date", "currency", "rate"),
}

_TRUE = {"1", "true", "yes", "y", "x", "primary"}
_FALSE = {"", "0", "false", "no", "n"}
# The dates a book may hold: anything outside is a typo or a placeholder (0001-01-01, 9999-12-31).
EARLIEST_DATE, LATEST_DATE = EARLIEST_DAY.isoformat(), LATEST_DAY.isoformat()


@dataclass(frozen=True)
class Options:
    """How to read a file: from the ``--mapping`` file, else what the formats detect."""

    # normalised header -> field, or the fields (of one or several kinds) it holds
    columns: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)
    date_formats: tuple[str, ...] = ()  # strptime formats tried after ISO YYYY-MM-DD
    decimal_comma: bool = False
    encoding: str | None = None  # None: detected
    delimiter: str | None = None  # None: detected
    sheet: str | None = None  # XLSX: None is the first sheet
    currency: str | None = None  # new customers', and amounts' when neither the
    # record nor its customer says (else USD)
    credit_notes: bool = False  # invoices: a negative line is a credit note (else refused)
    values: Mapping[str, str] = field(default_factory=dict)  # field -> constant for every line

    @property
    def default_currency(self) -> str:
        return self.currency or "USD"

    def shared_for(self, kind: str) -> dict[str, str]:
        """Fields of ``kind`` whose header the mapping also names for another field of it:
        {field: the field whose column it shares} (an export's invoice number that is also
        the payment's reference). The column gives both its value."""
        shared = {}
        for names in self.columns.values():
            if not isinstance(names, str):
                mine = [n for n in names if n in FIELDS.get(kind, ())]
                shared.update((extra, mine[0]) for extra in mine[1:])
        return shared

    def values_for(self, kind: str) -> dict[str, str]:
        """The mapping's ``[values]`` that are fields of ``kind``: each record of it gets them."""
        return {f: v for f, v in self.values.items() if f in FIELDS.get(kind, ())}


class LineError(Exception):
    """One field of one line that cannot be taken."""

    def __init__(self, field_name: str, reason: str):
        super().__init__(reason)
        self.field = field_name
        self.reason = reason


# ---- field conversions: text or typed value -> what the table stores ------------------------


def text(values: dict, name: str, *, multiline: bool = False) -> str | None:
    """The field as stripped text; None when absent or blank. A control character (tab and
    newline allowed in ``multiline`` text) or a bidi override is refused."""
    value = values.get(name)
    if value is None:
        return None
    value = str(value)
    if not (value.isascii() and value.isprintable()):
        try:
            value = text_rules.check_text(value, multiline=multiline)
        except text_rules.TextError as exc:
            raise LineError(name, f"{shown(value)} {exc}") from None
    return value.strip() or None


def required_text(values: dict, name: str) -> str:
    """The field as stripped text; refused when absent or blank, or as ``text`` refuses it."""
    value = values.get(name)
    if type(value) is not str or not (value.isascii() and value.isprintable()) or not (value := value.strip()):
        value = text(values, name)
        if value is None:
            raise LineError(name, "is required")
    return value


def identifier(values: dict, name: str) -> str | None:
    """The field as a key (``arctui.domain.text.identifier``); None when absent or blank."""
    value = values.get(name)
    if value is None:
        return None
    if type(value) is str and value.isascii() and value.isprintable() and value == value.strip() and "  " not in value:
        return value or None  # the common case: already a key as it is written
    value = str(value)
    try:
        return text_rules.identifier(value) or None
    except text_rules.TextError as exc:
        raise LineError(name, f"{shown(value)} {exc}") from None


def required_identifier(values: dict, name: str) -> str:
    value = identifier(values, name)
    if value is None:
        raise LineError(name, "is required")
    return value


@lru_cache(maxsize=64)
def _places(currency: str) -> int:
    return exponent(currency)


_TWO_PLACES = frozenset(code for code, places in CURRENCY_EXPONENTS.items() if places == 2)


def cents(value, name: str, currency: str, options: Options) -> int:
    """An amount as minor units: ints are minor units already; text is parsed."""
    if type(value) is str:
        # "1234.56" and "1,234.56", as most exports write them, without the general
        # parser's cost; anything else (symbols, signs, spaces, other places) goes to it
        if value[-3:-2] == "." and currency in _TWO_PLACES and not options.decimal_comma and len(value) < 16:
            whole, fraction = value[:-3], value[-2:]
            if "," in whole:
                groups = whole.split(",")
                if 0 < len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
                    whole = "".join(groups)
            if whole.isdigit() and fraction.isdigit() and value.isascii():
                minor = int(whole + fraction)
                if minor <= MAX_MINOR_UNITS:
                    return minor
        try:
            return parse_money(value, currency, decimal_comma=options.decimal_comma)
        except MoneyError as exc:
            raise LineError(name, str(exc)) from None
    if type(value) is int:
        try:
            return check_bounds(value, currency)
        except MoneyError as exc:
            raise LineError(name, str(exc)) from None
    raise LineError(name, "is required" if value is None else f"expected text or integer minor units, got {value!r}")


# ISO dates written as such and found in range: a file of a million lines holds a few thousand days
_DAYS_TAKEN: dict[str, str] = {}


def iso_date(value, name: str, options: Options) -> str:
    """A date as ISO text: a ``date``, ISO text, or text in one of the configured formats;
    written with the digits 0-9, from 1900 to 2100."""
    if value is None:
        raise LineError(name, "is required")
    if type(value) is str:
        day = _DAYS_TAKEN.get(value)
        if day is None:
            day = _in_range(_date_text(value.strip(), name, options), name)
            if day == value and len(_DAYS_TAKEN) < 100_000:
                _DAYS_TAKEN[value] = day
        return day
    if isinstance(value, datetime):
        return _in_range(value.date().isoformat(), name)
    if isinstance(value, date):
        return _in_range(value.isoformat(), name)
    raise LineError(name, f"expected a date, got {value!r}")


def _date_text(value: str, name: str, options: Options) -> str:
    if len(value) == 10 and value[4] == "-" and value[7] == "-" and value.isascii():
        try:
            date.fromisoformat(value)
            return value
        except ValueError:
            pass
    if not value:
        raise LineError(name, "is required")
    if not value.isascii():
        digit = next((c for c in value if c.isdigit() and not c.isascii()), None)
        if digit is not None:
            raise LineError(name, f"{shown(value)} has the non-ASCII digit {digit!r}; expected the digits 0-9")
    for fmt in options.date_formats:
        try:
            return datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    expected = " or ".join(("YYYY-MM-DD",) + options.date_formats)
    raise LineError(name, f"{shown(value)} is not a date; expected {expected}")


def _in_range(day: str, name: str) -> str:
    if EARLIEST_DATE <= day <= LATEST_DATE:
        return day
    raise LineError(name, f"{day} is out of range; expected a date from {EARLIEST_DATE} to {LATEST_DATE}")


def _currency(values: dict, fallback: str, name: str = "currency") -> str:
    code = text(values, name)
    if code is None:
        return fallback
    try:
        _places(code.upper())
    except MoneyError as exc:
        raise LineError(name, str(exc)) from None
    return code.upper()


def _choice(values: dict, name: str, allowed) -> str:
    value = required_text(values, name).lower().replace(" ", "_")
    if value not in allowed:
        raise LineError(name, f"{value!r} is not one of {', '.join(allowed)}")
    return value


def _flag(values: dict, name: str) -> int:
    value = (text(values, name) or "").lower()
    if value in _TRUE:
        return 1
    if value in _FALSE:
        return 0
    raise LineError(name, f"{value!r} is not yes or no")


MAX_TERMS_DAYS = 3650  # ten years: anything longer is a typo, and would not fit a date


def _whole_number(values: dict, name: str) -> int:
    value = required_text(values, name)
    if not (value.isdigit() and value.isascii()) or len(value) > 4 or int(value) > MAX_TERMS_DAYS:
        raise LineError(name, f"{shown(value)} is not a whole number of days from 0 to {MAX_TERMS_DAYS}")
    return int(value)


# ---- the four kinds: check a record, key it, fill defaults for a new row --------------------


class Lookups:
    """What the checks need from the database, loaded once per import."""

    def __init__(self, ctx: Context):
        self.customers = {
            text_rules.normalise_identifier(a["account_no"]): (a["id"], a["currency"], a["terms_days"])
            for a in read.account_keys(ctx.db)
        }
        self.by_id = {cid: (cur, terms) for cid, cur, terms in self.customers.values()}
        self.collectors = read.collector_ids(ctx.db)
        self.today = ctx.today().isoformat()
        self.now = ctx.now()
        self.db = ctx.db
        self._invoices: dict | None = None  # loaded when a payment first names an invoice
        self._primaries: dict | None = None  # customer id -> (key, name) of its primary contact

    def invoice(self, number: str) -> tuple[int, int, str, str] | None:
        """(id, customer id, currency, issue date) of the invoice ``number``, as keys match."""
        if self._invoices is None:
            normalise = text_rules.normalise_identifier
            self._invoices = {
                normalise(n): (i, c, cur, d)
                for i, n, c, cur, d in read.table_values(
                    self.db, "invoices", ("number", "customer_id", "currency", "issue_date")
                )
            }
        return self._invoices.get(number)

    @cached_property
    def book_currency(self) -> str:
        """What a rate without a base is quoted against."""
        return book_currency(self.db)

    def primary_contact(self, row: dict) -> None:
        """One primary contact per account: a line making a contact primary while another one
        is (in the book as the import found it, or since an earlier line) is refused. The
        primary moves with `arctui do contact edit --primary` or on the client screen."""
        if self._primaries is None:
            self._primaries = {k["customer_id"]: (_contact_key(k), k["name"]) for k in primary_contact_keys(self.db)}
        held = self._primaries.setdefault(row["customer_id"], (_contact_key(row), row["name"]))
        if held[0] != _contact_key(row):
            raise LineError(
                "is_primary",
                f"{shown(held[1])} is already this account's primary contact: one per account"
                " (move it with `arctui do contact edit --primary` or on the client screen)",
            )

    def customer(self, values: dict) -> tuple[int, str, int]:
        """(id, currency, terms) of the record's account."""
        found = self.customers.get(values.get("account_no"))
        if found is not None:
            return found
        account = required_identifier(values, "account_no")
        found = self.customers.get(account)
        if found is None:
            raise LineError("account_no", f"no customer {shown(account)}; import the customers first")
        return found


def _check_customer(v: dict, lk: Lookups, options: Options) -> dict:
    row = {"account_no": required_identifier(v, "account_no"), "name": required_text(v, "name")}
    if "region" in v:
        row["region"] = text(v, "region")
    if "risk_class" in v:
        row["risk_class"] = text(v, "risk_class")
    if "terms_days" in v:
        row["terms_days"] = _whole_number(v, "terms_days")
    currency = _currency(v, options.default_currency)
    if "currency" in v or options.currency:
        row["currency"] = currency
    if "credit_limit" in v:
        limit = text(v, "credit_limit")
        limit = row["credit_limit_cents"] = limit and cents(limit, "credit_limit", currency, options)
        if (limit or 0) < 0:
            raise LineError("credit_limit", "must not be negative")
    if "status" in v:
        row["status"] = _choice(v, "status", CUSTOMER_STATUSES)
    if "owner" in v:
        owner = row["owner"] = text(v, "owner")
        if owner is not None and owner not in lk.collectors:
            raise LineError("owner", f"no collector {shown(owner)}")
    return row


def _check_contact(v: dict, lk: Lookups, options: Options) -> dict:
    row = {"customer_id": lk.customer(v)[0], "name": required_text(v, "name")}
    for name in ("role", "phone"):
        if name in v:
            row[name] = text(v, name)
    if "email" in v:
        email = row["email"] = identifier(v, "email")
        if email is not None:
            local, at, domain = email.partition("@")
            if not (local and at and "." in domain) or " " in email:
                raise LineError("email", f"{shown(email)} is not an email address")
    if "is_primary" in v:
        row["is_primary"] = _flag(v, "is_primary")
        if row["is_primary"]:
            lk.primary_contact(row)
    return row


def _contact_key(row: dict):
    return row["customer_id"], text_rules.normalise_identifier(row.get("email") or row["name"]).casefold()


def _check_invoice(v: dict, lk: Lookups, options: Options) -> dict:
    customer_id, currency, _ = lk.customer(v)
    if "currency" in v and (code := _currency(v, currency)) != currency:
        raise LineError(
            "currency",
            f"{code} on an account billed in {currency}; expected {currency} (an account holds one currency:"
            f" bill {code} on an account of its own)",
        )
    issue = iso_date(v.get("issue_date"), "issue_date", options)
    row = {"number": required_identifier(v, "number"), "customer_id": customer_id, "issue_date": issue}
    if due := _date_from_issue(v, "due_date", issue, options):
        row["due_date"] = due
    amount = row["amount_cents"] = cents(v.get("amount"), "amount", currency, options)
    if amount == 0:
        raise LineError("amount", "is zero; expected the invoice's amount, more than zero")
    if amount < 0 and not options.credit_notes:
        raise LineError(
            "amount",
            f"{format_money(amount, currency)} is negative; expected more than zero "
            "(a file of credit notes says so with credit_notes = true in its --mapping file)",
        )
    if "open" in v:
        open_cents = row["open_cents"] = cents(v["open"], "open", currency, options)
        if (open_cents < 0 < amount or amount < 0 < open_cents) or abs(open_cents) > abs(amount):
            raise LineError(
                "open",
                f"{format_money(open_cents, currency)} is not between 0 and "
                f"the amount {format_money(amount, currency)}",
            )
    if "currency" in v:
        row["currency"] = currency
    if "po_number" in v:
        row["po_number"] = identifier(v, "po_number")
    if closed := _date_from_issue(v, "closed_date", issue, options):
        row["closed_date"] = closed
        if row.get("open_cents", amount) != 0:
            raise LineError(
                "closed_date",
                f"{closed} on an invoice still open ({format_money(row.get('open_cents', amount), currency)}); "
                'a closed invoice has an open of 0 (an open column, or open = "0" in the mapping\'s [values])',
            )
    return row


def _date_from_issue(v: dict, field: str, issue: str, options: Options) -> str | None:
    """An optional date of the invoice (blank: None) that is not before its issue date."""
    value = v.get(field)
    if type(value) is str:
        value = value.strip()
    if not value:
        return None
    day = iso_date(value, field, options)
    if day < issue:
        raise LineError(field, f"{day} is before the issue date {issue}")
    return day


def _invoice_defaults(row: dict, lk: Lookups) -> dict:
    currency, terms = lk.by_id[row["customer_id"]]
    if "due_date" not in row:
        due = date.fromisoformat(row["issue_date"]) + timedelta(days=terms)
        row["due_date"] = due.isoformat()
    if "currency" not in row:
        row["currency"] = currency
    if "open_cents" not in row:
        row["open_cents"] = row["amount_cents"]
    if row["open_cents"] == 0:
        row.setdefault("closed_date", lk.today)
    return row


def _invoice_changes(changed: dict, old: dict, lk: Lookups) -> dict:
    """An open amount reaching zero closes the invoice on the file's closed_date, else today;
    one reopened clears that."""
    if "open_cents" in changed:
        if changed["open_cents"] == 0:
            changed.setdefault("closed_date", lk.today)
        elif old["open_cents"] == 0:
            changed["closed_date"] = None
    return changed


def _check_payment(v: dict, lk: Lookups, options: Options) -> dict:
    """A receipt; one naming its invoice (``invoice_no``) carries ``invoice_id`` for the
    import to apply it there at its received date (not a column of the table)."""
    row = {"bank_ref": required_identifier(v, "bank_ref")}
    customer = lk.customer(v) if identifier(v, "account_no") else None
    number = identifier(v, "invoice_no")
    invoice = None
    if number is not None:
        invoice = lk.invoice(number)
        if invoice is None:
            raise LineError("invoice_no", f"no invoice {shown(number)}; import the invoices first")
        if customer is not None and customer[0] != invoice[1]:
            raise LineError(
                "invoice_no", f"{shown(number)} is another account's invoice than {shown(v.get('account_no'))}"
            )
        if customer is None:
            customer = (invoice[1], *lk.by_id[invoice[1]])
    row["customer_id"] = customer[0] if customer else None
    currency = row["currency"] = _currency(v, customer[1] if customer else options.default_currency)
    if invoice is not None:
        if currency != invoice[2]:
            raise LineError("invoice_no", f"{shown(number)} is in {invoice[2]}, the payment in {currency}")
        row["invoice_id"] = invoice[0]
    amount = row["amount_cents"] = cents(v.get("amount"), "amount", currency, options)
    if amount <= 0:
        raise LineError("amount", "a payment must be more than zero")
    row["received_date"] = iso_date(v.get("received_date"), "received_date", options)
    row["method"] = _choice(v, "method", PAYMENT_METHODS)
    if "remittance" in v:
        row["remittance"] = text(v, "remittance", multiline=True)
    unapplied = text(v, "unapplied")
    unapplied = row["unapplied_cents"] = (
        amount if unapplied is None else cents(unapplied, "unapplied", currency, options)
    )
    if not 0 <= unapplied <= amount:
        raise LineError("unapplied", "must be between 0 and the amount")
    # a bank importer's intraday entry (MT942) is pending until a statement books it; no
    # mapped file carries a state (it is not a field of FIELDS)
    row["state"] = _choice(v, "state", RECEIPT_STATES) if v.get("state") else "booked"
    return row


def _payment_conflicts(changed: dict, old: dict, lk: Lookups) -> dict:
    """A known receipt differs only where the bank's facts differ: its customer and its
    unapplied cash change as it is applied, and its state only as a statement books a
    pending one (``Kind.settles``; a pending entry seen again after booking stays booked).
    Booking it keeps the value date the intraday report gave, should the statement's differ."""
    conflicts = {k: v for k, v in changed.items() if k in ("amount_cents", "currency", "received_date")}
    if changed.get("state") == "booked" and old["state"] == "pending":
        conflicts.pop("received_date", None)
        conflicts["state"] = "booked"
    return conflicts


MAX_RATE_DIGITS = 15  # significant digits of a rate: the ECB publishes 5 or 6


def _check_rate(v: dict, lk: Lookups, options: Options) -> dict:
    """An exchange rate: 1 ``base`` (default: the book currency) = ``rate`` ``currency`` on
    ``date``. The rate is kept as exact decimal text, trailing zeros dropped."""
    required_text(v, "currency")
    currency = _currency(v, "")
    base = _currency(v, lk.book_currency, "base")
    if base == currency:
        raise LineError("currency", f"{currency} is the base too; expected a rate between two currencies")
    row = {"base": base, "currency": currency, "day": iso_date(v.get("date"), "date", options)}
    written = required_text(v, "rate")
    number = written.replace(",", ".") if options.decimal_comma else written
    try:
        rate = Decimal(number) if number.isascii() and number.replace(".", "", 1).isdigit() else None
    except InvalidOperation:
        rate = None
    if rate is None or rate == 0 or len(rate.normalize().as_tuple().digits) > MAX_RATE_DIGITS:
        raise LineError("rate", f"{shown(written)} is not a rate; expected a decimal number above zero such as 1.0856")
    row["rate"] = format(rate.normalize(), "f")
    if "source" in v:
        row["source"] = text(v, "source")
    return row


def _rate_key(row: dict) -> str:
    return f"{row['base']}/{row['currency']} {row['day']}"


def _customer_defaults(row: dict, lk: Lookups) -> dict:
    row["created_at"] = lk.now
    return row


def _no_defaults(row: dict, lk: Lookups) -> dict:
    return row


def _same_changes(changed: dict, old: dict, lk: Lookups) -> dict:
    return changed


def _key(name: str) -> Callable[[dict], str]:
    """The key of a row by its identifier field: normalised, so that a row stored before
    identifiers were normalised is still found by its clean key."""
    normalise = text_rules.normalise_identifier
    # a row without one (a receipt recorded by hand has no bank reference) no record can match
    return lambda row: None if row[name] is None else normalise(row[name])


@dataclass(frozen=True)
class Kind:
    """How one kind of record lands in its table."""

    table: str
    columns: tuple[str, ...]  # every column an import may set
    check: Callable[[dict, Lookups, Options], dict]
    key: Callable[[dict], object]
    key_field: str  # named when two lines share a key
    defaults: Callable[[dict, Lookups], dict] = _no_defaults
    changes: Callable[[dict, dict, Lookups], dict] = _same_changes
    updatable: bool = True
    settles: tuple[str, ...] = ()  # columns a row that is not updatable may still take (see changes)
    # the key's column, uniquely indexed: the rows a file names are looked up by it (None: the
    # table is small and read whole)
    lookup: str | None = None


KIND_RULES = {
    "customers": Kind(
        "customers",
        (
            "account_no",
            "name",
            "region",
            "risk_class",
            "terms_days",
            "currency",
            "credit_limit_cents",
            "status",
            "owner",
        ),
        _check_customer,
        _key("account_no"),
        "account_no",
        _customer_defaults,
        lookup="account_no",
    ),
    "contacts": Kind(
        "contacts",
        ("customer_id", "name", "role", "email", "phone", "is_primary"),
        _check_contact,
        _contact_key,
        "email",
    ),
    "invoices": Kind(
        "invoices",
        (
            "number",
            "customer_id",
            "issue_date",
            "due_date",
            "amount_cents",
            "open_cents",
            "currency",
            "po_number",
            "closed_date",
        ),
        _check_invoice,
        _key("number"),
        "number",
        _invoice_defaults,
        _invoice_changes,
        lookup="number",
    ),
    "payments": Kind(
        "payments",
        (
            "bank_ref",
            "customer_id",
            "currency",
            "amount_cents",
            "received_date",
            "method",
            "remittance",
            "unapplied_cents",
            "state",
        ),
        _check_payment,
        _key("bank_ref"),
        "bank_ref",
        changes=_payment_conflicts,
        updatable=False,
        settles=("state",),
        lookup="bank_ref",
    ),
    "rates": Kind("fx_rates", ("base", "currency", "day", "rate", "source"), _check_rate, _rate_key, "rate"),
}
