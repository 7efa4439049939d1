import math
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from arctui.domain.score import AGE_WEIGHTS, AccountFacts, Score, score_account

TODAY = date(2026, 11, 20)
OWING = AccountFacts({"1-30": 100_000}, days_since_contact=0)  # $1,000 past due, just called


def component(facts, name, today=TODAY):
    found = {c.name: c for c in score_account(facts, today).components}
    return found.get(name)


def test_nothing_past_due_and_nothing_due_scores_zero():
    quiet = AccountFacts(
        {}, exposure_cents=9_000_000, credit_limit_cents=100, days_since_contact=400,
        disputed_cents=5_000, broken_promise_cents=1_000,
        open_promise_date=date(2026, 12, 1), follow_up_date=date(2026, 12, 1),
    )  # fmt: skip
    assert score_account(quiet, TODAY) == Score(0.0, ())


def test_past_due_is_logarithmic_in_age_weighted_dollars():
    facts = AccountFacts({"1-30": 2_231_000, "90+": 3_000_000, "current": 10**9}, days_since_contact=0)
    c = component(facts, "past_due")
    weighted_dollars = 22_310 + 4 * 30_000
    assert c.points == round(20 * math.log10(1 + weighted_dollars / 1000), 1)
    assert c.reason == "$52,310.00 past due, age-weighted $142,310.00"


def test_past_due_uses_the_currency():
    facts = AccountFacts({"61-90": 1_000}, days_since_contact=0)
    (c,) = score_account(facts, TODAY, currency="JPY").components
    assert c.reason == "¥1,000 past due, age-weighted ¥3,000"
    assert c.points == round(20 * math.log10(1 + 3), 1)


def test_broken_promise():
    c = component(replace(OWING, broken_promise_cents=250_000), "broken_promise")
    assert (c.points, c.reason) == (25, "promise of $2,500.00 broken")


@pytest.mark.parametrize(
    "promised, reason",
    [
        (TODAY, "promise of $500.00 due today"),
        (date(2026, 11, 19), "promise of $500.00 overdue by 1 day"),
        (date(2026, 11, 1), "promise of $500.00 overdue by 19 days"),
    ],
)
def test_promise_due(promised, reason):
    facts = AccountFacts({}, open_promise_date=promised, open_promise_cents=50_000)
    c = component(facts, "promise_due")
    assert (c.points, c.reason) == (20, reason)


def test_promise_not_yet_due_scores_nothing():
    assert component(replace(OWING, open_promise_date=date(2026, 11, 21)), "promise_due") is None


@pytest.mark.parametrize(
    "days, points, reason",
    [
        (14, None, None),
        (23, 9, "no contact for 23 days (target 14)"),
        (90, 20, "no contact for 90 days (target 14)"),
        (None, 20, "never contacted"),
    ],
)
def test_no_contact(days, points, reason):
    c = component(replace(OWING, days_since_contact=days), "no_contact")
    if points is None:
        assert c is None
    else:
        assert (c.points, c.reason) == (points, reason)


def test_never_contacted_counts_only_when_something_is_past_due():
    facts = AccountFacts({}, follow_up_date=TODAY)
    assert [c.name for c in score_account(facts, TODAY).components] == ["follow_up_due"]


def test_follow_up_due():
    c = component(replace(OWING, follow_up_date=date(2026, 11, 18)), "follow_up_due")
    assert (c.points, c.reason) == (10, "follow-up due 2026-11-18")
    assert component(replace(OWING, follow_up_date=date(2026, 11, 21)), "follow_up_due") is None


def test_disputed_share_pushes_the_account_down():
    c = component(replace(OWING, disputed_cents=40_000), "disputed")
    assert (c.points, c.reason) == (-12.0, "40% of past due is disputed")
    c = component(replace(OWING, disputed_cents=900_000), "disputed")
    assert (c.points, c.reason) == (-30.0, "100% of past due is disputed")


