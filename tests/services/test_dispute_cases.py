"""Disputes as cases: owner told by email, due date, notes, credited through a memo, rejected
back into the reminders."""

from datetime import date

import pytest

from arctui.config import Settings
from arctui.services.accounts import save_collector
from arctui.services.context import Context, fixed_clock
from arctui.services.credit_memos import approve_memo, post_memo, prepare_memo
from arctui.services.disputes import add_dispute_note, assign_dispute, open_dispute, resolve_dispute
from arctui.services.errors import InvalidInput
from arctui.services.records import get
from arctui.store.read.disputes import dispute_cases, dispute_notes
from arctui.store.read.email import dunning_facts
from arctui.store.read.timeline import timeline
from tests.services.conftest import TODAY

TEAMS = Settings({"dispute_teams": {"sales": "sales@firm.example"}})


@pytest.fixture
def alice(db):
    save_collector(Context(db, "lead", fixed_clock(TODAY)), "bob", "Bob Baker", "bob@firm.example", version=1)
    return Context(db, "alice", fixed_clock(TODAY), settings=TEAMS)


def outbox(db):
    return [tuple(r) for r in db.execute("SELECT to_addr, subject, customer_id FROM email_outbox ORDER BY id")]


def dispute(db, dispute_id):
    return get(db, "disputes", dispute_id)


def test_the_owner_gets_a_notice_and_the_case_a_due_date(db, alice):
    case = open_dispute(alice, 2, 400_000, "pricing", note="price list of May", owner="Sales")
    row = dispute(db, case)
    assert (row["owner"], row["due_date"]) == ("sales", "2026-12-23")  # 30 days unless told
    assert outbox(db) == [("sales@firm.example", f"Dispute {case} on INV-1002 (C001) is yours", None)]
    body = db.execute("SELECT body FROM email_outbox").fetchone()[0]
    assert "alice gave you" in body and "$4,000.00" in body and "Due by 2026-12-23" in body

    assign_dispute(alice, case, row["version"], "bob", date(2026, 12, 1), note="sales says: ask Bob")
    assert dispute(db, case)["owner"] == "bob" and dispute(db, case)["due_date"] == "2026-12-01"
    assert [r[0] for r in outbox(db)] == ["sales@firm.example", "bob@firm.example"]
    add_dispute_note(alice, case, "customer sent the May price list")
    assert [n["note"] for n in dispute_notes(db, case)] == ["sales says: ask Bob", "customer sent the May price list"]
    notes = [e.summary for e in timeline(db, 1) if e.kind == "dispute note"]
    assert "Dispute on INV-1002: customer sent the May price list" in notes


def test_an_owner_nobody_can_tell_is_refused_and_nothing_is_written(db, alice):
    with pytest.raises(InvalidInput, match="customer service has no email address"):
        open_dispute(alice, 2, 1_000, "pricing", owner="customer service")
    with pytest.raises(InvalidInput, match="'nobody' is neither an active collector nor a team"):
        open_dispute(alice, 2, 1_000, "pricing", owner="nobody")
    with pytest.raises(InvalidInput, match="due date: 2026-11-22 is before 2026-11-23"):
        open_dispute(alice, 2, 1_000, "pricing", due_date=date(2026, 11, 22))
    assert db.execute("SELECT count(*) FROM disputes").fetchone()[0] == 0 and outbox(db) == []
    mine = open_dispute(alice, 2, 1_000, "pricing")  # the one who opens it owns it: no notice
    assert dispute(db, mine)["owner"] == "alice" and outbox(db) == []


def test_a_disputed_invoice_leaves_the_reminders_and_comes_back_when_rejected(db, alice):
    def oldest_due():
        return {r["id"]: r["oldest_due"] for r in dunning_facts(db, TODAY)}[1]

    assert oldest_due() == "2026-07-31"  # INV-1001, the account's oldest
    case = open_dispute(alice, 1, 100, "quantity")
    assert oldest_due() == "2026-10-01"  # INV-1002 is still reminded
    resolve_dispute(alice, case, 1, "rejected", note="delivery note signed")
    assert oldest_due() == "2026-07-31"
    assert dispute(db, case)["resolution"] == "rejected"
    assert dispute_notes(db, case)[0]["note"] == "delivery note signed"


def test_credited_prepares_a_memo_and_the_open_amount_follows_it_when_posted(db, alice):
    case = open_dispute(alice, 2, 300_000, "pricing")
    memo = resolve_dispute(alice, case, 1, "credited", reason_code="PRC", gl_code="4010")
    row = db.execute("SELECT status, amount_cents, invoice_id FROM credit_memos WHERE id = ?", [memo]).fetchone()
    assert tuple(row) == ("pending_approval", 300_000, 2)  # above alice's $500 limit
    assert dispute(db, case)["credit_memo_id"] == memo and dispute(db, case)["status"] == "resolved"
    lead = Context(db, "lead", fixed_clock(TODAY))
    approve_memo(lead, memo, 2)
    assert db.execute("SELECT open_cents FROM invoices WHERE id = 2").fetchone()[0] == 400_000
    post_memo(lead, memo, 3)
    assert db.execute("SELECT open_cents FROM invoices WHERE id = 2").fetchone()[0] == 100_000


def test_credited_links_a_memo_of_the_same_invoice(db, alice):
    other = prepare_memo(alice, 1, 100, "PRC", "4010", invoice_id=1)
    memo = prepare_memo(alice, 1, 100, "PRC", "4010", invoice_id=2)
    case = open_dispute(alice, 2, 100, "pricing")
    with pytest.raises(InvalidInput, match=f"credit memo {other} is no memo of this invoice"):
        resolve_dispute(alice, case, 1, "credited", memo_id=other)
    with pytest.raises(InvalidInput, match="only a dispute resolved as credited has a credit memo"):
        resolve_dispute(alice, case, 1, "withdrawn", memo_id=memo)
    assert resolve_dispute(alice, case, 1, "credited", memo_id=memo) == memo
    assert db.execute("SELECT count(*) FROM credit_memos").fetchone()[0] == 2


def test_open_cases_show_age_owner_and_days_past_due(db, alice):
    first = open_dispute(Context(db, "alice", fixed_clock(date(2026, 10, 1))), 1, 100, "pricing")
    open_dispute(alice, 4, 100, "damaged", owner="sales", due_date=date(2026, 12, 1))
    cases = dispute_cases(db, TODAY)
    assert [(c["id"], c["owner"], c["age_days"], c["due_date"], c["days_overdue"]) for c in cases] == [
        (first, "alice", 53, "2026-10-31", 23),
        (first + 1, "sales", 0, "2026-12-01", 0),
    ]
    assert [c["invoice"] for c in dispute_cases(db, TODAY, collector="alice")] == ["INV-1001", "INV-2001"]
    assert dispute_cases(db, TODAY, collector="bob") == []


def test_a_credited_invoice_stays_out_of_the_reminders_until_its_memo_is_posted(db, alice):
    def oldest_due():
        return {r["id"]: r["oldest_due"] for r in dunning_facts(db, TODAY)}[1]

    case = open_dispute(alice, 1, 100, "quantity")
    memo = resolve_dispute(alice, case, 1, "credited", reason_code="QTY", gl_code="4020")
    assert oldest_due() == "2026-10-01"  # the memo is approved, not yet posted: INV-1001 still held
    post_memo(alice, memo, 2)
    assert oldest_due() == "2026-07-31"  # posted: what is left of INV-1001 is reminded again
