"""Issue 13, defect 7: a plan for the account's past-due balance changes the queue and says so."""

from datetime import date

from arctui.domain.plans import equal_schedule
from arctui.services.plans import cancel_plan, create_plan
from arctui.services.queue import build_queue

TODAY = date(2026, 11, 23)


def alice_queue(db):
    return {row.account_no: row for row in build_queue(db, TODAY, "alice")}


def test_a_plan_for_the_whole_past_due_balance_pushes_the_account_down_and_says_why(db, as_user):
    before = alice_queue(db)["C001"]
    assert "on_plan" not in [c.name for c in before.score.components]
    schedule = equal_schedule(1_900_000, 6, date(2026, 12, 1), "monthly")
    create_plan(as_user("alice"), 1, 1_900_000, schedule, "monthly", invoice_ids=[1, 2])
    after = alice_queue(db)["C001"]
    on_plan = next(c for c in after.score.components if c.name == "on_plan")
    assert on_plan.points == -30.0 and on_plan.reason == "100% of past due is on a payment plan"
    assert after.score.total == round(before.score.total - 30, 1)
    assert after.past_due_cents == before.past_due_cents  # the money is still owed, and shown


def test_a_plan_for_part_of_it_counts_its_share_and_a_cancelled_plan_nothing(db, as_user):
    schedule = equal_schedule(400_000, 2, date(2026, 12, 1), "monthly")
    plan = create_plan(as_user("alice"), 1, 400_000, schedule, "monthly", invoice_ids=[2])
    on_plan = next(c for c in alice_queue(db)["C001"].score.components if c.name == "on_plan")
    assert on_plan.reason == "21% of past due is on a payment plan"  # 400,000 of 1,900,000
    cancel_plan(as_user("alice"), plan, 1, note="customer asked to pay in full")
    assert "on_plan" not in [c.name for c in alice_queue(db)["C001"].score.components]


def test_every_score_component_has_its_name_in_words_in_the_why_panel():
    from arctui.console.widgets.why_panel import FACTORS
    from arctui.domain import score

    names = {rule.name for rule in score.RULES}
    assert names == set(FACTORS)
