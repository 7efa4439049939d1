"""``arctui cash`` (issue 11): the workbench on the command line, with the console's refusals."""

import json
from datetime import date

from click.testing import CliRunner

from arctui.cli import cli
from arctui.services.accounts import save_collector
from arctui.services.cash import record_payment
from arctui.services.context import Context, fixed_clock
from arctui.store.connection import connect
from tests.enrol import first_lead
from tests.services.conftest import TODAY, seed


def book(tmp_path):
    path = tmp_path / "cash.db"
    db = connect(path, create=True)
    lead = first_lead(db, fixed_clock(TODAY), memo_limit_cents=1_000_000)
    save_collector(lead, "alice", "Alice", memo_limit_cents=50_000)
    save_collector(lead, "bob", "Bob")
    seed(db)
    alice = Context(db, "alice", fixed_clock(TODAY))
    record_payment(alice, 650_000, date(2026, 11, 2), "wire", remittance="NORTHWIND SUPPLY CO")
    record_payment(alice, 1_000, date(2026, 11, 20), "ach", customer_id=2, remittance="INV-2001")
    # a row an older arctui let in: what it shows is escaped, never sent to the terminal
    db.execute("UPDATE payments SET remittance = 'NORTHWIND SUPPLY \x1b[31mCO' WHERE id = 1")
    db.close()
    return str(path)


def run(path, user, *args):
    return CliRunner().invoke(cli, ["--user", user, "cash", *args, "--db", path])


def test_unapplied_lists_oldest_first_with_suggestions_and_json(tmp_path):
    path = book(tmp_path)
    shown = run(path, "alice", "unapplied", "--today", "2026-11-23")
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()
    first = next(i for i, line in enumerate(lines) if line.strip().startswith("1 "))
    second = next(i for i, line in enumerate(lines) if line.strip().startswith("2 "))
    assert first < second and "(unknown)" in lines[first] and "C002" in lines[second]
    assert "\x1b" not in shown.output and "\\x1b" in shown.output  # the escape is shown, never sent
    assert "combined amount: C001" in shown.output or "customer name: C001" in shown.output
    assert lines[-1] == "2 receipts; unapplied $6,510.00 USD"
    listed = json.loads(run(path, "alice", "unapplied", "--json", "--today", "2026-11-23").output)
    assert [r["id"] for r in listed] == [1, 2] and listed[0]["customer_id"] is None
    kinds = {s["kind"] for s in listed[0]["suggestions"]}
    assert {"combined_amount", "customer_name"} <= kinds
    assert listed[1]["suggestions"][0]["kind"] == "remittance"


def test_assign_apply_refund_park_and_their_refusals(tmp_path):
    path = book(tmp_path)
    assigned = run(path, "alice", "assign", "1", "C001")
    assert assigned.exit_code == 0 and assigned.output.strip() == "payment 1 assigned to C001"
    applied = run(path, "alice", "apply", "1", "INV-1002=4,000.00", "INV-1003=1000")
    assert applied.exit_code == 0, applied.output
    assert applied.output.strip() == "payment 1: $5,000.00 applied to 2 invoices"
    over = run(path, "alice", "refund", "1", "1,000.00", "--note", "overpaid")
    assert over.exit_code == 0 and over.output.strip() == (
        "payment 1: $1,000.00 refund requested (refund request 1), above your authority limit:"
        " held until a lead or manager approves it"
    )
    held = run(path, "lead", "refund", "1", "1,500.00", "--note", "overpaid: back to their bank")
    assert held.exit_code == 1 and "less $1,000.00 held for a refund request ($500.00)" in held.output
    assert len(held.output.strip().splitlines()) == 1 and "Traceback" not in held.output
    rejected = run(path, "lead", "refund-reject", "1", "--note", "refund it all in one go")
    assert rejected.exit_code == 0, rejected.output
    assert rejected.output.strip() == "refund request 1 ($1,000.00 of payment 1) rejected: its money is free again"
    stale = run(path, "alice", "park", "1", "--note", "x", "--version", "1")
    assert stale.exit_code == 1 and "reload and try again" in stale.output
    other = run(path, "alice", "apply", "2", "INV-1001=1")
    assert other.exit_code == 1 and "INV-1001 belongs to another account" in other.output
    refunded = run(path, "lead", "refund", "1", "1,500.00", "--note", "overpaid: back to their bank")
    assert refunded.exit_code == 0 and refunded.output.strip() == "payment 1: $1,500.00 refunded"
    parked = run(path, "alice", "park", "2", "--note", "asked Bluebird which invoice")
    assert parked.exit_code == 0
    listing = run(path, "alice", "unapplied").output
    assert "parked by alice:" in listing and "which invoice" in listing and "1 receipt; unapplied $10.00 USD" in listing
    db = connect(path)
    assert db["payments"].get(1)["unapplied_cents"] == 0 and db["payments"].get(1)["customer_id"] == 1
    rows = db.execute("SELECT invoice_id, kind, amount_cents FROM payment_applications ORDER BY id").fetchall()
    assert rows == [(2, "apply", 400_000), (3, "apply", 100_000), (None, "refund", 150_000)]
    actions = [r[0] for r in db.execute("SELECT action FROM audit WHERE entity = 'payments' ORDER BY id")]
    assert actions[-5:] == [
        "payment.assign",
        "payment.apply",
        "payment.refund_request",
        "payment.refund",
        "payment.park",
    ]


def test_a_refund_request_is_listed_and_approved_by_a_lead_not_by_its_requester(tmp_path):
    path = book(tmp_path)
    assert run(path, "alice", "refund", "2", "10.00", "--note", "paid twice").exit_code == 0  # within $500
    assert run(path, "alice", "refund-requests").output.strip() == "no refund request waiting"
    run(path, "alice", "assign", "1", "C001")
    assert run(path, "alice", "refund", "1", "6,000.00", "--note", "prepaid order cancelled").exit_code == 0
    listed = run(path, "bob", "refund-requests").output
    assert "C001" in listed and "$6,000.00" in listed and "prepaid order cancelled" in listed
    own = run(path, "alice", "refund-approve", "1")
    assert own.exit_code == 1
    assert (
        own.output.strip()
        == "Error: alice is not a lead or manager: only they approve refunds above a collector's limit"
    )
    approved = run(path, "lead", "refund-approve", "1", "--note", "bank details checked")
    assert approved.exit_code == 0, approved.output
    assert approved.output.strip() == "refund request 1 ($6,000.00 of payment 1) approved: refunded"
    again = run(path, "lead", "refund-approve", "1")
    assert again.exit_code == 1 and "1 is refunded, not pending approval" in again.output
    db = connect(path)
    assert db["payments"].get(1)["unapplied_cents"] == 50_000
    assert db.execute("SELECT actor, action FROM audit ORDER BY id DESC LIMIT 2").fetchall() == [
        ("lead", "refund.approve"),
        ("alice", "payment.refund_request"),
    ]
