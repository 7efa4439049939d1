"""Issue 11, the cash workbench, end to end: the installed ``arctui`` script in a process of
its own on a real book file. Each attack on a receipt's money ends the same way: exit 1, one
line saying why, no traceback, no raw control character on the terminal, and not one row
written (the tables are counted before and after)."""

import json
import re
import shutil
import subprocess
from datetime import date

import pytest

from arctui.services.cash import record_payment
from arctui.services.context import Context, fixed_clock
from arctui.store.connection import connect
from tests.proof.book import make_book, script_env

ARCTUI = shutil.which("arctui")
TABLES = ("payments", "payment_applications", "invoices", "refund_requests", "audit")
RAW = re.compile(rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")


def arctui(*args, user="w01") -> subprocess.CompletedProcess:
    return subprocess.run([ARCTUI, "--user", user, *map(str, args)], capture_output=True, env=script_env(), timeout=120)


def snapshot(path) -> dict:
    db = connect(path)
    try:
        return {t: db.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in TABLES}
    finally:
        db.close()


def refused(run, before, path, says: str) -> None:
    assert run.returncode == 1, run.stdout + run.stderr
    assert b"Traceback" not in run.stderr and not RAW.findall(run.stdout + run.stderr)
    lines = [line for line in run.stderr.decode().splitlines() if line.strip()]
    assert len(lines) == 1 and says in lines[0], lines
    assert snapshot(path) == before, "something was written"


@pytest.fixture
def book(tmp_path, book_target):
    """Two accounts (A0001, A0002: owned by w01 with a $500.00 limit and w02), one USD receipt
    nobody has placed (id 1) and one in EUR of A0002 (id 2)."""
    path = make_book(book_target, collectors=2, customers=2, invoices_per_customer=2)
    db = connect(path)
    ctx = Context(db, "w01", fixed_clock(date(2026, 11, 23)))
    record_payment(ctx, 4_020_001, date(2026, 11, 20), "wire", remittance="ACCOUNT 1 TREASURY")
    record_payment(ctx, 70_000, date(2026, 11, 21), "wire", customer_id=2, currency="EUR")
    db.close()
    return path


def test_a_refund_above_the_collectors_limit_is_only_a_request_its_requester_cannot_decide(book):
    asked = arctui("cash", "refund", "1", "500.01", "--note", "to me", "--db", book)
    assert asked.returncode == 0 and b"$500.01 refund requested (refund request 1)" in asked.stdout
    before = snapshot(book)
    assert before["payment_applications"] == [] and len(before["refund_requests"]) == 1  # asked, not refunded
    refused(arctui("cash", "refund-approve", "1", "--db", book), before, book, "w01 is not a lead or manager")
    refused(arctui("cash", "refund-reject", "1", "--note", "mine", "--db", book), before, book, "not a lead")
    refused(  # the held money is nobody's to spend again
        arctui("cash", "refund", "1", "39,700.01", "--note", "the rest", "--db", book, user="w02"),
        before,
        book,
        "less $500.01 held for a refund request",
    )


def test_a_refund_in_a_currency_the_limit_is_not_in_is_for_a_lead(book):
    asked = arctui("cash", "refund", "2", "1.00", "--note", "x", "--db", book)
    assert asked.returncode == 0 and b"refund requested" in asked.stdout
    before = snapshot(book)
    refused(arctui("cash", "refund-approve", "1", "--db", book, user="w02"), before, book, "w02 is not a lead")
    approved = arctui("cash", "refund-approve", "1", "--db", book, user="lead")
    assert approved.returncode == 0 and approved.stdout.decode().strip().endswith("approved: refunded")


def test_cash_applied_across_currencies_or_beyond_the_receipt_is_refused(book):
    before = snapshot(book)
    refused(
        arctui("cash", "apply", "2", "INV-0002-0=1.00", "--db", book), before, book, "is in USD, the payment in EUR"
    )
    refused(
        arctui("cash", "apply", "1", "INV-0001-0=1", "INV-0002-0=1", "--db", book),
        before,
        book,
        "belongs to another account",
    )
    refused(arctui("cash", "apply", "1", "INV-0001-0=40,200.02", "--db", book), before, book, "more than the payment's")


def test_a_step_on_a_receipt_someone_changed_since_is_refused(book):
    assert arctui("cash", "assign", "1", "A0001", "--db", book, user="w02").returncode == 0
    before = snapshot(book)
    refused(arctui("cash", "park", "1", "--note", "mine", "--version", "1", "--db", book), before, book, "w02")


def test_a_note_with_terminal_escapes_is_refused(book):
    before = snapshot(book)
    run = arctui("cash", "park", "1", "--note", "ok\x1b]0;pwned\x07", "--db", book)
    refused(run, before, book, "control character")


def test_a_stored_hostile_remittance_is_shown_escaped(book):
    db = connect(book)
    db.execute("UPDATE payments SET remittance = 'ACME\x1b[2J\u202eLTD' WHERE id = 1")
    db.close()
    for args in (("cash", "unapplied"), ("cash", "unapplied", "--json"), ("report", "unapplied-cash")):
        run = arctui(*args, "--db", book)
        assert run.returncode == 0 and not RAW.findall(run.stdout + run.stderr), run.stdout
    listed = json.loads(arctui("cash", "unapplied", "--json", "--db", book).stdout)
    assert listed[0]["remittance"] == "ACME\x1b[2J\u202eLTD"  # JSON escapes it; the data is intact
