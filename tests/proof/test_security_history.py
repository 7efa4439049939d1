"""Attacks on history (issue 11, "History keeps its dates"): value dates a bank file could
forge, and ``--as-of`` input; real ``arctui`` processes and the database file itself.

- a receipt dated ahead (a forged or mistyped future date) cannot close an invoice in the
  future: its value date is today;
- a receipt dated before the invoice existed cannot take money off the book before then:
  it counts from the invoice's issue date;
- bad ``--as-of`` text (impossible dates, words, SQL, huge years) is one line, exit non-zero,
  no traceback, nothing written;
- ``--as-of`` only reads: the database file is byte-identical after kpi, queue and report;
- a report that cannot rebuild a past day is refused before any file is made.
"""

import hashlib
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from arctui.services import cash
from arctui.services.context import Context, fixed_clock
from arctui.services.kpis import compute_kpis
from arctui.services.records import get
from arctui.store.connection import connect
from arctui.store.read.accounts import open_aging
from tests.enrol import enrol

TODAY = date(2026, 11, 26)
ARCTUI = str(Path(sys.executable).parent / "arctui")


def book(path) -> None:
    db = connect(path, create=True)
    enrol(db, "lead", "Lee Lead", role="lead")
    db["customers"].insert({"id": 1, "account_no": "C001", "name": "Northwind", "currency": "USD", "owner": "lead"})
    db["invoices"].insert_all(
        [
            {"id": 1, "customer_id": 1, "number": "INV-101", "issue_date": "2026-10-01", "due_date": "2026-10-31"}
            | {"currency": "USD", "amount_cents": 100_000, "open_cents": 100_000},
            {"id": 2, "customer_id": 1, "number": "INV-102", "issue_date": "2026-09-01", "due_date": "2026-10-01"}
            | {"currency": "USD", "amount_cents": 50_000, "open_cents": 50_000},
        ]
    )
    db.close()


def digest(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def run(*args):
    return subprocess.run([ARCTUI, *args], capture_output=True, text=True, timeout=120)


def test_a_receipt_dated_ahead_is_applied_today_not_in_the_future(tmp_path):
    book(tmp_path / "b.db")
    db = connect(tmp_path / "b.db")
    ctx = Context(db, "lead", fixed_clock(TODAY))
    pay = cash.record_payment(ctx, 100_000, date(2099, 12, 31), "ach", bank_ref="F1", remittance="INV-101")
    assert cash.auto_apply(ctx, pay) == 100_000
    assert db.execute("SELECT applied_date FROM payment_applications").fetchone()[0] == "2026-11-26"
    assert get(db, "invoices", 1)["closed_date"] == "2026-11-26"
    # the book rebuilt today is the book now: the invoice is paid today, not "still open till 2099"
    assert compute_kpis(db, TODAY, as_of=True) == compute_kpis(db, TODAY)
    assert compute_kpis(db, date(2026, 11, 25), as_of=True)["total_ar_cents"] == 150_000


def test_a_receipt_dated_before_the_invoice_counts_from_its_issue(tmp_path):
    book(tmp_path / "b.db")
    db = connect(tmp_path / "b.db")
    ctx = Context(db, "lead", fixed_clock(TODAY))
    pay = cash.record_payment(ctx, 100_000, date(2001, 1, 1), "ach", bank_ref="P1", remittance="INV-101")
    assert cash.auto_apply(ctx, pay) == 100_000
    assert db.execute("SELECT applied_date FROM payment_applications").fetchone()[0] == "2026-10-01"
    for day in (date(2001, 1, 1), date(2026, 9, 15), date(2026, 10, 1)):
        aging = open_aging(db, day, None, True)
        assert all(v >= 0 for r in aging for k, v in r.items() if k != "customer_id"), day
    assert compute_kpis(db, date(2026, 9, 15), as_of=True)["total_ar_cents"] == 50_000  # INV-102 only


@pytest.mark.parametrize(
    "text",
    ["2025-02-30", "yesterday", "2025-06-30'; DROP TABLE invoices;--", "99999-01-01", "2025-6-3x", "", "\x1b[2J"],
)
@pytest.mark.parametrize("command", [["kpi"], ["queue", "--collector", "all"], ["report", "aging"]])
def test_bad_as_of_is_one_line_and_writes_nothing(tmp_path, command, text):
    book(tmp_path / "b.db")
    before = digest(tmp_path / "b.db")
    out = run(*command, "--db", str(tmp_path / "b.db"), "--as-of", text)
    assert out.returncode == 2, out.stdout
    assert "Traceback" not in out.stderr and "--as-of" in out.stderr and "\x1b" not in out.stderr
    assert out.stdout == ""
    assert digest(tmp_path / "b.db") == before


def test_as_of_only_reads_the_book(tmp_path):
    book(tmp_path / "b.db")
    db = connect(tmp_path / "b.db")
    ctx = Context(db, "lead", fixed_clock(TODAY))
    pay = cash.record_payment(ctx, 30_000, date(2026, 10, 20), "ach", bank_ref="R1", remittance="INV-101")
    cash.auto_apply(ctx, pay)
    db.close()
    before = digest(tmp_path / "b.db")
    for command in (["kpi"], ["queue", "--collector", "all"], ["report", "aging"], ["report", "kpi"]):
        out = run(*command, "--db", str(tmp_path / "b.db"), "--as-of", "2026-10-15")
        assert out.returncode == 0, out.stderr
    assert digest(tmp_path / "b.db") == before
    # 2026-10-15: both invoices whole (the receipt of 10-20 is not cash yet)
    out = run("kpi", "--db", str(tmp_path / "b.db"), "--as-of", "2026-10-15")
    assert "$1,500.00" in out.stdout
    out = run("kpi", "--db", str(tmp_path / "b.db"), "--as-of", "2026-10-20")
    assert "$1,200.00" in out.stdout


def test_a_report_that_cannot_rebuild_a_past_day_is_refused_before_any_file(tmp_path):
    book(tmp_path / "b.db")
    before = digest(tmp_path / "b.db")
    target = tmp_path / "cadence.xlsx"
    out = run("report", "cadence", "--db", str(tmp_path / "b.db"), "--as-of", "2026-10-15", "-o", str(target))
    assert out.returncode != 0 and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "cannot rebuild the book as of a past day" in out.stderr
    assert not target.exists()
    assert digest(tmp_path / "b.db") == before
