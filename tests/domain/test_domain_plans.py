import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arctui.domain.plans import (
    FREQUENCIES,
    Instalment,
    PlanError,
    check_schedule,
    equal_schedule,
    next_due,
    schedule_difference,
)


def test_weekly_and_biweekly_steps():
    assert next_due(date(2026, 11, 2), "weekly", 3) == date(2026, 11, 23)
    assert next_due(date(2026, 12, 28), "biweekly", 1) == date(2027, 1, 11)
    assert next_due(date(2026, 12, 28), "biweekly", 0) == date(2026, 12, 28)


def test_monthly_keeps_the_first_dates_day_clamped_to_month_end():
    first = date(2027, 1, 31)
    assert [next_due(first, "monthly", n) for n in range(4)] == [
        date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30),
    ]  # fmt: skip
    assert next_due(date(2027, 11, 30), "monthly", 3) == date(2028, 2, 29)
    assert next_due(date(2026, 12, 15), "monthly", 25) == date(2029, 1, 15)


def test_unknown_frequency():
    with pytest.raises(PlanError, match="'daily' is not one of weekly, biweekly, monthly"):
        next_due(date(2026, 1, 1), "daily", 1)


def test_equal_schedule_puts_the_remainder_last():
    plan = equal_schedule(100_000, 3, date(2027, 1, 31), "monthly")
    assert plan == [
        Instalment(1, date(2027, 1, 31), 33_333),
        Instalment(2, date(2027, 2, 28), 33_333),
        Instalment(3, date(2027, 3, 31), 33_334),
    ]


@pytest.mark.parametrize("total, count, message", [(0, 3, "more than zero"), (100, 0, "at least one")])
def test_equal_schedule_refuses(total, count, message):
    with pytest.raises(PlanError, match=message):
        equal_schedule(total, count, date(2027, 1, 1), "weekly")


def test_schedule_difference():
    assert schedule_difference(1_000, [300, 300, 300]) == -100
    assert schedule_difference(1_000, [500, 600]) == 100
    assert schedule_difference(1_000, []) == -1_000


FIRST = date(2027, 1, 1)


@pytest.mark.parametrize(
    "instalments, message",
    [
        ([], "a plan needs at least one instalment"),
        ([Instalment(1, FIRST, 1_000), Instalment(2, date(2027, 2, 1), 0)],
         "instalment 2 is $0.00; each must be more than zero"),
        ([Instalment(1, FIRST, 500), Instalment(2, FIRST, 500)],
         "instalment 2 is due 2027-01-01, not after instalment 1 due 2027-01-01"),
        ([Instalment(1, FIRST, 300), Instalment(2, date(2027, 2, 1), 600)],
         "instalments sum to $9.00, total is $10.00: $1.00 short"),
        ([Instalment(1, FIRST, 500), Instalment(2, date(2027, 2, 1), 600)],
         "instalments sum to $11.00, total is $10.00: $1.00 over"),
    ],
)  # fmt: skip
def test_check_schedule_says_what_is_wrong(instalments, message):
    with pytest.raises(PlanError, match=re.escape(message)):
        check_schedule(1_000, instalments)


def test_check_schedule_formats_in_the_plan_currency():
    with pytest.raises(PlanError, match="instalments sum to ¥900, total is ¥1,000: ¥100 short"):
        check_schedule(1_000, [Instalment(1, FIRST, 900)], currency="JPY")


@settings(max_examples=200)
@given(
    st.integers(1, 10**12),
    st.integers(1, 60),
    st.dates(date(2000, 1, 1), date(2090, 12, 31)),
    st.sampled_from(FREQUENCIES),
)
def test_equal_schedule_always_adds_up(total, count, first_due, frequency):
    plan = equal_schedule(total, count, first_due, frequency)
    assert len(plan) == count
    assert sum(i.amount_cents for i in plan) == total
    assert all(plan[-1].amount_cents >= i.amount_cents for i in plan)
    if total >= count:
        assert all(i.amount_cents > 0 for i in plan)
        check_schedule(total, plan)


def test_allocate_fills_instalments_in_order():
    from arctui.domain.plans import allocate

    assert allocate(250, [100, 100, 100]) == [100, 100, 50]
    assert allocate(0, [100, 100]) == [0, 0]
    assert allocate(500, [100, 100]) == [100, 100]
