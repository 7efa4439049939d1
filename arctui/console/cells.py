"""How the console writes amounts, days and dates into narrow table cells."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from arctui.domain.money import format_money, to_decimal


def compact_money(cents: int, currency: str = "USD") -> str:
    """One notation per size, at most 6 characters: whole major units under 1,000, thousands
    with one decimal above, millions with two: "850", "8.8k", "96.1k", "106.2k", "1.23M";
    halves round up; blank for 0."""
    if not cents:
        return ""
    major = to_decimal(cents, currency)
    if _rounded(major, 0).copy_abs() < 1_000:
        return f"{_rounded(major, 0)}"
    if _rounded(major / 1_000, 1).copy_abs() < 1_000:
        return f"{_rounded(major / 1_000, 1)}k"
    return f"{_rounded(major / 1_000_000, 2)}M"


def _rounded(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def money(cents: int | None, currency: str = "USD") -> str:
    return "" if cents is None else format_money(cents, currency)


def days(n: int | None, none: str = "never") -> str:
    return none if n is None else str(n)


def short_date(day: date | str | None, today: date) -> str:
    """ "11-25" this year, "2025-11-25" otherwise, "" when missing."""
    if day is None:
        return ""
    text = day.isoformat() if isinstance(day, date) else day[:10]
    return text[5:] if text[:4] == str(today.year) else text
