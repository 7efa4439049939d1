"""Explainable priority score: every point comes from a named component with a reason.

The store computes AccountFacts in SQL; the portfolio shows each component so a collector
can see why an account is first. Past-due points use major units of the account's
currency (dollars for USD); currencies are not converted.

``RULES`` is the one table of the score: each rule's points in Python (a component with
its reason, for the rows shown and the why-panel) and in SQL (the same arithmetic, so the
store ranks a whole portfolio without building a component per account). Both round to
tenths the same way (``tenths`` / ``tenths_sql``), so SQL's total is Python's total.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from arctui.domain.money import exponent, format_money

AGE_WEIGHTS = {"1-30": 1, "31-60": 2, "61-90": 3, "90+": 4}


@dataclass(frozen=True)
class AccountFacts:
    """One customer's aggregates, computed by SQL in the store."""

    past_due_by_bucket: dict[str, int]  # cents for "1-30", "31-60", "61-90", "90+" (missing = 0)
    disputed_cents: int = 0  # open disputed amount
    planned_cents: int = 0  # past-due money on an active payment plan
    exposure_cents: int = 0  # total open AR
    credit_limit_cents: int | None = None
    days_since_contact: int | None = None  # None = never contacted
    cadence_days: int = 14
    open_promise_date: date | None = None
    open_promise_cents: int = 0
    broken_promise_cents: int = 0  # promises broken in the last 30 days
    missed_instalment_cents: int = 0
    missed_instalment_date: date | None = None
    follow_up_date: date | None = None
    # minor units of the account's currency per major unit of the book currency, when a rate
    # converts it; None: 10 ** its exponent (the account's own major units)
    unit: float | None = None
    past_due_cents: int = field(init=False)  # derived: the buckets above, summed once

    def __post_init__(self):
        total = sum(self.past_due_by_bucket.get(bucket, 0) for bucket in AGE_WEIGHTS)
        object.__setattr__(self, "past_due_cents", total)


class Component(NamedTuple):
    """A named share of the score; its reason is written only when someone reads it, so
    ranking a whole portfolio formats no money it will not show."""

    name: str
    points: float
    explain: Callable[[], str]

    @property
    def reason(self) -> str:
        return self.explain()


@dataclass(frozen=True)
class Score:
    total: float
    components: tuple[Component, ...]  # non-zero only, largest |points| first


_Rule = Callable[[AccountFacts, date, str], Component | None]


class Rule(NamedTuple):
    """One named share of the score. ``component``: Python's, with the reason, or None when
    the rule does not apply; ``sql``: its points (0 when it does not apply) as a SQL
    expression over the columns ``SQL_COLUMNS`` names and the parameter ``:today``.
    ``fractional``: its points may have decimals, so SQL rounds them to tenths as Python
    does (whole points are their own tenths: the kept score spends no rounding on them)."""

    name: str
    component: _Rule
    sql: str
    fractional: bool = False


SQL_COLUMNS = (
    "the buckets [1-30] .. [90+], past_due_cents, disputed_cents, planned_cents, exposure,"
    " credit_limit_cents, days_since_contact, cadence_days, promise_date, broken_cents,"
    " missed_cents, follow_up_date (ISO dates), and unit: minor units of the account's currency per"
    " major unit of the book currency (10 ** its exponent when no rate converts it)"
)

PAST_DUE_POINTS, BROKEN_PROMISE_POINTS, PROMISE_DUE_POINTS, NO_CONTACT_POINTS = 20, 25, 20, 20
FOLLOW_UP_POINTS, PUSHED_DOWN_POINTS, OVER_LIMIT_POINTS, MISSED_INSTALMENT_POINTS = 10, -30, 15, 20


def tenths(points: float) -> float:
    """``points`` to one decimal, halves up: floor(10x + 0.5) / 10, as ``tenths_sql``
    computes it in SQLite (the same IEEE operations, so both give the same float)."""
    return math.floor(points * 10 + 0.5) / 10


