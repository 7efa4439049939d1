"""Collection KPIs from aggregates: DSO (count-back), CEI, best possible DSO, ADD, rates."""

from collections.abc import Sequence


def dso_countback(ar_cents: int, monthly_sales: Sequence[tuple[int, int]]) -> float:
    """Days sales outstanding by the count-back method.

    `monthly_sales` is (days in month, credit sales cents), newest month first. Whole
    months of sales are taken out of AR while AR covers them, counting their days; the
    rest is that fraction of the next month's days. If the months run out before AR is
    covered, the days counted so far are returned (a lower bound: pass enough history).
    No AR (or a net credit) is 0 days.
    """
    if ar_cents <= 0:
        return 0.0
    days, remaining = 0.0, ar_cents
    for month_days, sales in monthly_sales:
        if remaining < sales:
            return days + remaining / sales * month_days
        days += month_days
        remaining -= sales
    return days


def dso_capped(ar_cents: int, monthly_sales: Sequence[tuple[int, int]]) -> bool:
    """Whether the AR outlasts every month of sales given: ``dso_countback`` then returns the
    days of all the months, a lower bound (shown as "≥365" for the 12 months the KPIs take)."""
    return ar_cents > 0 and ar_cents >= sum(sales for _, sales in monthly_sales)


def cei(begin_ar: int, sales: int, end_ar: int, end_current_ar: int) -> float | None:
    """Collection effectiveness index in percent; None when nothing was collectible."""
    collectible = begin_ar + sales - end_current_ar
    return (begin_ar + sales - end_ar) / collectible * 100 if collectible else None


def best_possible_dso(current_ar: int, sales: int, days: int) -> float:
    """DSO if every customer paid on terms: current AR over the period's sales."""
    if sales <= 0:
        raise ValueError(f"best possible DSO needs credit sales above zero, got {sales}")
    return current_ar / sales * days


def add(dso: float, bpdso: float) -> float:
    """Average days delinquent: the days DSO runs beyond what terms allow."""
    return dso - bpdso


def percent_current(current_ar: int, total_ar: int) -> float | None:
    return current_ar / total_ar * 100 if total_ar else None


def promise_kept_rate(kept: int, partial: int, broken: int) -> float | None:
    """Percent of resolved promises that were kept in full; None when none resolved."""
    resolved = kept + partial + broken
    return kept / resolved * 100 if resolved else None


def average(total: int | float, count: int) -> float | None:
    """``total`` over ``count`` things; None when there are none."""
    return total / count if count else None
