"""The dunning ladder as a pure rule: which step is due, or why none."""

from datetime import date

import pytest

from arctui.domain.dunning import DunningFacts, Policy, PolicyError, Segment, Step, Strategy, due_step, strategy_for


def decide(**facts):
    return due_step(DunningFacts(**{"oldest_days_past_due": 20, **facts}))


def test_one_day_is_one_day():
    assert decide(oldest_days_past_due=1).reason == "1 day past due, no reminder yet"
    assert decide(days_since_contact=1).reason == "contacted 1 day ago"


@pytest.mark.parametrize(
    "dpd, last_step, expected",
    [
        (1, None, "first_reminder"),
        (20, None, "second_reminder"),
        (520, None, "final_notice"),  # first reached at 520 days late: the step its age calls for
        (15, "first_reminder", "second_reminder"),
        (50, "first_reminder", "final_notice"),
        (60, "second_reminder", "final_notice"),
    ],
)
def test_the_step_is_the_one_the_debts_age_calls_for(dpd, last_step, expected):
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
        ({"status": "credit_hold"}, "on credit hold: no reminders"),
        ({"status": "suspended"}, "suspended: no reminders"),
        ({"status": "legal"}, "escalated to legal: no reminders"),
        ({"status": "written_off"}, "written off: no reminders"),
        ({"paused_until": date(2026, 12, 1), "pause_reason": "CFO on leave"}, "paused until 2026-12-01: CFO on leave"),
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
        ({"has_contact_email": False}, "second_reminder due but no contact has an email address"),
    ],
)
def test_no_step_and_the_reason(facts, reason):
    decision = decide(**facts)
    assert (decision.step, decision.reason) == (None, reason)


def test_the_reason_for_a_step_says_where_the_account_stands():
    decision = decide(oldest_days_past_due=30, last_step="first_reminder", days_since_last_step=20)
    assert (decision.step, decision.reason) == ("second_reminder", "30 days past due, after first_reminder")


def test_the_policy_is_the_teams():
    facts = DunningFacts(oldest_days_past_due=30, last_step="first_reminder", days_since_last_step=3)
    assert due_step(facts, Policy(step_gap_days=3).strategy()).step == "second_reminder"
    assert (
        due_step(facts, Policy(step_gap_days=3, second_reminder=31).strategy()).reason
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


LADDER = Strategy(
    "calls",
    (Step(5, "email", "first_reminder"), Step(20, "call", "call_script"), Step(40, "letter", "final_notice")),
    step_gap_days=5,
    quiet_days=0,
)


def test_a_strategys_steps_go_by_their_channel():
    facts = DunningFacts(oldest_days_past_due=25, last_step="first_reminder", days_since_last_step=10)
    decision = due_step(facts, LADDER)
    assert (decision.step, decision.channel) == ("call_script", "call")
    letter = due_step(DunningFacts(oldest_days_past_due=41, has_contact_email=False), LADDER)
    assert (letter.step, letter.channel) == ("final_notice", "letter")  # a letter needs no email address
    assert (
        due_step(DunningFacts(oldest_days_past_due=4), LADDER).reason == "first_reminder from 5 days past due (now 4)"
    )


@pytest.mark.parametrize(
    "steps, problem",
    [
        ((), "has no steps"),
        ((Step(1, "fax", "first_reminder"),), "step 1: channel 'fax' is none of email, call, letter"),
        ((Step(1, "email", "a"), Step(9, "call", "a")), "step 2: template a is already a step of this strategy"),
        ((Step(9, "email", "a"), Step(9, "call", "b")), "b (9 days) must come after a (9 days)"),
        ((Step(0, "email", "a"),), "step 1: a reminder needs at least 1 day past due"),
    ],
)
def test_a_strategy_that_makes_no_ladder_is_refused(steps, problem):
    with pytest.raises(PolicyError) as refused:
        Strategy("s", steps).check()
    assert str(refused.value) == problem


def test_an_account_gets_the_first_strategy_whose_segment_matches_it():
    steps = (Step(1, "email", "first_reminder"),)
    strategies = [
        Strategy("big-emea", steps, Segment(regions=("EMEA",), min_open=10_000)),
        Strategy("risky", steps, Segment(risk_classes=("high", "watch"), max_open=10_000)),
        Strategy("default", steps),
    ]
    assert strategy_for(strategies, "EMEA", None, 10_000).name == "big-emea"
    assert strategy_for(strategies, "EMEA", "high", 9_999).name == "risky"
    assert strategy_for(strategies, "EMEA", "high", 10_000).name == "big-emea"
    assert strategy_for(strategies, "AMER", "high", 10_000).name == "default"  # max_open is excluded
    assert strategy_for(strategies, None, None, 0).name == "default"
    assert str(strategies[0].segment) == "region EMEA, open 10,000.."
