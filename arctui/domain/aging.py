"""Aging buckets, defined once in BUCKET_BOUNDS and shared by Python and SQL."""

from collections.abc import Iterable
from datetime import date

BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")
BUCKET_BOUNDS: list[tuple[str, int | None, int | None]] = [
    ("current", None, 0),
    ("1-30", 1, 30),
    ("31-60", 31, 60),
    ("61-90", 61, 90),
    ("90+", 91, None),
]
"""(name, min days past due, max days past due), in order; None means unbounded."""


def days_past_due(due: date, as_of: date) -> int:
    """Days from the due date to `as_of`; zero or negative while not yet past due."""
    return (as_of - due).days


def bucket_for(due: date, as_of: date) -> str:
    """The first bucket whose upper bound holds the invoice's days past due."""
    days = days_past_due(due, as_of)
    return next(name for name, _, high in BUCKET_BOUNDS if high is None or days <= high)


def bucket_case_sql(due_expr: str, as_of_param: str) -> str:
    """A SQL CASE expression giving bucket_for's answer; NULL when the due date is NULL.

    `due_expr` is trusted SQL (usually a column); `as_of_param` names the bound parameter
    holding the ISO as-of date, with or without its ":" ("as_of" or ":as_of").
    """
    param = as_of_param if as_of_param[:1] in ":@$?" else f":{as_of_param}"
    # ISO dates compare as text, and date(:as_of, ...) is constant, so SQLite computes each
    # cut-off once per query instead of a julianday() difference per row
    return bucket_on_day_sql(due_expr, param)


def bucket_on_day_sql(due_expr: str, day_expr: str) -> str:
    """``bucket_case_sql`` for a day given as trusted SQL: a bound parameter, or a column such
    as the date cash was applied (the bucket an invoice was in on that day)."""
    bounded = [(name, high) for name, _, high in BUCKET_BOUNDS if high is not None]
    whens = " ".join(f"WHEN {due_expr} >= date({day_expr}, '-{high} days') THEN '{name}'" for name, high in bounded)
    return f"CASE WHEN {due_expr} IS NULL THEN NULL {whens} ELSE '{BUCKETS[-1]}' END"


def age_totals(items: Iterable[tuple[date, int]], as_of: date) -> dict[str, int]:
    """Open cents per bucket from (due date, open cents) pairs; every bucket is present."""
    totals = dict.fromkeys(BUCKETS, 0)
    for due, cents in items:
        totals[bucket_for(due, as_of)] += cents
    return totals
