"""store.read.invoices: windows, sorts, filters and counts agree with the whole list."""

from datetime import date

import pytest

from arctui.domain.aging import BUCKETS, bucket_for
from arctui.store.read import invoices as read_invoices
from arctui.store.read.invoices import SORTS, InvoiceFilter
from tests.console.console_helpers import TODAY, context


@pytest.fixture
def db(book):
    return context(book).db


def everything(db, flt=InvoiceFilter(), **kw):
    return read_invoices.open_invoices(db, TODAY, flt, limit=1_000_000, **kw)


@pytest.mark.parametrize("sort", list(SORTS))
@pytest.mark.parametrize("descending", [False, True])
def test_windows_tile_the_whole_list_from_either_end(db, sort, descending):
    whole = everything(db, sort=sort, descending=descending)
    total = read_invoices.count_open(db, TODAY)
    assert len(whole) == total > 100
    for window in (7, 50):
        pieces = []
        for offset in range(0, total, window):
            pieces += read_invoices.open_invoices(
                db, TODAY, sort=sort, descending=descending, offset=offset, limit=window, total=total
            )
        assert pieces == whole


def test_bucket_filter_matches_the_domain_aging(db):
    whole = everything(db)
    for bucket in BUCKETS:
        flt = InvoiceFilter(bucket=bucket)
        got = everything(db, flt)
        assert got == [r for r in whole if bucket_for(date.fromisoformat(r.due_date), TODAY) == bucket]
        assert all(r.bucket == bucket for r in got)
        assert read_invoices.count_open(db, TODAY, flt) == len(got)


def test_region_status_collector_and_text_filters(db):
    whole = everything(db)
    sample = whole[len(whole) // 2]
    for field, value in (("region", sample.region), ("status", sample.status), ("collector", sample.owner)):
        got = everything(db, InvoiceFilter(**{field: value}))
        attr = "owner" if field == "collector" else field
        assert got == [r for r in whole if getattr(r, attr) == value]
    assert [r.id for r in everything(db, InvoiceFilter(text=sample.number))] == [sample.id]
    word = sample.customer_name.split()[0][1:].upper()
    assert everything(db, InvoiceFilter(text=word)) == [
        r for r in whole if word.lower() in r.customer_name.lower() or word.lower() in r.account_no.lower()
    ]
    assert everything(db, InvoiceFilter(text="100%_")) == []


def test_unknown_sort_or_bucket_is_refused(db):
    with pytest.raises(ValueError, match="unknown sort 'colour'"):
        read_invoices.open_invoices(db, TODAY, sort="colour")
    with pytest.raises(ValueError, match="unknown bucket '5-9'"):
        read_invoices.count_open(db, TODAY, InvoiceFilter(bucket="5-9"))


def test_payment_trend_is_days_late_of_recent_paid_invoices(db):
    (customer_id,) = db.execute(
        "SELECT customer_id FROM invoices WHERE open_cents = 0 GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    trend = read_invoices.payment_trend(db, customer_id, invoices=5)
    rows = db.execute(
        "SELECT due_date, closed_date FROM invoices WHERE customer_id = ? AND open_cents = 0"
        " ORDER BY closed_date DESC, id DESC LIMIT 5",
        [customer_id],
    ).fetchall()
    late = [(date.fromisoformat(c) - date.fromisoformat(d)).days for d, c in reversed(rows)]
    assert trend.days_late == late
    assert trend.average == round(sum(late) / len(late), 1)
    assert read_invoices.payment_trend(db, -1).average is None


@pytest.mark.parametrize("sort", list(SORTS))
@pytest.mark.parametrize("descending", [False, True])
def test_position_of_finds_each_invoice_where_the_list_has_it(db, sort, descending):
    whole = everything(db, sort=sort, descending=descending)
    for index in (0, 1, len(whole) // 3, len(whole) - 1):
        assert read_invoices.position_of(db, TODAY, whole[index].id, sort=sort, descending=descending) == index
    (paid,) = db.execute("SELECT id FROM invoices WHERE open_cents = 0 LIMIT 1").fetchone()
    assert read_invoices.position_of(db, TODAY, paid) is None
