"""The dunning ladder as a pure rule: which step is due, or why none."""

import pytest

from arctui.domain.dunning import DunningFacts, Policy, PolicyError, due_step


def decide(**facts):
    return due_step(DunningFacts(**{"oldest_days_past_due": 20, **facts}))


def test_one_day_is_one_day():
    assert decide(oldest_days_past_due=1).reason == "1 day past due, no reminder yet"
    assert decide(days_since_contact=1).reason == "contacted 1 day ago"


@pytest.mark.parametrize(
    "dpd, last_step, expected",
    [
        (1, None, "first_reminder"),
        (90, None, "first_reminder"),  # one rung at a time, however old the debt
        (15, "first_reminder", "second_reminder"),
        (60, "second_reminder", "final_notice"),
    ],
)
def test_the_ladder_is_climbed_one_rung_at_a_time(dpd, last_step, expected):
    days = None if last_step is None else 10
    assert (
        decide(oldest_days_past_due=dpd, last_step=last_step, days_since_last_step=days, days_since_contact=days).step
        == expected
    )


@pytest.mark.parametrize(
    "facts, reason",
    [
        ({"oldest_days_past_due": 0}, "nothing past due"),
        ({"open_dispute": True}, "an invoice is in dispute"),
        ({"plan_current": True}, "on a payment plan with instalments up to date"),
        ({"promise_pending": True}, "a promise to pay is pending"),
        ({"pending_email_id": 7}, "email 7 is still waiting in the outbox"),
        ({"status": "outside_collections"}, "with outside collections"),
        (
            {"oldest_days_past_due": 12, "last_step": "first_reminder", "days_since_last_step": 10},
            "second_reminder from 15 days past due (now 12)",
        ),
        (
            {"oldest_days_past_due": 30, "last_step": "first_reminder", "days_since_last_step": 6},
            "first_reminder sent 6 days ago; one step per 7 days",
        ),
        ({"days_since_contact": 2}, "contacted 2 days ago"),
        (
            {"oldest_days_past_due": 99, "last_step": "final_notice", "days_since_last_step": 30},
            "final_notice already sent; escalate instead",
        ),
        ({"has_contact_email": False}, "first_reminder due but no contact has an email address"),
    ],
)
def test_no_step_and_the_reason(facts, reason):
    decision = decide(**facts)
    assert (decision.step, decision.reason) == (None, reason)


def test_the_reason_for_a_step_says_where_the_account_stands():
    decision = decide(oldest_days_past_due=50, last_step="first_reminder", days_since_last_step=20)
    assert (decision.step, decision.reason) == ("second_reminder", "50 days past due, after first_reminder")


def test_the_policy_is_the_teams():
    facts = DunningFacts(oldest_days_past_due=30, last_step="first_reminder", days_since_last_step=3)
    assert due_step(facts, Policy(step_gap_days=3)).step == "second_reminder"
    assert (
        due_step(facts, Policy(step_gap_days=3, second_reminder=31)).reason
        == "second_reminder from 31 days past due (now 30)"
    )


@pytest.mark.parametrize(
    "numbers, problem",
    [
        ({"second_reminder": 1}, "second_reminder (1 day) must come after first_reminder (1 day)"),
        ({"first_reminder": 0}, "first_reminder: a reminder needs at least 1 day past due"),
        ({"quiet_days": -1}, "quiet_days: expected a whole number of days, got -1"),
        ({"step_gap_days": "7"}, "step_gap_days: expected a whole number of days, got '7'"),
    ],
)
def test_a_policy_that_makes_no_ladder_is_refused(numbers, problem):
    with pytest.raises(PolicyError) as refused:
        Policy(**numbers).check()
    assert str(refused.value) == problem


def test_a_waiting_email_may_go_only_while_nothing_holds_the_account_back():
    assert decide(pending_email_id=7).send_waiting
    assert not decide(pending_email_id=7, open_dispute=True).send_waiting
    assert not decide(pending_email_id=7, oldest_days_past_due=0).send_waiting
