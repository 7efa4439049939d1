"""The book currency and conversions: rates looked up by day (direct, inverted, crossed,
stale, missing), exact conversion into minor units, and who may set the book currency."""

from datetime import date
from decimal import Decimal

import pytest

from arctui.domain.authority import AuthorityError
from arctui.domain.money import MoneyError, convert
from arctui.services.context import Context, fixed_clock
from arctui.services.currency import convert_cents, set_book_currency
from arctui.services.errors import InvalidInput
from arctui.store.read.rates import STALE_AFTER_DAYS, book_currency, coverage, rate
from tests.enrol import enrol

from .conftest import TODAY, audit_actions


def add_rates(db, *rates):
    """(base, currency, day, rate) rows, as an import writes them."""
    db["fx_rates"].insert_all({"base": b, "currency": c, "day": d, "rate": r, "source": "test"} for b, c, d, r in rates)


@pytest.fixture
def manager(db):
    enrol(db, "mia", "Mia Manager", role="manager")
    return Context(db, "mia", fixed_clock(TODAY))


@pytest.fixture
def rates(db):
    add_rates(
        db,
        ("EUR", "USD", "2026-11-20", "1.05"),
        ("EUR", "CAD", "2026-11-20", "1.5"),
        ("EUR", "USD", "2026-11-23", "1.04"),
        ("EUR", "JPY", "2026-11-23", "160"),
        ("EUR", "CAD", "2026-11-10", "1.4"),
    )
    return db


def test_a_rate_is_the_latest_on_or_before_the_day(rates):
    assert rate(rates, "EUR", "USD", date(2026, 11, 23)) == Decimal("1.04")
    assert rate(rates, "EUR", "USD", date(2026, 11, 22)) == Decimal("1.05")  # a weekend takes Friday's
    assert rate(rates, "eur", "usd", date(2026, 11, 19)) is None  # nothing on or before that day
    assert rate(rates, "CHF", "CHF", date(1999, 1, 1)) == 1


def test_the_other_way_round_a_rate_is_inverted(rates):
    assert rate(rates, "USD", "EUR", date(2026, 11, 23)) == 1 / Decimal("1.04")


def test_two_rates_of_one_day_on_a_common_base_make_a_cross_rate(rates):
    # 1 EUR = 1.5 CAD = 1.05 USD on 2026-11-20, so 1 CAD = 0.7 USD
    assert rate(rates, "CAD", "USD", date(2026, 11, 20)) == Decimal("0.7")
    # on the 23rd EUR/CAD is three days old: the latest day with both rates is the 20th
    assert rate(rates, "CAD", "USD", date(2026, 11, 23)) == Decimal("0.7")
    assert rate(rates, "JPY", "CAD", date(2026, 11, 23)) is None  # no day has both


def test_a_direct_rate_wins_over_a_cross_rate_of_the_same_day(rates):
    add_rates(rates, ("CAD", "USD", "2026-11-20", "0.71"))
    assert rate(rates, "CAD", "USD", date(2026, 11, 20)) == Decimal("0.71")


def test_a_rate_older_than_the_limit_covers_nothing(rates):
    assert STALE_AFTER_DAYS == 10
    assert rate(rates, "EUR", "CAD", date(2026, 11, 19)) == Decimal("1.4")  # 9 days old
    assert rate(rates, "EUR", "CAD", date(2026, 11, 20)) == Decimal("1.5")
    add_rates(rates, ("EUR", "GBP", "2026-11-10", "0.87"))
    assert rate(rates, "EUR", "GBP", date(2026, 11, 20)) == Decimal("0.87")  # 10 days old: still covers
    assert rate(rates, "EUR", "GBP", date(2026, 11, 21)) is None  # 11 days: stale, not a guess


def test_convert_rounds_half_to_even_in_the_target_currencys_minor_units():
    assert convert(125, "EUR", "USD", Decimal("0.5")) == 62  # 0.625 -> 0.62
    assert convert(135, "EUR", "USD", Decimal("0.5")) == 68  # 0.675 -> 0.68
    assert convert(1_000, "EUR", "JPY", Decimal("160.55")) == 1_606  # 10 EUR = 1,605.5 JPY, no decimals
    assert convert(1_500, "JPY", "EUR", Decimal("0.00625")) == 938  # 1,500 JPY = 9.375 EUR
    assert convert(1_000, "USD", "KWD", Decimal("0.30755")) == 3_076  # 10 USD = 3.0755 KWD: 3 decimals
    assert convert(1_234_567, "KWD", "USD", Decimal("3.25")) == 401_234  # 1,234.567 KWD = 4,012.34 USD
    assert convert(999_999_999_999, "USD", "USD", Decimal(1)) == 999_999_999_999  # exact at the largest amount
    with pytest.raises(MoneyError, match="above zero"):
        convert(100, "EUR", "USD", Decimal(0))
    with pytest.raises(MoneyError, match="not money"):
        convert(100, "XXX", "USD", Decimal(1))


def test_convert_cents_goes_into_the_book_currency_unless_told(rates):
    assert book_currency(rates) == "USD"  # the accounts' currency, nothing set
    assert convert_cents(rates, 10_000, "EUR", date(2026, 11, 23)) == 10_400
    assert convert_cents(rates, 10_000, "CAD", date(2026, 11, 20)) == 7_000
    assert convert_cents(rates, 10_000, "USD", date(2026, 11, 23), target="JPY") == 15_385  # 100 / 1.04 * 160
    assert convert_cents(rates, 10_000, "EUR", date(2026, 11, 19)) is None


def test_a_manager_sets_the_book_currency_in_one_audited_write(db, manager):
    assert set_book_currency(manager, " eur ") == "EUR"
    assert book_currency(db) == "EUR"
    row = db.execute("SELECT value, updated_by FROM book_settings WHERE key = 'currency'").fetchone()
    assert tuple(row) == ("EUR", "mia")
    assert audit_actions(db)[-1] == "book.currency"
    before = len(audit_actions(db))
    set_book_currency(manager, "EUR")  # the same again changes nothing
    assert len(audit_actions(db)) == before
    set_book_currency(manager, "CHF")
    last = db.execute("SELECT actor, before, after FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    assert last[0] == "mia" and '"EUR"' in last[1] and '"CHF"' in last[2]


def test_a_collector_or_a_lead_may_not_set_the_book_currency(db, as_user):
    for login in ("alice", "lead"):
        with pytest.raises(AuthorityError, match=f"{login} is not a manager"):
            set_book_currency(as_user(login), "EUR")
    assert book_currency(db) == "USD"
    assert "book.currency" not in audit_actions(db)


@pytest.mark.parametrize("code", ["XXX", "XAU", "EURO", "ZZZ", ""])
def test_the_book_currency_must_be_money(db, manager, code):
    with pytest.raises(InvalidInput, match="book currency"):
        set_book_currency(manager, code)
    assert db.execute("SELECT count(*) FROM book_settings").fetchone()[0] == 0


def test_coverage_says_per_pair_which_days_the_rates_cover(rates):
    assert coverage(rates) == [
        {"base": "EUR", "currency": "CAD", "first_day": "2026-11-10", "last_day": "2026-11-20", "rows": 2},
        {"base": "EUR", "currency": "JPY", "first_day": "2026-11-23", "last_day": "2026-11-23", "rows": 1},
        {"base": "EUR", "currency": "USD", "first_day": "2026-11-20", "last_day": "2026-11-23", "rows": 2},
    ]
