"""Field checks shared by the services; each raises InvalidInput naming the field."""

from datetime import date

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


def not_before(field: str, day: date, earliest: date) -> None:
    if not isinstance(day, date):
        raise InvalidInput(field, f"expected a date, got {day!r}")
    if day < earliest:
        raise InvalidInput(field, f"{day.isoformat()} is before {earliest.isoformat()}")


def required(field: str, text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(field, "is required")
    return text


def iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None
