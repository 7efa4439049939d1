"""The book's own aging buckets (0/15/30/60/90/120) in everything that shows aging: the aging
report (as of a day too), cash-by-bucket, statements, the invoice list's bucket filter and the
exports; each checked against a calculation of its own on the reports' small book. The
over-10k-60 report keeps meaning more than 60 days past due."""

import csv
from datetime import date, timedelta

import pytest

from arctui.services.aging import set_aging_buckets
from arctui.services.cash import apply_payment, record_payment
from arctui.services.context import Context, fixed_clock
from arctui.services.correspondence import account_context
from arctui.services.reports import Money, run_report
from arctui.services.templates import Templates
from arctui.store.connection import connect
from arctui.store.read import invoices as read_invoices
from arctui.store.read.invoices import InvoiceFilter
from tests.enrol import enrol
from tests.reports.conftest import TODAY, act, reporting

NAMES = ("current", "1-15", "16-30", "31-60", "61-90", "91-120", "120+")


def bucket_of(days: int) -> str:
    """0/15/30/60/90/120 written out by hand, as a reader of the setting would."""
    if days <= 0:
        return "current"
    for name, high in (("1-15", 15), ("16-30", 30), ("31-60", 60), ("61-90", 90), ("91-120", 120)):
        if days <= high:
            return name
    return "120+"


@pytest.fixture
def db(book_copy):
    db = connect(book_copy)
    enrol(db, "mia", "Mia Manager", role="manager")
    set_aging_buckets(Context(db, "mia", fixed_clock(TODAY)), "0,15,30,60,90,120")
    # cash applied in buckets only these bounds have: 20 days (16-30), 115 days (91-120), 1 day (1-15)
    pay = record_payment(act(db, "alice", 11, 20), 100_000, date(2026, 11, 20), "wire", customer_id=2)
    apply_payment(act(db, "alice", 11, 20), pay, [(4, 100_000)], 1)  # INV-2001, due 10-31
    pay = record_payment(act(db, "alice", 11, 23), 200_000, date(2026, 11, 23), "wire", customer_id=1)
    apply_payment(act(db, "alice", 11, 23), pay, [(1, 200_000)], 1)  # INV-1001, due 07-31
    pay = record_payment(act(db, "bob", 11, 23), 10_000, date(2026, 11, 23), "wire", customer_id=5)
    apply_payment(act(db, "bob", 11, 23), pay, [(11, 10_000)], 1)  # INV-5002, due 11-22
    yield db
    db.close()


def open_items(db, day: date = TODAY) -> list[dict]:
    """Every invoice open at the end of ``day``: its amount less what was applied and posted by then."""
    found = db.execute(
        """SELECT i.id, c.account_no, i.currency, i.due_date, i.amount_cents
             - coalesce((SELECT sum(a.amount_cents) FROM payment_applications a
                 WHERE a.invoice_id = i.id AND a.kind = 'apply' AND a.applied_date <= :day), 0)
             - coalesce((SELECT sum(m.amount_cents) FROM credit_memos m WHERE m.invoice_id = i.id
                 AND m.status = 'posted' AND substr(m.posted_at, 1, 10) <= :day), 0)
           FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.issue_date <= :day""",
        {"day": day.isoformat()},
    ).fetchall()
    return [
        {
            "invoice": i,
            "account": a,
            "currency": cur,
            "bucket": bucket_of((day - date.fromisoformat(due)).days),
            "open": o,
        }
        for i, a, cur, due, o in found
        if o != 0
    ]


def expected_aging(db, day: date = TODAY) -> dict[str, dict[str, Money]]:
    want: dict[str, dict[str, Money]] = {}
    for item in open_items(db, day):
        row = want.setdefault(item["account"], {name: Money(0, item["currency"]) for name in NAMES})
        row[item["bucket"]] = Money(row[item["bucket"]].cents + item["open"], item["currency"])
    return want


@pytest.mark.parametrize("as_of", [False, True])
def test_the_aging_report_shows_the_books_buckets(db, as_of):
    result = run_report(reporting(db), "aging", as_of=as_of)
    assert [c.key for c in result.columns][5:] == [*NAMES, "total"]
    assert [c.label for c in result.columns][5:8] == ["Current", "1-15", "16-30"]
    got = {r["account"]: {name: r[name] for name in NAMES} for r in result.rows}
    assert got == expected_aging(db)
    assert {r["account"]: r["total"].cents for r in result.rows} == {
        account: sum(m.cents for m in row.values()) for account, row in expected_aging(db).items()
    }
    assert "Buckets: current, 1-15, 16-30, 31-60, 61-90, 91-120, 120+ (days past due)." in result.notes


def test_the_aging_report_of_a_past_day_ages_by_the_books_buckets_on_that_day(db):
    day = TODAY - timedelta(days=20)
    result = run_report(reporting(db), "aging", today=day, as_of=True)
    assert {r["account"]: {name: r[name] for name in NAMES} for r in result.rows} == expected_aging(db, day)


