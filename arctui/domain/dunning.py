"""Dunning: which reminder an overdue account is due now, and why (or why none).

The ladder is climbed one rung at a time: a final notice always follows a second reminder,
which always follows a first, however old the debt, so no customer's first letter is a
threat. The steps counted are those sent since the oldest open item fell due; an account
that paid up and fell behind again starts over.
"""

from dataclasses import dataclass

STEPS = ("first_reminder", "second_reminder", "final_notice")


class PolicyError(ValueError):
    """A dunning policy whose numbers do not make a ladder."""


@dataclass(frozen=True)
class Policy:
    """A team's dunning rules: from how many days past due (of the oldest open item) each
    step may be sent, at most one step per ``step_gap_days``, and none within ``quiet_days``
    of any contact (a call, an email...)."""

    first_reminder: int = 1
    second_reminder: int = 15
    final_notice: int = 45
    step_gap_days: int = 7
    quiet_days: int = 3

    @property
    def ladder(self) -> tuple[tuple[str, int], ...]:
        return tuple((step, getattr(self, step)) for step in STEPS)

    def check(self) -> "Policy":
        for name, value in vars(self).items():
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise PolicyError(f"{name}: expected a whole number of days, got {value!r}")
        if self.first_reminder < 1:
            raise PolicyError("first_reminder: a reminder needs at least 1 day past due")
        for (before, low), (step, high) in zip(self.ladder, self.ladder[1:]):
            if high <= low:
                raise PolicyError(f"{step} ({_days(high)}) must come after {before} ({_days(low)})")
        return self


@dataclass(frozen=True)
class DunningFacts:
    oldest_days_past_due: int
    """Of the oldest open item; zero or less when nothing is past due."""
    days_since_contact: int | None = None
    """Since the last touchpoint of any kind; None when there never was one."""
    last_step: str | None = None
    """The last step sent in this delinquency."""
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


@dataclass(frozen=True)
class Decision:
    step: str | None
    reason: str
    send_waiting: bool = False
    """The account's dunning email already in the outbox may still go (nothing holds it back);
    when False, an email still waiting there is no longer wanted."""


def due_step(facts: DunningFacts, policy: Policy = Policy()) -> Decision:
    """The step to send now, or None; either way with the reason a collector can read."""
    dpd = facts.oldest_days_past_due
    if facts.status == "outside_collections":
        return Decision(None, "with outside collections")
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
    rung = 0 if facts.last_step is None else STEPS.index(facts.last_step) + 1
    if rung == len(STEPS):
        return Decision(None, f"{STEPS[-1]} already sent; escalate instead")
    step, from_days = policy.ladder[rung]
    if dpd < from_days:
        return Decision(None, f"{step} from {_days(from_days)} past due (now {dpd})")
    gap = facts.days_since_last_step
    if gap is not None and gap < policy.step_gap_days:
        return Decision(None, f"{facts.last_step} sent {_ago(gap)}; one step per {_days(policy.step_gap_days)}")
    quiet = facts.days_since_contact
    if quiet is not None and quiet < policy.quiet_days:
        return Decision(None, f"contacted {_ago(quiet)}")
    if not facts.has_contact_email:
        return Decision(None, f"{step} due but no contact has an email address")
    after = f"after {facts.last_step}" if facts.last_step else "no reminder yet"
    return Decision(step, f"{_days(dpd)} past due, {after}")


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _ago(days: int) -> str:
    return "today" if days == 0 else f"{_days(days)} ago"
