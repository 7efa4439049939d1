"""Escalations with a decision: recommended, approved or rejected by another lead, the account
changed only on approval, reinstated the same way, agency placements and recoveries, every
step audited."""

from datetime import date

import pytest
from sqlite_utils import Database

from arctui.domain.authority import AuthorityError
from arctui.services.accounts import credit_hold, escalate, save_collector
from arctui.services.context import Context, fixed_clock
from arctui.services.errors import InvalidInput
from arctui.services.escalations import (
    decide_escalation,
    recommend_escalation,
    recommend_reinstatement,
    record_recovery,
)
from arctui.services.records import get
from arctui.store.connection import connect
from arctui.store.migrations import MIGRATIONS
from arctui.store.read.escalations import escalation_rows, in_force, pending
from arctui.store.read.timeline import timeline
from tests.enrol import first_lead
from tests.services.conftest import TODAY, audit_actions, seed


@pytest.fixture
def team(db, as_user):
    save_collector(as_user("lead"), "maria", "Maria Manager", role="manager")
    return as_user


def status(db, customer_id=1):
    return get(db, "customers", customer_id)["status"]


def test_suspension_waits_for_another_leads_approval_and_is_reinstated_the_same_way(db, team):
    alice, lead, maria = team("alice"), team("lead"), team("maria")
    credit_hold(alice, 1, 1, "over limit")
    rec = escalate(alice, 1, "suspension", "six broken promises", version=2)
    assert status(db) == "credit_hold" and [p["id"] for p in pending(db)] == [rec]
    with pytest.raises(AuthorityError, match="alice is not a lead or manager"):
        decide_escalation(alice, rec, 1, approve=True)
    decide_escalation(lead, rec, 1, approve=True, note="agreed")
    assert status(db) == "suspended" and pending(db) == []
    assert [(e["kind"], e["status_before"]) for e in in_force(db, 1)] == [("suspension", "credit_hold")]

    back = recommend_reinstatement(lead, rec, "paid half, plan agreed")
    assert status(db) == "suspended"
    with pytest.raises(AuthorityError, match="lead recommended this: another lead or manager decides"):
        decide_escalation(lead, back, 1, approve=True)
    decide_escalation(maria, back, 1, approve=True)
    assert status(db) == "credit_hold" and in_force(db, 1) == []
    assert audit_actions(db)[-5:] == [
        "account.credit_hold",
        "escalation.recommend.suspension",
        "escalation.approve",
        "escalation.recommend.reinstate",
        "escalation.approve",
    ]
    events = db.execute("SELECT kind, detail FROM account_events WHERE customer_id = 1 ORDER BY id").fetchall()
    assert [tuple(e) for e in events][-2:] == [("escalation", "suspension"), ("reinstatement", "suspension")]
    shown = [(e.kind, e.summary, e.by) for e in timeline(db, 1) if e.kind in ("recommended", "decided")]
    assert ("recommended", "Recommended suspension: six broken promises", "alice") in shown
    assert ("decided", "Escalation to suspension approved: agreed", "lead") in shown
    assert ("recommended", "Recommended ending suspension: paid half, plan agreed", "lead") in shown


def test_a_rejection_says_why_and_leaves_the_account_as_it_was(db, team):
    rec = recommend_escalation(team("alice"), 3, "legal", "no answer for 200 days", version=1)
    with pytest.raises(InvalidInput, match="note: is required"):
        decide_escalation(team("lead"), rec, 1, approve=False)
    decide_escalation(team("lead"), rec, 1, approve=False, note="try a plan first")
    assert status(db, 3) == "active" and in_force(db, 3) == []
    row = get(db, "escalations", rec)
    assert (row["status"], row["decided_by"], row["decision_note"]) == ("rejected", "lead", "try a plan first")
    with pytest.raises(InvalidInput, match=f"escalation {rec} is already rejected"):
        decide_escalation(team("maria"), rec, 2, approve=True)


