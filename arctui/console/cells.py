"""How the console writes amounts, days and dates into narrow table cells."""

from datetime import date

from arctui.domain.money import format_money, to_decimal


def compact_money(cents: int, currency: str = "USD") -> str:
    """Whole major units, shortened past 100,000: "9,999", "123.4k", "1.23M"; blank for 0."""
    if not cents:
        return ""
    major = to_decimal(cents, currency)
    if abs(major) >= 1_000_000:
        return f"{major / 1_000_000:.2f}M"
    if abs(major) >= 100_000:
        return f"{major / 1_000:.1f}k"
    return f"{major:,.0f}"


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
