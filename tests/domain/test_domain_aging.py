import sqlite3
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arctui.domain.aging import (
    BUCKET_BOUNDS,
    BUCKETS,
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
