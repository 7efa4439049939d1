import sqlite3
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arctui.domain.aging import (
    BUCKET_BOUNDS,
    BUCKETS,
    STANDARD,
    AgingBuckets,
    age_totals,
    bucket_case_sql,
    bucket_for,
    days_past_due,
)

AS_OF = date(2026, 11, 20)


def test_bounds_are_contiguous_and_name_the_buckets_in_order():
    assert tuple(name for name, _, _ in BUCKET_BOUNDS) == BUCKETS
    assert BUCKET_BOUNDS[0][1] is None and BUCKET_BOUNDS[-1][2] is None
    for (_, _, high), (_, low, _) in zip(BUCKET_BOUNDS, BUCKET_BOUNDS[1:]):
        assert low == high + 1


def test_days_past_due():
    assert days_past_due(date(2026, 11, 1), AS_OF) == 19
    assert days_past_due(date(2026, 12, 1), AS_OF) == -11


@pytest.mark.parametrize(
    "days, bucket",
    [(-30, "current"), (0, "current"), (1, "1-30"), (30, "1-30"), (31, "31-60"),
     (60, "31-60"), (61, "61-90"), (90, "61-90"), (91, "90+"), (4000, "90+")],
)  # fmt: skip
def test_bucket_edges(days, bucket):
    assert bucket_for(AS_OF - timedelta(days=days), AS_OF) == bucket


def test_age_totals_has_every_bucket():
    items = [(AS_OF, 100), (AS_OF - timedelta(days=5), 250), (AS_OF - timedelta(days=7), -50),
             (AS_OF - timedelta(days=200), 1_000)]  # fmt: skip
    assert age_totals(items, AS_OF) == {
        "current": 100, "1-30": 200, "31-60": 0, "61-90": 0, "90+": 1_000,
    }  # fmt: skip
    assert age_totals([], AS_OF) == dict.fromkeys(BUCKETS, 0)


@pytest.fixture(scope="module")
def db():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE invoices (due_date TEXT)")
    yield conn
    conn.close()


@pytest.mark.parametrize("param", ["as_of", ":as_of"])
def test_sql_case_reads_a_column_and_a_named_parameter(db, param):
    sql = f"SELECT {bucket_case_sql('due_date', param)} FROM invoices"
    db.executemany("INSERT INTO invoices VALUES (?)", [("2026-10-01",), (None,)])
    try:
        rows = db.execute(sql, {"as_of": AS_OF.isoformat()}).fetchall()
    finally:
        db.execute("DELETE FROM invoices")
    assert rows == [("31-60",), (None,)]


@settings(max_examples=200)
@given(st.dates(), st.dates())
def test_sql_and_python_agree(db, due, as_of):
    sql = f"SELECT {bucket_case_sql(':due', 'as_of')}"
    (bucket,) = db.execute(sql, {"due": due.isoformat(), "as_of": as_of.isoformat()}).fetchone()
    assert bucket == bucket_for(due, as_of)


# -- a book's own buckets (AgingBuckets) ------------------------------------------------

CUSTOM = AgingBuckets.parse("0,15,30,60,90,120")


def test_the_standard_buckets_are_the_default_bounds_and_keep_their_first_names():
    assert STANDARD == AgingBuckets((0, 30, 60, 90)) and STANDARD.text == "0,30,60,90"
    assert STANDARD.names == BUCKETS and list(STANDARD.ranges) == BUCKET_BOUNDS


def test_custom_buckets_are_named_from_their_bounds():
    assert CUSTOM.names == ("current", "1-15", "16-30", "31-60", "61-90", "91-120", "120+")
    assert CUSTOM.past_due == CUSTOM.names[1:]
    assert CUSTOM.ranges[1] == ("1-15", 1, 15) and CUSTOM.ranges[-1] == ("120+", 121, None)


@pytest.mark.parametrize(
    "text, bounds",
    [("0,15,30,60,90,120", (0, 15, 30, 60, 90, 120)), ("0/15/30", (0, 15, 30)), (" 15, 30 ", (0, 15, 30)),
     ("0 45 90", (0, 45, 90)), ("30", (0, 30)), ("0,1,2,3,4,5,6,7", (0, 1, 2, 3, 4, 5, 6, 7))],
)  # fmt: skip
def test_parse_takes_commas_slashes_or_spaces_and_a_leading_zero_or_none(text, bounds):
    assert AgingBuckets.parse(text).bounds == bounds


@pytest.mark.parametrize(
    "text, says",
    [("", "no bounds"), ("0", "2 to 8 past-due buckets"), ("0,1,2,3,4,5,6,7,8", "not 9"),
     ("0,30,30", "strictly increasing"), ("0,60,30", "strictly increasing"), ("0,-30", "'-30' is not a whole"),
     ("0,thirty", "'thirty' is not"), ("0,1.5", "'1.5' is not"), ("0,1000", "at most 999")],
)  # fmt: skip
def test_parse_refuses_what_is_no_set_of_buckets(text, says):
    with pytest.raises(ValueError, match=says):
        AgingBuckets.parse(text)


@pytest.mark.parametrize(
    "days, bucket",
    [(-3, "current"), (0, "current"), (1, "1-15"), (15, "1-15"), (16, "16-30"), (30, "16-30"), (31, "31-60"),
     (90, "61-90"), (91, "91-120"), (120, "91-120"), (121, "120+"), (5000, "120+")],
)  # fmt: skip
def test_custom_bucket_edges(days, bucket):
    assert CUSTOM.bucket_for(AS_OF - timedelta(days=days), AS_OF) == bucket


@pytest.mark.parametrize("name", CUSTOM.names)
def test_a_buckets_due_range_holds_exactly_its_days(name):
    earliest, latest = CUSTOM.due_range(name, AS_OF)
    for days in range(-10, 400):
        due = (AS_OF - timedelta(days=days)).isoformat()
        inside = (earliest is None or due >= earliest) and (latest is None or due <= latest)
        assert inside == (CUSTOM.bucket_for(AS_OF - timedelta(days=days), AS_OF) == name)


def test_a_due_range_of_no_such_bucket_names_the_buckets():
    with pytest.raises(ValueError, match="unknown bucket '1-30'; expected one of current, 1-15, 16-30"):
        CUSTOM.due_range("1-30", AS_OF)


def test_sums_sql_adds_each_buckets_amount(db):
    db.execute("CREATE TEMP TABLE aged (bucket TEXT, cents INTEGER)")
    db.executemany("INSERT INTO aged VALUES (?, ?)", [("1-15", 5), ("120+", 7), ("1-15", 1), ("current", 2)])
    row = db.execute(f"SELECT {CUSTOM.sums_sql('cents')} FROM aged").fetchone()
    assert dict(zip(CUSTOM.names, row)) == {
        "current": 2, "1-15": 6, "16-30": 0, "31-60": 0, "61-90": 0, "91-120": 0, "120+": 7,
    }  # fmt: skip


@settings(max_examples=200)
@given(
    st.lists(st.integers(1, 400), min_size=1, max_size=7, unique=True).map(lambda b: AgingBuckets((0, *sorted(b)))),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)),
    st.integers(-50, 600),
)
def test_custom_sql_and_python_agree(db, buckets, as_of, days):
    due = as_of - timedelta(days=days)
    sql = f"SELECT {buckets.case_sql(':due', 'as_of')}"
    (bucket,) = db.execute(sql, {"due": due.isoformat(), "as_of": as_of.isoformat()}).fetchone()
    assert bucket == buckets.bucket_for(due, as_of)
