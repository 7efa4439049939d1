from arctui.services.cash import apply_payment, record_payment
from arctui.services.disputes import open_dispute
from arctui.services.kpis import compute_kpis
from arctui.services.promises import record_promise
from arctui.services.queue import build_queue
from arctui.services.touchpoints import log_touchpoint
from tests.services.conftest import TODAY


def test_queue_ranks_by_score_and_explains_it(db, as_user):
    rows = build_queue(db, TODAY, "alice")
    # Bluebird owes less but is over its credit limit: that lifts it above Northwind
    assert [(r.account_no, r.score.total) for r in rows] == [("C002", 57.3), ("C001", 56.8)]
    assert "exposure $12,000.00 over limit $10,000.00" in {c.reason for c in rows[0].score.components}
    top = rows[1]
    assert top.buckets == {"current": 250_000, "1-30": 0, "31-60": 400_000, "61-90": 0, "90+": 1_500_000}
    assert top.past_due_cents == 1_900_000 and top.oldest_days_past_due == 115
    names = [c.name for c in top.score.components]
    assert names[0] == "past_due" and "no_contact" in names
    assert round(sum(c.points for c in top.score.components), 1) == top.score.total
    assert "never contacted" in {c.reason for c in top.score.components}


def test_queue_reflects_promises_contacts_and_disputes(db, as_user):
    alice = as_user("alice")
    before = {r.account_no: r.score.total for r in build_queue(db, TODAY, "alice")}
    log_touchpoint(alice, 2, "call", "PTP", follow_up_date=TODAY)
    record_promise(alice, 2, 500_000, TODAY)
    open_dispute(alice, 1, 1_000_000, "pricing")
    rows = {r.account_no: r for r in build_queue(db, TODAY, "alice")}
    bluebird = rows["C002"]
    assert bluebird.days_since_contact == 0 and bluebird.next_action_date == TODAY
    assert bluebird.next_action == "promise $5,000.00"
    reasons = {c.name: c.reason for c in bluebird.score.components}
    assert reasons["promise_due"] == "promise of $5,000.00 due today"
    northwind = {c.name: c.reason for c in rows["C001"].score.components}
    assert northwind["disputed"].endswith("of past due is disputed")
    assert rows["C001"].score.total < before["C001"]


def test_team_queue_and_limit(db):
    assert {r.owner for r in build_queue(db, TODAY)} == {"alice", "bob"}
    assert len(build_queue(db, TODAY, limit=1)) == 1


def test_kpis_on_the_small_book(db, as_user):
    k = compute_kpis(db, TODAY)
    assert k["total_ar_cents"] == 4_250_000
    assert k["current_ar_cents"] == 250_000
    assert round(k["percent_current"], 2) == round(250_000 / 4_250_000 * 100, 2)
    assert k["promise_kept_rate"] is None  # nothing resolved yet
    # nothing collected in the last 30 days: CEI is at most zero
    assert k["cei"] <= 0
    alice = as_user("alice")
    pay = record_payment(alice, 1_500_000, TODAY, "ach", customer_id=1)
    apply_payment(alice, pay, [(1, 1_500_000)], 1)
    after = compute_kpis(db, TODAY)
    assert after["total_ar_cents"] == 2_750_000
    assert after["cei"] > k["cei"]
    assert after["dso"] < k["dso"]
