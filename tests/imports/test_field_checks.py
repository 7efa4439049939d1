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


# ---- rejected lines said once per cause (issue 11) ---------------------------------------


def test_a_date_format_is_suggested_only_when_it_reads_every_refused_date():
    from arctui.services.import_summary import date_formats_for

    assert date_formats_for(["1/2/2013", "12/31/2013"]) == ["%m/%d/%Y"]
    assert date_formats_for(["31/12/2013", "1/2/2013"]) == ["%d/%m/%Y"]
    assert date_formats_for(["1/2/2013", "3/4/2013"])[:2] == ["%m/%d/%Y", "%d/%m/%Y"]
    assert date_formats_for(["31.12.2013"]) == ["%d.%m.%Y"]
    assert date_formats_for(["12/31/2013", "31/12/2013"]) == []  # no one format: none named


def test_causes_group_by_file_field_and_words_and_one_line_is_said_as_before():
    from arctui.services.import_summary import summarise
    from arctui.services.imports import Rejected

    bad = [Rejected("a.csv", n, "amount", f"'x{n}' is not an amount; expected a number like 1,234.56") for n in (2, 9)]
    bad += [Rejected("a.csv", 4, "issue_date", "'2013-02-30' is not a date; expected YYYY-MM-DD")]
    bad += [Rejected("b.csv", 3, "amount", "'x' is not an amount; expected a number like 1,234.56")]
    assert summarise(bad) == [
        "a.csv: 2 lines: amount 'x2' is not an amount; expected a number like 1,234.56 (lines 2, 9)",
        "a.csv:4: issue_date: '2013-02-30' is not a date; expected YYYY-MM-DD",
        "b.csv:3: amount: 'x' is not an amount; expected a number like 1,234.56",
    ]
    dates = [Rejected("a.csv", n, "due_date", "'2013-13-01' is not a date; expected YYYY-MM-DD") for n in (5, 6)]
    # a date no format reads keeps what was expected
    assert summarise(dates) == ["a.csv: 2 lines: due_date '2013-13-01' is not a date; expected YYYY-MM-DD (lines 5, 6)"]
