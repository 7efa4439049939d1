"""The book currency and the exchange rates that convert into it.

``fx_rates`` holds what a rates source publishes: 1 ``base`` = ``rate`` units of ``currency``
on ``day`` (the ECB's reference rates have base EUR). A conversion uses the latest rate on or
before the day asked for, never a rate older than ``STALE_AFTER_DAYS``: an amount no rate
covers is None, not a silent guess.
"""

from datetime import date, timedelta
from decimal import Decimal

from sqlite_utils import Database

from arctui.domain.money import exponent
from arctui.store.read import BOOK_CURRENCY_SQL, first, rows, value

STALE_AFTER_DAYS = 10
"""A rate covers the days up to this many calendar days after its own (weekends, holidays)."""

BOOK_CURRENCY = "currency"
"""The ``book_settings`` key of the book currency."""


def book_setting(db: Database, key: str) -> str | None:
    """The value of the book setting ``key``, or None when it was never set."""
    return value(db, "SELECT value FROM book_settings WHERE key = ?", [key])


def book_currency(db: Database) -> str:
    """The currency the team set for the book; else the currency most accounts are billed in
    (USD in an empty book)."""
    return value(db, f"SELECT {BOOK_CURRENCY_SQL}")


def rate(db: Database, source: str, target: str, day: date) -> Decimal | None:
    """Units of ``target`` per 1 unit of ``source`` on ``day``: 1 when they are the same; else
    from the latest rate on or before ``day`` and at most ``STALE_AFTER_DAYS`` before it, taken
    as published (base ``source``), inverted (base ``target``), or crossed through a common
    base (two rates of one day: CAD to USD from EUR/CAD and EUR/USD). The most recent wins,
    a direct rate before an inverted one before a cross rate on the same day. None when no
    rate covers ``day``."""
    source, target = source.upper(), target.upper()
    if source == target:
        return Decimal(1)
    window = {"source": source, "target": target, "first": (day - timedelta(days=STALE_AFTER_DAYS)).isoformat()}
    window["last"] = day.isoformat()
    found = []  # (day, preference, rate)
    for preference, (base, currency) in enumerate(((source, target), (target, source))):
        row = first(
            db,
            "SELECT day, rate FROM fx_rates WHERE base = :base AND currency = :currency"
            " AND day BETWEEN :first AND :last ORDER BY day DESC LIMIT 1",
            {**window, "base": base, "currency": currency},
        )
        if row is not None:
            published = Decimal(row["rate"])
            found.append((row["day"], -preference, published if preference == 0 else 1 / published))
    cross = first(
        db,
        "SELECT s.day, s.rate AS source_rate, t.rate AS target_rate FROM fx_rates s"
        " JOIN fx_rates t ON t.base = s.base AND t.day = s.day AND t.currency = :target"
        " WHERE s.currency = :source AND s.day BETWEEN :first AND :last ORDER BY s.day DESC, s.base LIMIT 1",
        window,
    )
    if cross is not None:
        found.append((cross["day"], -2, Decimal(cross["target_rate"]) / Decimal(cross["source_rate"])))
    return max(found)[2] if found else None


def book_units(db: Database, day: date) -> dict[str, float]:
    """Per account currency a rate converts into the book currency on ``day``: its minor
    units per major unit of the book currency (the queue weighs past-due money by it, so a
    yen balance ranks as what it is worth). Empty while the book has no rates."""
    if value(db, "SELECT 1 FROM fx_rates LIMIT 1") is None:
        return {}
    book, units = book_currency(db), {}
    for code in [r["currency"] for r in rows(db, "SELECT DISTINCT currency FROM customers")]:
        if (found := rate(db, code, book, day)) is not None:
            units[code] = 10 ** exponent(code) / float(found)
    return units


def coverage(db: Database) -> list[dict]:
    """Per (base, currency): the first and last day with a rate, and how many rates."""
    return rows(
        db,
        "SELECT base, currency, min(day) AS first_day, max(day) AS last_day, count(*) AS rows"
        " FROM fx_rates GROUP BY base, currency ORDER BY base, currency",
    )
