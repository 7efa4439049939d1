"""Exchange rates in: the ECB's own files (real, as published) and a team's rates CSV; every
rate checked, a changed one updated, the same one left alone, a bad line refusing the file."""

from datetime import date
from decimal import Decimal

import pytest

from arctui.services.imports import ImportFileError, load_mapping
from arctui.store.read.rates import coverage, rate

from .conftest import DATA, rows

REAL = DATA / "real" / "rates"
HISTORY = REAL / "ecb-eurofxref-hist-2025-05-09.csv"
NINETY_DAYS = REAL / "ecb-eurofxref-hist-90d-2017-03-03.xml"
DAILY_XML = REAL / "ecb-eurofxref-daily-2017-03-08.xml"
DAILY_CSV = REAL / "ecb-eurofxref-2018-01-25.csv"


def stored(ctx, currency, day):
    return rows(ctx, "SELECT base, rate, source FROM fx_rates WHERE currency = ? AND day = ?", [currency, day])


def test_the_ecb_history_loads_every_quoted_rate_and_the_other_ecb_files_agree_with_it(ctx, load):
    # the ECB's 90-day and daily files (days the history holds too) first: the history then
    # finds those 2,046 rates already in the book, the same
    smaller = [load("ecb", path).inserted for path in (NINETY_DAYS, DAILY_XML, DAILY_CSV)]
    assert smaller == [64 * 31, 31, 31]
    report = load("ecb", HISTORY)
    # 6,747 days x 41 currencies, less the N/A cells (currencies not quoted that day)
    assert (report.accepted, report.inserted, report.updated, report.unchanged) == (210_545, 208_499, 0, 2_046)
    assert (report.rejected, report.written) == ([], True)
    assert rows(ctx, "SELECT count(*), count(DISTINCT currency), min(day), max(day) FROM fx_rates") == [
        (210_545, 41, "1999-01-04", "2025-05-09")
    ]
    assert stored(ctx, "USD", "2025-05-09") == [("EUR", "1.1252", "ECB")]
    assert stored(ctx, "IDR", "2025-05-09") == [("EUR", "18606.59", "ECB")]
    assert stored(ctx, "TRL", "1999-01-04") == [("EUR", "372274", "ECB")]  # the old lira, before the euro's TRY
    assert stored(ctx, "BGN", "1999-01-04") == []  # N/A in the file
    usd = next(c for c in coverage(ctx.db) if c["currency"] == "USD")
    assert (usd["first_day"], usd["last_day"], usd["rows"]) == ("1999-01-04", "2025-05-09", 6_747)


def test_the_ecb_daily_files_in_xml_and_csv(ctx, load):
    assert load("ecb", DAILY_XML).inserted == 31
    assert stored(ctx, "USD", "2017-03-08") == [("EUR", "1.0556", "ECB")]
    assert stored(ctx, "HUF", "2017-03-08") == [("EUR", "310.7", "ECB")]  # '310.70' in the file: the same rate
    report = load("ecb", DAILY_CSV)  # "25 January 2018, 1.2407, 135.12, ..."
    assert (report.inserted, report.rejected) == (31, [])
    assert stored(ctx, "CHF", "2018-01-25") == [("EUR", "1.168", "ECB")]
    # a Saturday takes Thursday's rates; CHF to USD crosses them through EUR
    assert rate(ctx.db, "CHF", "USD", date(2018, 1, 27)) == Decimal("1.2407") / Decimal("1.168")


def test_the_ecb_90_day_file_has_one_line_per_day(ctx, load):
    report = load("ecb", NINETY_DAYS)
    assert (report.inserted, report.rejected) == (1_984, [])
    assert rows(ctx, "SELECT min(day), max(day), count(DISTINCT day) FROM fx_rates") == [
        ("2016-12-05", "2017-03-03", 64)
    ]
    assert stored(ctx, "GBP", "2017-03-03") == [("EUR", "0.86355", "ECB")]


def test_a_file_that_is_not_the_ecbs_is_refused_whole(ctx, load, tmp_path):
    csv_file = tmp_path / "rates.csv"
    csv_file.write_text("day,USD\n2026-11-20,1.05\n")
    with pytest.raises(ImportFileError, match="rates.csv:1: expected a header starting with Date"):
        load("ecb", csv_file)
    csv_file.write_text("date,currency,rate\n2026-11-20,USD,1.05\n")
    with pytest.raises(
        ImportFileError, match="rates.csv:1: column 'currency' is no currency code.*arctui import rates"
    ):
        load("ecb", csv_file)
    xml_file = tmp_path / "rates.xml"
    xml_file.write_text("<Cube><Cube currency='USD' rate='1.05'/></Cube>\n")
    with pytest.raises(ImportFileError, match="rates.xml:1: has no Cube time"):
        load("ecb", xml_file)
    assert rows(ctx, "SELECT count(*) FROM fx_rates") == [(0,)]


