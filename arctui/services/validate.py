"""Field checks shared by the services; each raises InvalidInput naming the field.

Every text a collector types reaches the database through one of ``required``, ``optional``,
``note`` or ``identifier``: a control character or a bidi override is refused there, for the
console's forms and the CLI alike (see ``arctui.domain.text``).
"""

from datetime import date

from arctui.domain import text as rules
from arctui.domain.money import format_money
from arctui.services.errors import InvalidInput


def choice(field: str, value, allowed) -> None:
    if value not in allowed:
        raise InvalidInput(field, f"{value!r} is not one of {', '.join(map(str, allowed))}")


def positive_cents(field: str, cents: int) -> None:
    if not isinstance(cents, int) or isinstance(cents, bool):
        raise InvalidInput(field, f"expected an amount in integer cents, got {cents!r}")
    if cents <= 0:
        raise InvalidInput(field, "must be more than zero")


def at_most(field: str, cents: int, limit: int, what: str, currency: str = "USD") -> None:
    if cents > limit:
        raise InvalidInput(
            field, f"{format_money(cents, currency)} is more than {what} ({format_money(limit, currency)})"
        )


EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(2100, 12, 31)
"""The days a book holds, from a form, the command line or a file: a day outside them is a
slip (20260 for 2026), not a date anyone collects on."""


def a_day(field: str, day) -> date:
    """``day`` when it is a date from ``EARLIEST_DAY`` to ``LATEST_DAY``."""
    if not isinstance(day, date):
        raise InvalidInput(field, f"expected a date, got {day!r}")
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise InvalidInput(
            field, f"{day.isoformat()} is out of range; expected a date from {EARLIEST_DAY} to {LATEST_DAY}"
        )
    return day


def not_before(field: str, day: date, earliest: date) -> None:
    if a_day(field, day) < earliest:
        raise InvalidInput(field, f"{day.isoformat()} is before {earliest.isoformat()}")


def required(field: str, text: str) -> str:
    """One line of text, stripped; refused when blank or holding a control character."""
    text = optional(field, text)
    if text is None:
        raise InvalidInput(field, "is required")
    return text


def optional(field: str, text: str | None) -> str | None:
    """One line of text, stripped, or None when blank; refused when holding a control character."""
    return _checked(field, text, multiline=False)


def note(field: str, text: str | None) -> str | None:
    """Free text that may run over lines (tab and newline kept, CRLF read as a newline),
    stripped, or None when blank; refused when holding any other control character."""
    return _checked(field, text, multiline=True)


def identifier(field: str, text: str | None) -> str | None:
    """An invoice number, account number or bank reference as its key (None when blank):
    zero-width and format characters, NUL and Unicode dashes folded away, so what looks the
    same matches; a control character that would act on a terminal is refused."""
    if text is None:
        return None
    try:
        return rules.identifier(str(text)) or None
    except rules.TextError as exc:
        raise InvalidInput(field, str(exc)) from None


def _checked(field: str, text, multiline: bool) -> str | None:
    if text is None:
        return None
    try:
        return rules.check_text(str(text), multiline=multiline).strip() or None
    except rules.TextError as exc:
        raise InvalidInput(field, str(exc)) from None


def iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None
