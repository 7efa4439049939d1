"""The import's short paths for common amounts and dates agree with the general parsers."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arctui.domain.money import MoneyError, parse_money
from arctui.services.import_checks import LineError, Options, cents, iso_date


def outcome(parse, *args):
    try:
        return parse(*args)
    except (LineError, MoneyError):
        return "refused"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789,.-$ ()", max_size=14))
def test_amounts_convert_exactly_as_parse_money_does(text):
    assert outcome(cents, text, "amount", "USD", Options()) == outcome(parse_money, text, "USD")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1,234.56", 123_456),
        ("1234.56", 123_456),
        ("(1,234.56)", -123_456),
        ("$1,234.56", 123_456),
        ("1234.5", 123_450),
        (" 12.00 ", 1_200),
        (12_345, 12_345),
    ],
)
def test_amount_shapes(text, expected):
    assert cents(text, "amount", "USD", Options()) == expected


def test_a_japanese_yen_amount_keeps_no_decimals():
    assert cents("1,234", "amount", "JPY", Options()) == 1_234
    with pytest.raises(LineError, match="more than 0 decimal places"):
        cents("1234.56", "amount", "JPY", Options())


def test_dates_iso_or_the_configured_formats():
    options = Options(date_formats=("%d/%m/%Y",))
    assert iso_date("2026-11-23", "d", options) == "2026-11-23"
    assert iso_date("23/11/2026", "d", options) == "2026-11-23"
    with pytest.raises(LineError, match=r"'2026-02-30' is not a date; expected YYYY-MM-DD or %d/%m/%Y"):
        iso_date("2026-02-30", "d", options)
    with pytest.raises(LineError, match="is required"):
        iso_date("  ", "d", options)