def test_one_recommendation_at_a_time_and_none_for_what_is_in_force(db, team):
    alice = team("alice")
    rec = recommend_escalation(alice, 3, "legal", "lawyer's letter", version=1)
    with pytest.raises(InvalidInput, match="a recommendation on legal already waits for a decision"):
        recommend_escalation(alice, 3, "legal", "again", version=1)
    decide_escalation(team("lead"), rec, 1, approve=True)
    assert status(db, 3) == "active"  # legal has no status of its own: it is in force
    assert [e["kind"] for e in in_force(db, 3)] == ["legal"]
    with pytest.raises(InvalidInput, match="Cobalt Foods is already under legal"):
        recommend_escalation(alice, 3, "legal", "again", version=1)
    with pytest.raises(InvalidInput, match="escalation: 'management' is not one of"):
        recommend_escalation(alice, 3, "management", "no", version=1)


def test_an_agency_placement_records_what_it_recovers(db, team):
    alice, lead = team("alice"), team("lead")
    with pytest.raises(InvalidInput, match="outside collections names the agency"):
        recommend_escalation(alice, 3, "outside_collections", "gone quiet", version=1)
    with pytest.raises(InvalidInput, match=r"amount placed: \$9,000.01 is more than what the account owes"):
        recommend_escalation(alice, 3, "outside_collections", "gone quiet", 1, agency="Acme", placed_cents=900_001)
    rec = recommend_escalation(alice, 3, "outside_collections", "gone quiet", version=1, agency="Acme Recovery")
    row = get(db, "escalations", rec)
    assert (row["agency"], row["placed_cents"], row["placed_date"], row["currency"]) == (
        "Acme Recovery",
        900_000,
        "2026-11-23",
        "USD",
    )
    with pytest.raises(InvalidInput, match="the placement is recommended, not approved"):
        record_recovery(lead, rec, 100, TODAY)
    decide_escalation(lead, rec, 1, approve=True)
    assert status(db, 3) == "outside_collections"
    record_recovery(lead, rec, 600_000, TODAY, "first cheque")
    with pytest.raises(InvalidInput, match=r"\$3,000.01 is more than what is left of the placement \(\$3,000.00\)"):
        record_recovery(lead, rec, 300_001, TODAY)
    with pytest.raises(InvalidInput, match="received: 2026-11-24 is after today"):
        record_recovery(lead, rec, 100, date(2026, 11, 24))
    legal = recommend_escalation(alice, 2, "legal", "lawyer's letter", version=1)
    with pytest.raises(InvalidInput, match=f"escalation {legal} placed no amount with an agency"):
        record_recovery(lead, legal, 100, TODAY)
    [report_row] = [r for r in escalation_rows(db, TODAY) if r["id"] == rec]
    assert (report_row["recovered_cents"], report_row["in_force"], report_row["agency"]) == (
        600_000,
        1,
        "Acme Recovery",
    )


def test_management_and_sales_stay_immediate_events(db, team):
    assert escalate(team("alice"), 2, "management", "customer asks for the CFO", version=1) is None
    assert pending(db) == [] and status(db, 2) == "active"
    assert db.execute("SELECT detail FROM account_events WHERE customer_id = 2").fetchone()[0] == "management"


def test_an_account_suspended_before_decisions_is_in_force_after_migrating_and_can_be_reinstated(tmp_path):
    path = tmp_path / "old.db"
    db = Database(path)
    for step in MIGRATIONS[:11]:  # a book written before schema 12 (and every one after it)
        step(db)
    db.execute("PRAGMA user_version = 11")
    lead = first_lead(db, fixed_clock(TODAY))
    for login, name, role in (
        ("alice", "Alice", "collector"),
        ("bob", "Bob", "collector"),
        ("maria", "Maria", "manager"),
    ):
        save_collector(lead, login, name, role=role)
    seed(db)
    db.execute("UPDATE customers SET status = 'suspended' WHERE id = 2")
    db.execute(
        "INSERT INTO account_events (customer_id, kind, detail, note, at, by)"
        " VALUES (2, 'escalation', 'suspension', 'stopped in 2025', '2025-06-01T09:00:00Z', 'alice')"
    )
    db.conn.commit()
    db.close()
    db = connect(path, upgrade=True)
    [legacy] = in_force(db, 2)
    assert (legacy["kind"], legacy["note"], legacy["decided_at"]) == (
        "suspension",
        "stopped in 2025",
        "2025-06-01T09:00:00Z",
    )
    back = recommend_reinstatement(Context(db, "lead", fixed_clock(TODAY)), legacy["id"], "paid in full")
    decide_escalation(Context(db, "maria", fixed_clock(TODAY)), back, 1, approve=True)
    assert get(db, "customers", 2)["status"] == "active"
    db.close()
