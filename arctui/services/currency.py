"""The book currency and conversions into it.

Amounts stay in their own currency everywhere; a team that wants one total sets a book
currency (a manager's decision) and imports rates (``arctui import rates`` / ``ecb``).
A conversion no rate covers is None: the caller shows the amount in its own currency.
"""

from datetime import date

from arctui.domain.money import MoneyError, convert, exponent
from arctui.services.book_settings import set_book_setting
from arctui.services.context import Context
from arctui.services.errors import InvalidInput
from arctui.store.read import rates


def convert_cents(db, cents: int, source: str, day: date, target: str | None = None) -> int | None:
    """``cents`` of ``source`` in minor units of ``target`` (default: the book currency) at
    the rate of ``day``; None when no rate covers that day."""
    target = target or rates.book_currency(db)
    found = rates.rate(db, source, target, day)
    return None if found is None else convert(cents, source, target, found)


def set_book_currency(ctx: Context, code: str) -> str:
    """Set the book currency to ``code`` (an ISO 4217 currency); only an active manager may.
    Returns the code as stored (upper case)."""
    code = (code or "").strip().upper()
    try:
        exponent(code)
    except MoneyError as exc:
        raise InvalidInput("book currency", str(exc)) from None
    set_book_setting(ctx, "book.currency", rates.BOOK_CURRENCY, code, "the book currency")
    return code