def test_over_limit():
    facts = replace(OWING, exposure_cents=6_000_000, credit_limit_cents=5_000_000)
    c = component(facts, "over_limit")
    assert (c.points, c.reason) == (15, "exposure $60,000.00 over limit $50,000.00")
    assert component(replace(facts, credit_limit_cents=6_000_000), "over_limit") is None
    assert component(replace(facts, credit_limit_cents=None), "over_limit") is None


def test_missed_instalment():
    facts = AccountFacts({}, missed_instalment_cents=30_000, missed_instalment_date=date(2026, 11, 1))
    c = component(facts, "missed_instalment")
    assert (c.points, c.reason) == (20, "plan instalment of $300.00 due 2026-11-01 missed")


def test_components_are_ordered_by_size_and_total_is_their_sum():
    facts = replace(
        OWING, days_since_contact=19, follow_up_date=TODAY, broken_promise_cents=1,
        disputed_cents=100_000,
    )  # fmt: skip
    score = score_account(facts, TODAY)
    assert [c.name for c in score.components] == [
        "disputed", "broken_promise", "follow_up_due", "past_due", "no_contact",
    ]  # fmt: skip
    assert score.total == round(-30 + 25 + 10 + 5 + round(20 * math.log10(2), 1), 1)


buckets = st.sampled_from(list(AGE_WEIGHTS))
cents = st.integers(0, 10**10)
facts_strategy = st.builds(
    AccountFacts,
    past_due_by_bucket=st.dictionaries(buckets, cents),
    disputed_cents=cents,
    exposure_cents=cents,
    credit_limit_cents=st.none() | cents,
    days_since_contact=st.none() | st.integers(0, 400),
    cadence_days=st.integers(1, 60),
    open_promise_date=st.none() | st.dates(date(2026, 10, 1), date(2026, 12, 31)),
    open_promise_cents=cents,
    broken_promise_cents=cents,
    missed_instalment_cents=cents,
    missed_instalment_date=st.none() | st.dates(date(2026, 10, 1), date(2026, 12, 31)),
    follow_up_date=st.none() | st.dates(date(2026, 10, 1), date(2026, 12, 31)),
)


@settings(max_examples=150)
@given(facts_strategy)
def test_total_is_the_sum_of_nonzero_components_largest_first(facts):
    score = score_account(facts, TODAY)
    assert math.isclose(score.total, sum(c.points for c in score.components), abs_tol=1e-9)
    assert all(c.points for c in score.components)
    sizes = [abs(c.points) for c in score.components]
    assert sizes == sorted(sizes, reverse=True)


@settings(max_examples=150)
@given(facts_strategy, buckets, st.integers(1, 10**10))
def test_more_past_due_money_never_lowers_the_score(facts, bucket, extra):
    # From nothing past due, a first cent may switch on the disputed discount: excluded.
    assume(sum(facts.past_due_by_bucket.values()) > 0)
    more = dict(facts.past_due_by_bucket)
    more[bucket] = more.get(bucket, 0) + extra
    after = score_account(replace(facts, past_due_by_bucket=more), TODAY)
    assert after.total >= score_account(facts, TODAY).total


@settings(max_examples=150)
@given(facts_strategy, st.data())
def test_moving_past_due_money_to_an_older_bucket_never_lowers_the_score(facts, data):
    names = list(AGE_WEIGHTS)
    younger = data.draw(st.sampled_from(names[:-1]))
    older = data.draw(st.sampled_from(names[names.index(younger) + 1 :]))
    moved = data.draw(st.integers(0, facts.past_due_by_bucket.get(younger, 0)))
    shifted = dict(facts.past_due_by_bucket)
    shifted[younger] = shifted.get(younger, 0) - moved
    shifted[older] = shifted.get(older, 0) + moved
    after = score_account(replace(facts, past_due_by_bucket=shifted), TODAY)
    assert after.total >= score_account(facts, TODAY).total
