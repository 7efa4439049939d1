import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arctui.domain.money import (
    CURRENCY_EXPONENTS,
    MAX_MINOR_UNITS,
    MoneyError,
    check_bounds,
    exponent,
    format_money,
    parse_money,
    to_decimal,
)


def test_exponents_follow_iso_4217():
    assert exponent("USD") == 2
    assert exponent("jpy") == 0
    assert exponent("KWD") == 3
    assert exponent("HUF") == 2
    assert exponent("CLF") == 4
    assert exponent("XOF") == 0
    # ISO's minor units where CLDR's display digits are fewer
    assert CURRENCY_EXPONENTS["IQD"] == 3
    assert exponent("AFN") == 2
    assert [exponent(code) for code in ("HUF", "COP", "IDR")] == [2, 2, 2]  # CLDR 47 (babel 2.19) says 0
    assert len(CURRENCY_EXPONENTS) > 250  # every ISO 4217 code, not a hand-picked few


def test_exponent_refuses_a_non_code():
    with pytest.raises(MoneyError, match="'US' is not a 3-letter ISO 4217 code"):
        exponent("US")


@pytest.mark.parametrize("code", ["XXX", "XTS", "XAU", "xdr"])
def test_exponent_refuses_codes_that_are_not_money(code):
    with pytest.raises(MoneyError, match="is not money"):
        exponent(code)


def test_exponent_refuses_an_unknown_code():
    with pytest.raises(MoneyError, match="'XYZ' is not an ISO 4217 currency code"):
        exponent("XYZ")


@pytest.mark.parametrize(
    "text, cents",
    [
        ("1234.5", 123450),
        ("  $1,234.56 ", 123456),
        ("USD 1,234.50", 123450),
        ("1,234.50 usd", 123450),
        ("(1,234.56)", -123456),
        ("($1,234.56)", -123456),
        ("USD (12)", -1200),
        ("-$12", -1200),
        ("$-12", -1200),
        ("12.00-", -1200),
        ("1 234 567.89", 123456789),
        ("1'234.56", 123456),
        (".5", 50),
        ("7.", 700),
        ("1.230", 123),
        ("0", 0),
    ],
)
def test_parse_money_accepts_what_people_and_erps_write(text, cents):
    assert parse_money(text) == cents


def test_parse_money_decimal_comma():
    assert parse_money("1.234,56", "EUR", decimal_comma=True) == 123456
    assert parse_money("€ 1 234,5", "EUR", decimal_comma=True) == 123450
    assert parse_money("-12", "EUR", decimal_comma=True) == -1200


def test_parse_money_uses_the_currency_exponent():
    assert parse_money("¥1,235", "JPY") == 1235
    assert parse_money("KWD 1.234", "KWD") == 1234


@pytest.mark.parametrize(
    "text, currency, message",
    [
        ("1.234", "USD", "1.234 has more than 2 decimal places for USD"),
        ("1.5", "JPY", "1.5 has more than 0 decimal places for JPY"),
        ("abc", "USD", "'abc' is not an amount"),
        ("", "USD", "empty amount"),
        ("   ", "USD", "empty amount"),
        ("1,23", "USD", "'1,23' is not an amount"),
        ("1e5", "USD", "'1e5' is not an amount"),
        ("12..3", "USD", "'12..3' is not an amount"),
        ("--5", "USD", "negated twice"),
        ("(-5)", "USD", "negated twice"),
        ("EUR 5", "USD", "'EUR 5' is in EUR, expected USD"),
    ],
)
def test_parse_money_refuses_with_a_reason(text, currency, message):
    with pytest.raises(MoneyError, match=re.escape(message)):
        parse_money(text, currency)


@pytest.mark.parametrize(
    "cents, currency, symbol, text",
    [
        (123456, "USD", True, "$1,234.56"),
        (-1200, "USD", True, "-$12.00"),
        (5, "USD", True, "$0.05"),
        (0, "EUR", True, "€0.00"),
        (123456, "GBP", True, "£1,234.56"),
        (1235, "JPY", True, "¥1,235"),
        (1234, "KWD", True, "KWD 1.234"),
        (-1234, "kwd", True, "-KWD 1.234"),
        (123456, "USD", False, "1,234.56"),
        (-5, "USD", False, "-0.05"),
    ],
)
def test_format_money(cents, currency, symbol, text):
    assert format_money(cents, currency, symbol=symbol) == text


def test_to_decimal_is_exact():
    assert to_decimal(12345, "USD") == Decimal("123.45")
    assert to_decimal(-5, "KWD") == Decimal("-0.005")
    assert to_decimal(7, "JPY") == Decimal(7)
    assert to_decimal(10**40 + 1, "USD") == Decimal("1" + "0" * 38 + ".01")


@settings(max_examples=200)
@given(
    st.integers(-MAX_MINOR_UNITS, MAX_MINOR_UNITS),
    st.sampled_from(["USD", "JPY", "KWD", "CHF"]),
    st.booleans(),
)
def test_format_then_parse_round_trips(cents, currency, symbol):
    assert parse_money(format_money(cents, currency, symbol=symbol), currency) == cents


@pytest.mark.parametrize(
    "text, currency",
    [
        ("9223372036854775808", "USD"),  # 2**63: SQLite cannot even bind it
        ("92233720368547758.08", "USD"),
        ("-10,000,000,000.00", "USD"),
        ("1000000000000", "JPY"),
        ("9" * 5000, "USD"),
    ],
)
def test_an_amount_out_of_range_is_refused_naming_the_bounds(text, currency):
    largest = format_money(MAX_MINOR_UNITS, currency, symbol=False)
    with pytest.raises(
        MoneyError, match=re.escape(f"is out of range; expected an amount between -{largest} and {largest}")
    ):
        parse_money(text, currency)


def test_the_bounds_are_the_largest_amount_and_hold_a_million_of_them_in_64_bits():
    assert parse_money("9,999,999,999.99") == MAX_MINOR_UNITS == check_bounds(MAX_MINOR_UNITS)
    assert parse_money("-9,999,999,999.99") == -MAX_MINOR_UNITS
    assert MAX_MINOR_UNITS * 1_000_000 < 2**63
    with pytest.raises(MoneyError, match="'9223372036854775807' is out of range"):
        check_bounds(2**63 - 1)


@pytest.mark.parametrize(
    "text, digit",
    [
        ("\u0661\u0662\u0663", "\u0661"),  # Arabic-Indic: int() and Decimal() take them
        ("\uff11\uff12\uff13.00", "\uff11"),  # fullwidth
        ("$1,\u0968\u0969\u096a.00", "\u0968"),  # Devanagari, inside an otherwise good amount
        ("12\u00b3", "\u00b3"),  # a superscript
    ],
)
def test_non_ascii_digits_are_refused(text, digit):
    with pytest.raises(MoneyError, match=re.escape(f"has the non-ASCII digit {digit!r}; expected the digits 0-9")):
        parse_money(text)