def test_a_rates_csv_is_quoted_against_the_book_currency_unless_it_names_a_base(ctx, load, tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text(
        "date,currency,rate,base\n2026-11-20,EUR,0.95,\n2026-11-20,usd,1.0500,EUR\n2026-11-20,JPY,160,EUR\n"
    )
    report = load("rates", path)
    assert (report.inserted, report.rejected) == (3, [])
    # an empty book bills in USD: the first line is 1 USD = 0.95 EUR
    assert rows(ctx, "SELECT base, currency, rate, source FROM fx_rates ORDER BY currency") == [
        ("USD", "EUR", "0.95", None),
        ("EUR", "JPY", "160", None),
        ("EUR", "USD", "1.05", None),
    ]


def test_a_changed_rate_is_an_update_and_the_same_rate_is_left_alone(ctx, load, tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text("date,currency,rate,base\n2026-11-20,USD,1.05,EUR\n2026-11-20,JPY,160,EUR\n")
    load("rates", path)
    path.write_text("date,currency,rate,base\n2026-11-20,USD,1.0500,EUR\n2026-11-20,JPY,161.5,EUR\n")
    report = load("rates", path)
    assert (report.accepted, report.inserted, report.updated, report.unchanged) == (2, 0, 1, 1)
    assert rows(ctx, "SELECT rate, version FROM fx_rates WHERE currency = 'JPY'") == [("161.5", 2)]
    before, after = rows(ctx, "SELECT before, after FROM audit WHERE action = 'import.rates' ORDER BY id DESC LIMIT 1")[
        0
    ]
    assert '"rate": "160"' in before and '"rate": "161.5"' in after


def test_bad_rate_lines_are_named_and_nothing_is_written(ctx, load, tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text(
        "date,currency,rate,base\n"
        "2026-11-20,USD,1.05,EUR\n"  # 2: fine
        "2026-11-20,XXX,1.05,EUR\n"  # 3
        "2026-11-20,GBP,abc,EUR\n"  # 4
        "2026-11-20,GBP,-0.87,EUR\n"  # 5
        "2026-11-20,GBP,0,EUR\n"  # 6
        "2026-13-01,GBP,0.87,EUR\n"  # 7
        "2026-11-20,EUR,1,EUR\n"  # 8
        "2026-11-20,USD,1.06,EUR\n"  # 9: line 2's rate, another value
        "2026-11-20,CHF,0.93,ZZZ\n"  # 10
    )
    report = load("rates", path)
    assert [(r.line, r.field) for r in report.rejected] == [
        (3, "currency"),
        (4, "rate"),
        (5, "rate"),
        (6, "rate"),
        (7, "date"),
        (8, "currency"),
        (9, "rate"),
        (10, "base"),
    ]
    reasons = [r.reason for r in report.rejected]
    assert "is not money" in reasons[0]
    assert reasons[1] == "'abc' is not a rate; expected a decimal number above zero such as 1.0856"
    assert reasons[5] == "EUR is the base too; expected a rate between two currencies"
    assert reasons[6] == "EUR/USD 2026-11-20 is also on line 2 with other values"
    assert str(report.rejected[4]).startswith(f"{path}:7: date: '2026-13-01' is not a date")
    assert (report.written, rows(ctx, "SELECT count(*) FROM fx_rates")) == (False, [(0,)])


def test_a_banks_own_rates_file_loads_through_a_mapping(ctx, load, tmp_path):
    path = tmp_path / "kurse.csv"
    path.write_text("Kursdatum;Währung;Kurs\n20.11.2026;USD;1,0512\n20.11.2026;CHF;0,9350\n", encoding="utf-8")
    mapping = tmp_path / "bank.toml"
    mapping.write_text(
        'date_formats = ["%d.%m.%Y"]\ndecimal_comma = true\n'
        '[columns]\ndate = "Kursdatum"\ncurrency = "Währung"\nrate = "Kurs"\n'
        '[values]\nbase = "EUR"\nsource = "Hausbank"\n',
        encoding="utf-8",
    )
    report = load("rates", path, load_mapping(mapping))
    assert (report.inserted, report.rejected) == (2, [])
    assert rows(ctx, "SELECT base, currency, day, rate, source FROM fx_rates ORDER BY currency") == [
        ("EUR", "CHF", "2026-11-20", "0.935", "Hausbank"),
        ("EUR", "USD", "2026-11-20", "1.0512", "Hausbank"),
    ]
