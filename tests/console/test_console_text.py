"""Pure helpers of the console: narrow money cells and the filter line."""

from datetime import date

from arctui.console.cells import compact_money, short_date
from arctui.console.filter_query import parse_filter
from arctui.store.read.invoices import InvoiceFilter

CHOICES = {
    "bucket": ["current", "1-30", "31-60", "61-90", "90+"],
    "region": ["EMEA", "NA-East"],
    "status": ["active", "credit_hold"],
    "collector": ["alice", "bob"],
}


def test_compact_money_fits_seven_columns_in_one_notation_per_size():
    # issue 13: thousands are always "k" (no "96,078" beside "106.2k")
    assert compact_money(0) == ""
    assert compact_money(85_000) == "850"
    assert compact_money(99_949) == "999"
    assert compact_money(99_950) == "1.0k"
    assert compact_money(999_949) == "10.0k"
    assert compact_money(9_607_800) == "96.1k"
    assert compact_money(10_618_759) == "106.2k"
    assert compact_money(12_345_678) == "123.5k"
    assert compact_money(2_325_000) == "23.3k"  # halves round up, as 35,750 makes 35.8k
    assert compact_money(99_995_000) == "1.00M"
    assert compact_money(240_000_000) == "2.40M"
    assert compact_money(-5_000) == "-50"
    assert compact_money(-960_000) == "-9.6k"
    assert compact_money(123_456, "JPY") == "123.5k"


def test_short_date_drops_this_year():
    today = date(2026, 11, 23)
    assert short_date(date(2026, 11, 25), today) == "11-25"
    assert short_date("2025-12-01T09:00:00Z", today) == "2025-12-01"
    assert short_date(None, today) == ""


def test_filter_line_words_and_fields():
    flt, problems = parse_filter("acme b:90+ REGION:emea st:credit_hold", CHOICES)
    assert flt == InvoiceFilter(text="acme", bucket="90+", region="EMEA", status="credit_hold")
    assert problems == []
    base = InvoiceFilter(collector="alice")
    flt, _ = parse_filter("collector:bob", CHOICES, base)
    assert flt.collector == "bob"
    flt, problems = parse_filter("x:1 bucket:5-9 inv-00012", CHOICES, base)
    assert flt == InvoiceFilter(text="inv-00012", collector="alice")
    assert problems[0].startswith("x: not a filter")
    assert problems[1].startswith("bucket: 5-9 is not one of current, 1-30")
