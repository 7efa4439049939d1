"""Reports cash-by-bucket and write-offs (issue 14, item 7) on a copy of the reports' book
with cash applied in September (EUR) and October, and write-offs proposed and posted."""

from datetime import date

import pytest

from arctui.services.cash import apply_payment, record_payment
from arctui.services.reports import Money, run_report
from arctui.services.write_offs import post_write_off, propose_write_off
from arctui.store.connection import connect
from tests.reports.conftest import act, reporting


@pytest.fixture
def db(book_copy):
    db = connect(book_copy)
    # INV-6001 (EUR, due 08-01) gets 5,000.00 on 09-20: 50 days past due, 31-60
    pay = record_payment(act(db, "bob", 9, 20), 500_000, date(2026, 9, 20), "wire", customer_id=6, currency="EUR")
    apply_payment(act(db, "bob", 9, 20), pay, [(12, 500_000)], 1)
    # C002's 3,000.00 on account since 10-15 goes to INV-2001 (due 10-31) on 10-20: current
    apply_payment(act(db, "alice", 10, 20), 1, [(4, 300_000)], 1)
    yield db
    db.close()


def cells(result, section: int, keys=("period", "collector", "currency", "current", "31-60", "total")) -> list:
    return [tuple(row[k] for k in keys) for row in result.sections[section].rows]


def test_cash_by_bucket_per_month_and_quarter_in_the_bucket_of_the_day_it_was_applied(db):
    result = run_report(reporting(db), "cash-by-bucket")
    usd = lambda cents: Money(cents, "USD")  # noqa: E731
    eur, none = Money(500_000, "EUR"), usd(0)
    assert [s.title for s in result.sections] == ["By month", "By quarter"]
    assert cells(result, 0) == [
        ("2026-09", "Bob Baker", "EUR", Money(0, "EUR"), eur, eur),
        ("2026-10", "Alice Archer", "USD", usd(300_000), none, usd(300_000)),
        ("2026-11", "Alice Archer", "USD", none, usd(100_000), usd(100_000)),  # INV-1002 40 days late
        ("2026-11", "Bob Baker", "USD", usd(200_000), none, usd(200_000)),  # INV-3003 paid before due
    ]
    assert cells(result, 1) == [
        ("2026-Q3", "Bob Baker", "EUR", Money(0, "EUR"), eur, eur),
        ("2026-Q4", "Alice Archer", "USD", usd(300_000), usd(100_000), usd(400_000)),
        ("2026-Q4", "Bob Baker", "USD", usd(200_000), none, usd(200_000)),
    ]
    assert [(t["period"], t["currency"], t["total"]) for t in result.totals] == [
        ("Total EUR", "EUR", eur),
        ("Total USD", "USD", usd(600_000)),
    ]
    alice = run_report(reporting(db), "cash-by-bucket", collector="alice")
    assert {row["collector"] for row in alice.rows} == {"Alice Archer"}
    assert "refunds and unapplied cash are not counted" in result.notes[0]


def test_cash_applied_after_the_report_day_or_before_the_window_is_left_out(db):
    result = run_report(reporting(db), "cash-by-bucket", today=date(2026, 10, 31))
    assert [(r["period"], r["total"]) for r in result.sections[0].rows] == [
        ("2026-09", Money(500_000, "EUR")),
        ("2026-10", Money(300_000, "USD")),
    ]
    later = run_report(reporting(db), "cash-by-bucket", today=date(2027, 9, 30))  # September 2026 out of 12 months
    assert [r["period"] for r in later.sections[0].rows] == ["2026-10", "2026-11", "2026-11"]


def test_write_offs_report_lists_each_with_its_decision_and_posted_amounts(db):
    bob, alice = act(db, "bob", 11, 21), act(db, "alice", 11, 22)
    posted = propose_write_off(bob, 6, 100_000, "bad_debt", "6800", "customer in administration")
    post_write_off(bob, posted, db["credit_memos"].get(posted)["version"])
    waiting = propose_write_off(alice, 1, 80_000, "small_balance", "6810", "disputed freight, too small to chase")
    result = run_report(reporting(db), "write-offs")
    keys = ("number", "status", "account", "invoice", "reason", "amount", "posted_amount", "proposed_by", "approved_by")
    assert [tuple(r[k] for k in keys) for r in result.rows] == [
        (
            f"WO-{waiting:06d}",
            "pending approval",
            "C001",
            "INV-1001",
            "small_balance / 6810",
            Money(80_000, "USD"),
            Money(0, "USD"),
            "alice",
            None,
        ),
        (
            f"WO-{posted:06d}",
            "posted",
            "C003",
            "INV-3001",
            "bad_debt / 6800",
            Money(100_000, "USD"),
            Money(100_000, "USD"),
            "bob",
            None,
        ),
    ]
    assert [(t["amount"], t["posted_amount"]) for t in result.totals] == [
        (Money(180_000, "USD"), Money(100_000, "USD"))
    ]
    # a write-off is no credit memo: the credit-memos report leaves it out
    memos = run_report(reporting(db), "credit-memos")
    assert {row["reason"] for row in memos.rows} == {"pricing", "damaged"}
    assert run_report(reporting(db), "write-offs", collector="alice").rows[0]["number"] == f"WO-{waiting:06d}"
    assert len(run_report(reporting(db), "write-offs", collector="alice").rows) == 1
