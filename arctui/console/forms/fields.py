"""Field parsers for the action forms: each takes the widget's raw value and returns the
typed value or raises ``ValueError`` with the message shown beside the field."""

import re
from datetime import date

from arctui.domain.money import format_money, parse_money

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def required_text(raw: str) -> str:
    text = raw.strip()
    if not text:
        raise ValueError("required")
    return text


def optional_text(raw: str) -> str:
    return raw.strip()


def choice(raw, *, empty: str | None = None):
    """A Select's value; ``None`` (nothing chosen) is refused, with ``empty`` as the
    message when there was nothing to choose from."""
    if raw is None:
        raise ValueError(empty or "choose one")
    return raw


def iso_date(raw: str, *, not_before: date | None = None, optional: bool = False) -> date | None:
    text = raw.strip()
    if not text and optional:
        return None
    if not _ISO_DATE.fullmatch(text):
        raise ValueError("expected a date YYYY-MM-DD")
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text} is not a calendar date") from None
    if not_before is not None and value < not_before:
        raise ValueError(f"must be on or after {not_before.isoformat()}")
    return value


def amount(
    raw: str, currency: str, *, most: int | None = None, what: str = "the open balance", optional: bool = False
) -> int:
    """A positive amount in ``currency`` minor units, not above ``most`` when given;
    ``optional`` takes a blank as zero."""
    if optional and not raw.strip():
        return 0
    cents = parse_money(raw, currency)
    if cents <= 0:
        raise ValueError("must be more than zero")
    if most is not None and cents > most:
        raise ValueError(f"above {what} of {format_money(most, currency)}")
    return cents


def count(raw: str, *, least: int = 1, most: int = 120) -> int:
    text = raw.strip()
    if not text.isdigit() or not least <= int(text) <= most:
        raise ValueError(f"expected a whole number from {least} to {most}")
    return int(text)
