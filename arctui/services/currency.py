"""The book currency and conversions into it.

Amounts stay in their own currency everywhere; a team that wants one total sets a book
currency (a manager's decision) and imports rates (``arctui import rates`` / ``ecb``).
A conversion no rate covers is None: the caller shows the amount in its own currency.
"""

from datetime import date

from arctui.domain.authority import AuthorityError
from arctui.domain.money import MoneyError, convert, exponent
from arctui.services.context import Context
from arctui.services.errors import InvalidInput
from arctui.services.records import action
from arctui.store.read import rates, team


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
    with action(ctx, "book.currency", "book_settings", rates.BOOK_CURRENCY) as act:
        who = team.collector(act.db, ctx.user)
        if who is None or not who["active"] or who["role"] != "manager":
            raise AuthorityError(f"{ctx.user} is not a manager: only a manager sets the book currency")
        before = rates.book_setting(act.db, rates.BOOK_CURRENCY)
        if before == code:
            return code
        act.db.execute(
            "INSERT INTO book_settings (key, value, updated_by, updated_at) VALUES (:key, :value, :by, :at)"
            " ON CONFLICT (key) DO UPDATE SET value = :value, updated_by = :by, updated_at = :at",
            {"key": rates.BOOK_CURRENCY, "value": code, "by": ctx.user, "at": ctx.now()},
        )
        key = f"book_settings/{rates.BOOK_CURRENCY}"
        act.before[key] = {"value": before}
        act.after[key] = {"value": code}
    return code