def tenths_sql(expression: str) -> str:
    return f"(floor(({expression}) * 10 + 0.5) / 10.0)"


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _past_due(facts: AccountFacts, today: date, currency: str) -> Component | None:
    weighted = sum(w * facts.past_due_by_bucket.get(b, 0) for b, w in AGE_WEIGHTS.items())
    if weighted <= 0:
        return None
    points = PAST_DUE_POINTS * math.log10(1 + weighted / (facts.unit or 10 ** exponent(currency)) / 1000)
    return Component(
        "past_due",
        points,
        lambda: (
            f"{format_money(facts.past_due_cents, currency)} past due, age-weighted {format_money(weighted, currency)}"
        ),
    )


def _broken_promise(facts: AccountFacts, today: date, currency: str) -> Component | None:
    if facts.broken_promise_cents <= 0:
        return None
    return Component(
        "broken_promise",
        BROKEN_PROMISE_POINTS,
        lambda: f"promise of {format_money(facts.broken_promise_cents, currency)} broken",
    )


def _promise_due(facts: AccountFacts, today: date, currency: str) -> Component | None:
    if facts.open_promise_date is None or facts.open_promise_date > today:
        return None
    late = (today - facts.open_promise_date).days
    when = "due today" if late == 0 else f"overdue by {_days(late)}"
    return Component(
        "promise_due",
        PROMISE_DUE_POINTS,
        lambda: f"promise of {format_money(facts.open_promise_cents, currency)} {when}",
    )


def _no_contact(facts: AccountFacts, today: date, currency: str) -> Component | None:
    if facts.days_since_contact is None:
        owing = facts.past_due_cents > 0
        return Component("no_contact", NO_CONTACT_POINTS, lambda: "never contacted") if owing else None
    over = facts.days_since_contact - facts.cadence_days
    if over <= 0:
        return None
    return Component(
        "no_contact",
        min(NO_CONTACT_POINTS, over),
        lambda: f"no contact for {_days(facts.days_since_contact)} (target {facts.cadence_days})",
    )


def _follow_up_due(facts: AccountFacts, today: date, currency: str) -> Component | None:
    if facts.follow_up_date is None or facts.follow_up_date > today:
        return None
    return Component("follow_up_due", FOLLOW_UP_POINTS, lambda: f"follow-up due {facts.follow_up_date.isoformat()}")


def _disputed(facts: AccountFacts, today: date, currency: str) -> Component | None:
    """Disputed money is not the collector's to chase, so it pushes the account down."""
    past_due = facts.past_due_cents
    if facts.disputed_cents <= 0 or past_due <= 0:
        return None
    share = min(1.0, facts.disputed_cents / past_due)
    return Component("disputed", PUSHED_DOWN_POINTS * share, lambda: f"{share:.0%} of past due is disputed")


def _on_plan(facts: AccountFacts, today: date, currency: str) -> Component | None:
    """Past-due money an active plan schedules is being paid as agreed (a missed instalment
    scores on its own), so it pushes the account down like disputed money."""
    past_due = facts.past_due_cents
    if facts.planned_cents <= 0 or past_due <= 0:
        return None
    share = min(1.0, facts.planned_cents / past_due)
    return Component("on_plan", PUSHED_DOWN_POINTS * share, lambda: f"{share:.0%} of past due is on a payment plan")


def _over_limit(facts: AccountFacts, today: date, currency: str) -> Component | None:
    limit = facts.credit_limit_cents
    if limit is None or facts.exposure_cents <= limit:
        return None
    return Component(
        "over_limit",
        OVER_LIMIT_POINTS,
        lambda: f"exposure {format_money(facts.exposure_cents, currency)} over limit {format_money(limit, currency)}",
    )


def _missed_instalment(facts: AccountFacts, today: date, currency: str) -> Component | None:
    if facts.missed_instalment_cents <= 0:
        return None
    due = facts.missed_instalment_date
    when = f" due {due.isoformat()}" if due else ""
    return Component(
        "missed_instalment",
        MISSED_INSTALMENT_POINTS,
        lambda: f"plan instalment of {format_money(facts.missed_instalment_cents, currency)}{when} missed",
    )


