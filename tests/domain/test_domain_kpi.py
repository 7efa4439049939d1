import pytest

from arctui.domain.kpi import (
    add,
    average,
    best_possible_dso,
    cei,
    dso_countback,
    percent_current,
    promise_kept_rate,
)

SALES = [(30, 400_000), (31, 350_000), (30, 500_000)]  # newest month first


def test_dso_countback_textbook():
    # 1,000,000 - 400,000 - 350,000 = 250,000, half of the third month's 500,000
    assert dso_countback(1_000_000, SALES) == 30 + 31 + 15 == 76.0


def test_dso_countback_inside_the_first_month():
    assert dso_countback(100_000, SALES) == 7.5


def test_dso_countback_exactly_whole_months():
    assert dso_countback(750_000, SALES) == 61.0


def test_dso_countback_returns_the_days_counted_when_sales_run_out():
    assert dso_countback(5_000_000, SALES) == 91.0
    assert dso_countback(5_000, []) == 0.0


def test_dso_countback_month_without_sales_counts_its_days():
    assert dso_countback(200_000, [(31, 0), (30, 400_000)]) == 31 + 15


def test_dso_countback_no_ar_is_zero():
    assert dso_countback(0, SALES) == 0.0
    assert dso_countback(-50_000, SALES) == 0.0
    assert dso_countback(0, [(31, 0), (30, 400_000)]) == 0.0


def test_cei_textbook():
    # begin 500k + sales 300k - end 400k = 400k collected of 800k - 150k current = 650k
    assert cei(500_000, 300_000, 400_000, 150_000) == pytest.approx(61.538, abs=1e-3)
    assert cei(0, 0, 0, 0) is None


def test_best_possible_dso_and_add():
    bpdso = best_possible_dso(300_000, 900_000, 90)
    assert bpdso == 30.0
    assert add(76.0, bpdso) == 46.0


def test_best_possible_dso_needs_sales():
    with pytest.raises(ValueError, match="credit sales above zero, got 0"):
        best_possible_dso(100, 0, 30)


def test_percent_current():
    assert percent_current(250, 1_000) == 25.0
    assert percent_current(0, 0) is None


def test_promise_kept_rate():
    assert promise_kept_rate(6, 2, 2) == 60.0
    assert promise_kept_rate(0, 0, 0) is None


def test_average():
    assert average(75, 3) == 25.0
    assert average(1.5, 1) == 1.5
    assert average(0, 0) is None


def test_dso_is_capped_when_the_ar_outlasts_the_months_of_sales():
    from arctui.domain.kpi import dso_capped

    assert dso_capped(5_000_000, SALES) and dso_capped(1_250_000, SALES)
    assert not dso_capped(1_249_999, SALES) and not dso_capped(0, SALES) and not dso_capped(0, [])
    assert dso_capped(1, [(30, 0)] * 12)
