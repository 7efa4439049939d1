"""The fields of ``arctui do``: one per option, the same name as a CSV column of ``--from``.

Each field turns the text typed (or the cell read) into what its service takes: an account
number into the account, invoice numbers into ids, an amount into minor units of the record's
own currency, a date, a whole number, yes/no. What only a service can judge (a code of a
vocabulary, a cap, a version) the service judges, so a refusal reads the same as in the
console.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from arctui.domain.money import parse_money, shown
from arctui.services.context import Context
from arctui.services.errors import InvalidInput, NotFound
from arctui.services.records import entity_name, get
from arctui.services.validate import identifier
from arctui.store.read.accounts import customer_id_by_account_no
from arctui.store.read.cash import invoices_by_number

_YES = {"yes", "y", "true", "1", "x"}
_NO = {"no", "n", "false", "0"}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Row:
    """The fields of one action as converted so far: a money field takes the currency of the
    record a field before it named (the account, invoice or payment)."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.values: dict = {}

    @property
    def currency(self) -> str:
        for value in self.values.values():
            if isinstance(value, dict) and value.get("currency"):
                return value["currency"]
        raise ValueError("give the record it is an amount of first")


@dataclass(frozen=True)
class Field:
    """An option ``--name`` (a column ``name`` of ``--from``) converted by ``convert``."""

    name: str
    help: str
    convert: Callable[[Row, str], object] = lambda row, raw: raw
    """Text to the value the service takes; raises ValueError saying what was expected."""
    required: bool = False
    flag: bool = False
    said_as: str | None = None
    """What the service's refusals call this field, when not by its name."""


def whole(row: Row, raw: str) -> int:
    """A whole number the book can hold (ids, versions, counts, days): digits 0-9, at most 15."""
    text = raw.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 15):
        raise ValueError(f"expected a whole number, got {shown(raw)}")
    return int(text)


def day(row: Row, raw: str) -> date:
    value = raw.strip()
    if not _ISO_DATE.fullmatch(value):
        raise ValueError(f"expected a date YYYY-MM-DD, got {raw!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value} is not a calendar date") from None


def money(row: Row, raw: str) -> int:
    """Minor units of the currency of the record named before it (``MoneyError`` is a ValueError)."""
    return parse_money(raw, row.currency)


def yes_no(row: Row, raw) -> bool:
    if isinstance(raw, bool):  # a command-line flag
        return raw
    word = raw.strip().lower()
    if word not in _YES | _NO:
        raise ValueError(f"expected yes or no, got {raw!r}")
    return word in _YES


def account(row: Row, raw: str) -> dict:
    number = identifier("account", raw) or ""
    customer_id = customer_id_by_account_no(row.ctx.db, number)
    if customer_id is None:
        raise ValueError(f"no account {number!r}")
    return get(row.ctx.db, "customers", customer_id)


def invoice_numbers(row: Row, raw: str) -> list[dict]:
    """Invoices by number, apart by spaces, commas or semicolons."""
    numbers = [identifier("invoices", n) for n in re.split(r"[\s,;]+", raw) if n.strip()]
    found = {i["number"].upper(): i for i in invoices_by_number(row.ctx.db, numbers + [n.upper() for n in numbers])}
    missing = [n for n in numbers if n.upper() not in found]
    if missing:
        raise ValueError(f"no invoice {', '.join(missing)}")
    return [found[n.upper()] for n in numbers]


def invoice(row: Row, raw: str) -> dict:
    found = invoice_numbers(row, raw)
    if len(found) != 1:
        raise ValueError(f"name one invoice, not {len(found)}")
    return found[0]


def some_of(choices: tuple[str, ...]) -> Callable[[Row, str], tuple[str, ...]]:
    """A comma-separated list of ``choices`` (e.g. ``role,email``)."""

    def convert(row: Row, raw: str) -> tuple[str, ...]:
        names = tuple(name.strip() for name in raw.split(",") if name.strip())
        for name in names:
            if name not in choices:
                raise ValueError(f"expected some of {', '.join(choices)}, got {name!r}")
        return names

    return convert


def record(table: str) -> Callable[[Row, str], dict]:
    """A record of ``table`` by its id (what ``--json`` printed when it was written)."""

    def convert(row: Row, raw: str) -> dict:
        row_id = whole(row, raw)
        try:
            return get(row.ctx.db, table, row_id)
        except NotFound:
            raise ValueError(f"no {entity_name(table)} {row_id}") from None

    return convert


def convert_row(ctx: Context, fields: list[Field], given: dict) -> dict:
    """The fields' values from ``given`` (text, or a flag's bool; None or blank: not given),
    each named in its refusal; a field not given is None."""
    row = Row(ctx)
    for field in fields:
        raw = given.get(field.name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if field.required:
                raise InvalidInput(field.name, f"is required (--{field.name})")
            row.values[field.name] = None
            continue
        try:
            row.values[field.name] = field.convert(row, raw)
        except (ValueError, NotFound) as exc:
            raise InvalidInput(field.name, str(exc)) from None
    return row.values