def test_cash_by_bucket_counts_cash_in_the_books_bucket_of_the_day_it_was_applied(db):
    day = date(2026, 12, 31)
    pay = record_payment(act(db, "alice", 12, 5), 300_000, date(2026, 12, 5), "wire", customer_id=1)
    apply_payment(act(db, "alice", 12, 5), pay, [(1, 300_000)], 1)  # INV-1001 again: 127 days, 120+
    result = run_report(reporting(db), "cash-by-bucket", today=day)
    assert [c.key for c in result.columns][3:] == [*NAMES, "total"]
    rows = db.execute(
        """SELECT substr(a.applied_date, 1, 7), col.name, i.currency, a.applied_date, i.due_date, a.amount_cents
           FROM payment_applications a JOIN invoices i ON i.id = a.invoice_id
           JOIN customers c ON c.id = i.customer_id JOIN collectors col ON col.id = c.owner
           WHERE a.kind = 'apply'"""
    ).fetchall()
    assert len(rows) == 6  # two in the book, four applied above
    want: dict[tuple, dict[str, int]] = {}
    for month, collector, currency, applied, due, cents in rows:
        days = (date.fromisoformat(applied) - date.fromisoformat(due)).days
        row = want.setdefault((month, collector, currency), dict.fromkeys(NAMES, 0))
        row[bucket_of(days)] += cents
    got = {
        (r["period"], r["collector"], r["currency"]): {name: r[name].cents for name in NAMES}
        for r in result.sections[0].rows
    }
    assert got == want
    assert got[("2026-12", "Alice Archer", "USD")]["120+"] == 300_000
    assert got[("2026-11", "Alice Archer", "USD")]["91-120"] == 200_000
    assert got[("2026-11", "Alice Archer", "USD")]["16-30"] == 100_000
    assert got[("2026-11", "Bob Baker", "USD")]["1-15"] == 10_000


def test_a_statement_shows_the_accounts_aging_in_the_books_buckets(db):
    context = account_context(db, 1, TODAY)
    assert list(context["totals"]["buckets"]) == list(NAMES)
    want = expected_aging(db)["C001"]
    assert context["totals"]["buckets"] == {name: f"${m.cents / 100:,.2f}" for name, m in want.items()}
    assert {i["number"]: i["bucket"] for i in context["invoices"]} == {
        "INV-1001": "91-120",
        "INV-1002": "31-60",
        "INV-1003": "current",
    }
    contact = {"name": "Pat", "email": "pat@example.com", "role": "AP"}  # the book's accounts have none
    body = Templates().render("statement", {**context, "contact": contact}).body
    assert "  current      $2,500.00\n  1-15 days    $0.00\n  16-30 days   $0.00\n  31-60 days   $3,000.00\n" in body
    assert "  91-120 days  $13,000.00\n  120+ days    $0.00\n" in body


@pytest.mark.parametrize("bucket", NAMES)
def test_the_invoice_list_filters_by_a_bucket_of_the_books(db, bucket):
    flt = InvoiceFilter(bucket=bucket)
    listed = read_invoices.open_invoices(db, TODAY, flt, limit=100)
    want = sorted(item["invoice"] for item in open_items(db) if item["bucket"] == bucket)
    assert sorted(row.id for row in listed) == want
    assert {row.bucket for row in listed} <= {bucket}
    assert read_invoices.count_open(db, TODAY, flt) == len(want)
    if listed:
        assert read_invoices.position_of(db, TODAY, listed[-1].id, flt) == len(listed) - 1


def test_the_filter_offers_the_books_buckets_and_refuses_the_standard_ones_it_has_not(db):
    assert read_invoices.filter_choices(db)["bucket"] == list(NAMES)
    with pytest.raises(ValueError, match="unknown bucket '1-30'; expected one of current, 1-15"):
        read_invoices.count_open(db, TODAY, InvoiceFilter(bucket="1-30"))


def test_the_csv_and_xlsx_exports_carry_the_books_buckets(db, tmp_path):
    run_report(reporting(db), "aging", fmt="csv", out=tmp_path / "aging.csv")
    with open(tmp_path / "aging.csv", newline="") as f:
        header = next(csv.reader(f))
    assert header[5:] == ["Current", "1-15", "16-30", "31-60", "61-90", "91-120", "120+", "Total"]
    run_report(reporting(db), "cash-by-bucket", fmt="xlsx", out=tmp_path / "cash.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "cash.xlsx").active
    labels = [cell.value for row in sheet.iter_rows(max_row=8) for cell in row]
    assert "16-30" in labels and "120+" in labels and "1-30" not in labels


def test_over_10k_60_still_means_more_than_60_days_past_due(db):
    shown = run_report(reporting(db), "over-10k-60")
    set_aging_buckets(Context(db, "mia", fixed_clock(TODAY)), "0,30,60,90")
    standard = run_report(reporting(db), "over-10k-60")
    assert [c.key for c in shown.columns] == [c.key for c in standard.columns]
    assert shown.sections == standard.sections and shown.totals == standard.totals
    assert [r["account"] for r in shown.rows] == ["C001", "C006", "C003"]


def test_the_api_ages_by_the_standard_buckets_unless_given_the_books(db):
    from arctui import api

    standard = api.aging_by_account(db, TODAY)
    assert all(set(api.BUCKETS) <= set(row) for row in standard)  # a report written for 1.2 reads the same keys
    books = api.aging_by_account(db, TODAY, buckets=api.book_buckets(db))
    assert api.book_buckets(db).names == NAMES
    want = {account: {name: m.cents for name, m in row.items()} for account, row in expected_aging(db).items()}
    assert {r["account"]: {name: r[name] for name in NAMES} for r in books} == want
    assert {r["account"]: sum(r[b] for b in api.BUCKETS) for r in standard} == {
        account: sum(row.values()) for account, row in want.items()
    }
