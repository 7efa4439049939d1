"""Aging buckets: a book's buckets (``AgingBuckets``, a manager's setting) and the standard
ones (``STANDARD``: current, 1-30, 31-60, 61-90, 90+), which are also the score's bands.

A book's buckets are the upper bounds of days past due, "0" being current (not yet due) and
the last bucket open-ended: 0,15,30,60,90,120 gives current, 1-15, 16-30, 31-60, 61-90,
91-120 and 120+. One value object answers in Python and in SQL alike.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

MIN_BUCKETS, MAX_BUCKETS = 2, 8
"""How many past-due buckets a book may have (besides current)."""
MAX_DAYS = 999
"""The largest bound a book may set, in days past due: every name then fits the screens'
seven-character bucket columns and the statement's aging lines ("501-999")."""


def days_past_due(due: date, as_of: date) -> int:
    """Days from the due date to `as_of`; zero or negative while not yet past due."""
    return (as_of - due).days


@dataclass(frozen=True)
class AgingBuckets:
    """Buckets from their upper bounds of days past due, the first 0 (current), strictly increasing."""

    bounds: tuple[int, ...]

    def __post_init__(self):
        bounds = self.bounds
        if not bounds or bounds[0] != 0:
            raise ValueError("the first bucket is current: its bound is 0")
        if not MIN_BUCKETS <= len(bounds) <= MAX_BUCKETS:
            raise ValueError(
                f"{MIN_BUCKETS} to {MAX_BUCKETS} past-due buckets (1 to {MAX_BUCKETS - 1} bounds after 0),"
                f" not {len(bounds)}"
            )
        if any(high <= low for low, high in zip(bounds, bounds[1:])):
            raise ValueError("the bounds must be strictly increasing")
        if bounds[-1] > MAX_DAYS:
            raise ValueError(f"a bound may be at most {MAX_DAYS} days, not {bounds[-1]}")

    @classmethod
    def parse(cls, text: str) -> "AgingBuckets":
        """Bounds written as in "0,15,30,60,90,120" (commas, slashes or spaces between them;
        the leading 0 may be left out); ValueError saying what is wrong."""
        parts = [part for part in re.split(r"[\s,/]+", (text or "").strip()) if part]
        if not parts:
            raise ValueError("no bounds given; expected days past due such as 0,30,60,90")
        bad = [part for part in parts if not part.isdigit()]
        if bad:
            raise ValueError(f"{bad[0]!r} is not a whole number of days; expected e.g. 0,15,30,60,90,120")
        bounds = tuple(int(part) for part in parts)
        return cls(bounds if bounds[0] == 0 else (0, *bounds))

    @property
    def text(self) -> str:
        """The bounds as the setting holds them: "0,30,60,90"."""
        return ",".join(str(bound) for bound in self.bounds)

    @cached_property
    def ranges(self) -> tuple[tuple[str, int | None, int | None], ...]:
        """(name, min days past due, max days past due) in order; None means unbounded."""
        found: list[tuple[str, int | None, int | None]] = [("current", None, 0)]
        for low, high in zip(self.bounds, self.bounds[1:]):
            found.append((f"{low + 1}-{high}", low + 1, high))
        found.append((f"{self.bounds[-1]}+", self.bounds[-1] + 1, None))
        return tuple(found)

    @cached_property
    def names(self) -> tuple[str, ...]:
        """Every bucket's name, current first."""
        return tuple(name for name, _, _ in self.ranges)

    @property
    def past_due(self) -> tuple[str, ...]:
        """The names of the past-due buckets (all but current)."""
        return self.names[1:]

    def bucket_for(self, due: date, as_of: date) -> str:
        """The first bucket whose upper bound holds the invoice's days past due."""
        days = days_past_due(due, as_of)
        return next(name for name, _, high in self.ranges if high is None or days <= high)

    def case_sql(self, due_expr: str, as_of_param: str) -> str:
        """A SQL CASE expression giving ``bucket_for``'s answer; NULL when the due date is NULL.

        `due_expr` is trusted SQL (usually a column); `as_of_param` names the bound parameter
        holding the ISO as-of date, with or without its ":" ("as_of" or ":as_of").
        """
        param = as_of_param if as_of_param[:1] in ":@$?" else f":{as_of_param}"
        return self.on_day_sql(due_expr, param)

    def on_day_sql(self, due_expr: str, day_expr: str) -> str:
        """``case_sql`` for a day given as trusted SQL: a bound parameter, or a column such as
        the date cash was applied (the bucket an invoice was in on that day)."""
        # ISO dates compare as text, and date(:as_of, ...) is constant, so SQLite computes each
        # cut-off once per query instead of a julianday() difference per row
        whens = " ".join(
            f"WHEN {due_expr} >= date({day_expr}, '-{high} days') THEN '{name}'"
            for name, _, high in self.ranges
            if high is not None
        )
        return f"CASE WHEN {due_expr} IS NULL THEN NULL {whens} ELSE '{self.names[-1]}' END"

    def sums_sql(self, amount: str, bucket: str = "bucket") -> str:
        """One ``sum(...) AS [name]`` column per bucket of ``amount`` (trusted SQL) over rows
        whose ``bucket`` column names their bucket."""
        return ", ".join(
            f"sum(CASE WHEN {bucket} = '{name}' THEN {amount} ELSE 0 END) AS [{name}]" for name in self.names
        )

    def due_range(self, name: str, today: date) -> tuple[str | None, str | None]:
        """Bucket ``name`` as (earliest, latest) ISO due dates on ``today``, either None when
        unbounded; ValueError naming the buckets when there is no such bucket."""
        bounds = {bucket: (low, high) for bucket, low, high in self.ranges}
        if name not in bounds:
            raise ValueError(f"unknown bucket {name!r}; expected one of {', '.join(bounds)}")
        low, high = bounds[name]
        latest = (today - timedelta(days=low)).isoformat() if low is not None else None
        earliest = (today - timedelta(days=high)).isoformat() if high is not None else None
        return earliest, latest

    def age_totals(self, items: Iterable[tuple[date, int]], as_of: date) -> dict[str, int]:
        """Open cents per bucket from (due date, open cents) pairs; every bucket is present."""
        totals = dict.fromkeys(self.names, 0)
        for due, cents in items:
            totals[self.bucket_for(due, as_of)] += cents
        return totals


STANDARD = AgingBuckets((0, 30, 60, 90))
"""A book's buckets until a manager sets others, and always the score's bands."""

# the standard buckets under their first names (arctui.api has exported BUCKETS since 1.0)
BUCKETS = STANDARD.names
BUCKET_BOUNDS: list[tuple[str, int | None, int | None]] = list(STANDARD.ranges)
bucket_for = STANDARD.bucket_for
bucket_case_sql = STANDARD.case_sql
bucket_on_day_sql = STANDARD.on_day_sql
age_totals = STANDARD.age_totals
