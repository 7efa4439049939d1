"""Dunning: which reminder an overdue account is due now, and why (or why none).

A strategy is a ladder of steps for a segment of the book: from how many days past due (of
the oldest open item) each step goes, by which channel (an email, a call task for the
collector, a letter to print) and with which template. The step due is the one the debt's
age calls for: an account first reached at 520 days past due gets the last step its age has
reached, not the first reminder. A step is never sent twice in a delinquency and the ladder
never goes down; the steps counted are those sent since the oldest open item fell due, so an
account that paid up and fell behind again starts over.

Only active accounts are reminded: an account on credit hold, suspended, escalated or with
outside collections is not, nor one a collector paused.
"""

from dataclasses import dataclass, field
from datetime import date

STEPS = ("first_reminder", "second_reminder", "final_notice")
"""The steps of the default strategy (today's ladder), each its own template."""
CHANNELS = ("email", "call", "letter")
NOT_REMINDED = {
    "outside_collections": "with outside collections",
    "credit_hold": "on credit hold: no reminders",
    "suspended": "suspended: no reminders",
    "legal": "escalated to legal: no reminders",
}
"""Why an account of a status other than active, or escalated without a status of its own
(legal), gets no reminder (another: its name)."""


class PolicyError(ValueError):
    """A dunning policy or strategy whose numbers do not make a ladder."""


@dataclass(frozen=True)
class Step:
    days: int
    """From this many days past due (of the oldest open item)."""
    channel: str
    template: str
    """Names the step too: a strategy uses each template once."""


@dataclass(frozen=True)
class Segment:
    """Which accounts a strategy is for: each part given must match, an empty one matches all.
    ``regions`` and ``risk_classes`` list the values an account may have (exact text); the
    size band is the account's open balance in whole units of its own currency,
    ``min_open`` included, ``max_open`` excluded."""

    regions: tuple[str, ...] = ()
    risk_classes: tuple[str, ...] = ()
    min_open: int | None = None
    max_open: int | None = None

    def matches(self, region: str | None, risk_class: str | None, open_units: int) -> bool:
        return (
            (not self.regions or region in self.regions)
            and (not self.risk_classes or risk_class in self.risk_classes)
            and (self.min_open is None or open_units >= self.min_open)
            and (self.max_open is None or open_units < self.max_open)
        )

    def __str__(self) -> str:
        parts = []
        if self.regions:
            parts.append(f"region {' or '.join(self.regions)}")
        if self.risk_classes:
            parts.append(f"risk {' or '.join(self.risk_classes)}")
        if self.min_open is not None or self.max_open is not None:
            low = "" if self.min_open is None else f"{self.min_open:,}"
            high = "" if self.max_open is None else f"{self.max_open:,}"
            parts.append(f"open {low}..{high}")
        return ", ".join(parts) or "every account"


@dataclass(frozen=True)
class Strategy:
    name: str
    steps: tuple[Step, ...]
    segment: Segment = field(default_factory=Segment)
    step_gap_days: int = 7
    """At most one step per this many days."""
    quiet_days: int = 3
    """No step within this many days of any contact (a call, an email...)."""

    def check(self) -> "Strategy":
        """The strategy itself, or PolicyError saying what makes it no ladder."""
        for name in ("step_gap_days", "quiet_days"):
            _whole_days(name, getattr(self, name))
        if not self.steps:
            raise PolicyError("has no steps")
        seen = set()
        for number, step in enumerate(self.steps, start=1):
            where = f"step {number}"
            _whole_days(f"{where}: days", step.days)
            if step.days < 1:
                raise PolicyError(f"{where}: a reminder needs at least 1 day past due")
            if step.channel not in CHANNELS:
                raise PolicyError(f"{where}: channel {step.channel!r} is none of {', '.join(CHANNELS)}")
            if step.template in seen:
                raise PolicyError(f"{where}: template {step.template} is already a step of this strategy")
            seen.add(step.template)
        for before, after in zip(self.steps, self.steps[1:]):
            if after.days <= before.days:
                raise PolicyError(
                    f"{after.template} ({_days(after.days)}) must come after {before.template} ({_days(before.days)})"
                )
        return self

    def rung_of(self, template: str | None) -> int:
        """The index of the step with this template; -1 for none (or a step of another strategy)."""
        return next((i for i, step in enumerate(self.steps) if step.template == template), -1)


def strategy_for(strategies: list[Strategy], region: str | None, risk_class: str | None, open_units: int) -> Strategy:
    """The first strategy whose segment matches the account (the last one matches every account)."""
    return next(s for s in strategies if s.segment.matches(region, risk_class, open_units))