_WEIGHTED_SQL = " + ".join(f"{weight} * [{bucket}]" for bucket, weight in AGE_WEIGHTS.items())


def _share_sql(cents: str) -> str:
    return (
        f"CASE WHEN {cents} > 0 AND past_due_cents > 0"
        f" THEN {PUSHED_DOWN_POINTS} * min(1.0, {cents} * 1.0 / past_due_cents) ELSE 0 END"
    )


RULES: tuple[Rule, ...] = (
    Rule("past_due", _past_due,
         f"CASE WHEN {_WEIGHTED_SQL} > 0"
         f" THEN {PAST_DUE_POINTS} * log10(1 + ({_WEIGHTED_SQL}) * 1.0 / unit / 1000) ELSE 0 END", fractional=True),
    Rule("broken_promise", _broken_promise, f"CASE WHEN broken_cents > 0 THEN {BROKEN_PROMISE_POINTS} ELSE 0 END"),
    Rule("promise_due", _promise_due, f"CASE WHEN promise_date <= :today THEN {PROMISE_DUE_POINTS} ELSE 0 END"),
    Rule("no_contact", _no_contact,
         f"CASE WHEN days_since_contact IS NULL THEN CASE WHEN past_due_cents > 0 THEN {NO_CONTACT_POINTS} ELSE 0 END"
         f" WHEN days_since_contact > cadence_days"
         f" THEN min({NO_CONTACT_POINTS}, days_since_contact - cadence_days) ELSE 0 END"),
    Rule("follow_up_due", _follow_up_due,
         f"CASE WHEN substr(follow_up_date, 1, 10) <= :today THEN {FOLLOW_UP_POINTS} ELSE 0 END"),
    Rule("disputed", _disputed, _share_sql("disputed_cents"), fractional=True),
    Rule("on_plan", _on_plan, _share_sql("planned_cents"), fractional=True),
    Rule("over_limit", _over_limit,
         f"CASE WHEN credit_limit_cents IS NOT NULL AND exposure > credit_limit_cents"
         f" THEN {OVER_LIMIT_POINTS} ELSE 0 END"),
    Rule("missed_instalment", _missed_instalment,
         f"CASE WHEN missed_cents > 0 THEN {MISSED_INSTALMENT_POINTS} ELSE 0 END"),
)  # fmt: skip
_DUE_NOW = frozenset({"promise_due", "follow_up_due", "missed_instalment"})


def score_account(facts: AccountFacts, today: date, currency: str = "USD") -> Score:
    """Score one account; zero when nothing is past due and nothing falls due today."""
    found = [c for rule in RULES if (c := rule.component(facts, today, currency))]
    if facts.past_due_cents <= 0 and not any(c.name in _DUE_NOW for c in found):
        return Score(0.0, ())
    rounded = [Component(c.name, tenths(float(c.points)), c.explain) for c in found]
    components = tuple(sorted((c for c in rounded if c.points), key=lambda c: -abs(c.points)))
    return Score(tenths(sum(c.points for c in components)), components)


def _parenthesised(expression: str) -> str:
    return f"({expression})"


def score_sql(today: str = ":today") -> str:
    """``score_account``'s total as one SQL expression over ``SQL_COLUMNS``: every rule's
    points in tenths, summed; zero when nothing is past due and nothing falls due today.
    ``today``: the SQL the rules' ``:today`` is read as (the kept facts' own ``day`` column)."""
    points = {
        rule.name: (tenths_sql if rule.fractional else _parenthesised)(rule.sql.replace(":today", today))
        for rule in RULES
    }
    due_now = " OR ".join(f"{points[name]} <> 0" for name in sorted(_DUE_NOW))
    return (
        f"CASE WHEN past_due_cents <= 0 AND NOT ({due_now}) THEN 0.0 ELSE {tenths_sql(' + '.join(points.values()))} END"
    )