@dataclass(frozen=True)
class Policy:
    """The ``[dunning]`` settings of a runner's config, as they were before strategies were
    kept in the book: they still make the default strategy of a book where nobody set one."""

    first_reminder: int = 1
    second_reminder: int = 15
    final_notice: int = 45
    step_gap_days: int = 7
    quiet_days: int = 3

    def strategy(self) -> Strategy:
        steps = tuple(Step(getattr(self, name), "email", name) for name in STEPS)
        return Strategy("default", steps, step_gap_days=self.step_gap_days, quiet_days=self.quiet_days)

    def check(self) -> "Policy":
        for name, value in vars(self).items():
            _whole_days(name, value)
        if self.first_reminder < 1:
            raise PolicyError("first_reminder: a reminder needs at least 1 day past due")
        self.strategy().check()
        return self


DEFAULT = Policy().strategy()


def _whole_days(name: str, value) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise PolicyError(f"{name}: expected a whole number of days, got {value!r}")


@dataclass(frozen=True)
class DunningFacts:
    oldest_days_past_due: int
    """Of the oldest open item; zero or less when nothing is past due."""
    days_since_contact: int | None = None
    """Since the last touchpoint of any kind; None when there never was one."""
    last_step: str | None = None
    """The template of the last step sent in this delinquency."""
    days_since_last_step: int | None = None
    open_dispute: bool = False
    plan_current: bool = False
    """An active payment plan with every instalment due so far paid."""
    promise_pending: bool = False
    """An open promise whose date (plus grace days) has not passed."""
    pending_email_id: int | None = None
    """A dunning email of this account not yet sent (queued, failed, or in doubt)."""
    status: str = "active"
    has_contact_email: bool = True
    paused_until: date | None = None
    """A collector paused the account's reminders until this day (inclusive)..."""
    pause_reason: str = ""
    """...for this reason."""


@dataclass(frozen=True)
class Decision:
    step: str | None
    """The template of the step to take now."""
    reason: str
    send_waiting: bool = False
    """The account's dunning email already in the outbox may still go (nothing holds it back);
    when False, an email still waiting there is no longer wanted."""
    channel: str = "email"


def due_step(facts: DunningFacts, strategy: Strategy = DEFAULT) -> Decision:
    """The step to take now, or None; either way with the reason a collector can read."""
    dpd = facts.oldest_days_past_due
    if facts.status != "active":
        return Decision(None, NOT_REMINDED.get(facts.status, f"{facts.status.replace('_', ' ')}: no reminders"))
    if facts.paused_until is not None:
        return Decision(None, f"paused until {facts.paused_until.isoformat()}: {facts.pause_reason}")
    if dpd < 1:
        return Decision(None, "nothing past due")
    if facts.open_dispute:
        return Decision(None, "an invoice is in dispute")
    if facts.plan_current:
        return Decision(None, "on a payment plan with instalments up to date")
    if facts.promise_pending:
        return Decision(None, "a promise to pay is pending")
    if facts.pending_email_id is not None:
        return Decision(None, f"email {facts.pending_email_id} is still waiting in the outbox", send_waiting=True)
    steps = strategy.steps
    sent = strategy.rung_of(facts.last_step) if facts.last_step else -1
    if sent == len(steps) - 1:
        return Decision(None, f"{steps[-1].template} already sent; escalate instead")
    reached = max((i for i, step in enumerate(steps) if step.days <= dpd), default=-1)
    if reached <= sent:
        following = steps[sent + 1]
        return Decision(None, f"{following.template} from {_days(following.days)} past due (now {dpd})")
    gap = facts.days_since_last_step
    if gap is not None and gap < strategy.step_gap_days:
        return Decision(None, f"{facts.last_step} sent {_ago(gap)}; one step per {_days(strategy.step_gap_days)}")
    quiet = facts.days_since_contact
    if quiet is not None and quiet < strategy.quiet_days:
        return Decision(None, f"contacted {_ago(quiet)}")
    step = steps[reached]
    if step.channel == "email" and not facts.has_contact_email:
        return Decision(None, f"{step.template} due but no contact has an email address")
    after = f"after {facts.last_step}" if facts.last_step else "no reminder yet"
    return Decision(step.template, f"{_days(dpd)} past due, {after}", channel=step.channel)


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _ago(days: int) -> str:
    return "today" if days == 0 else f"{_days(days)} ago"
