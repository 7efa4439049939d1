"""Dunning: which reminder an overdue account is due now, and why (or why none).

The ladder is climbed one rung at a time: a final notice always follows a second reminder,
which always follows a first, however old the debt, so no customer's first letter is a
threat. The steps counted are those sent since the oldest open item fell due; an account
that paid up and fell behind again starts over.
"""
from dataclasses import dataclass

LADDER: tuple[tuple[str, int], ...] = (
    ("first_reminder", 1), ("second_reminder", 15), ("final_notice", 45),
)
"""(step, days past due of the oldest open item from which it may be sent), in order."""
STEPS = tuple(step for step, _ in LADDER)


@dataclass(frozen=True)
class Cadence:
    step_gap_days: int = 7
    """At most one step per this many days."""
    quiet_days: int = 3
    """No automated email within this many days of any contact (a call, an email...)."""


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


def due_step(facts: DunningFacts, cadence: Cadence = Cadence()) -> Decision:
    """The step to send now, or None; either way with the reason a collector can read."""
    dpd = facts.oldest_days_past_due
    if facts.status == "outside_collections":
        return Decision(None, "with outside collections")
    if dpd < LADDER[0][1]:
        return Decision(None, "nothing past due")
    if facts.open_dispute:
        return Decision(None, "an invoice is in dispute")
    if facts.plan_current:
        return Decision(None, "on a payment plan with instalments up to date")
    if facts.promise_pending:
        return Decision(None, "a promise to pay is pending")
    if facts.pending_email_id is not None:
        return Decision(None, f"email {facts.pending_email_id} is still waiting in the outbox",
                        send_waiting=True)
    rung = 0 if facts.last_step is None else STEPS.index(facts.last_step) + 1
    if rung == len(LADDER):
        return Decision(None, f"{STEPS[-1]} already sent; escalate instead")
    step, from_days = LADDER[rung]
    if dpd < from_days:
        return Decision(None, f"{step} from {_days(from_days)} past due (now {dpd})")
    gap = facts.days_since_last_step
    if gap is not None and gap < cadence.step_gap_days:
        return Decision(None, f"{facts.last_step} sent {_ago(gap)}; one step per "
                              f"{cadence.step_gap_days} days")
    quiet = facts.days_since_contact
    if quiet is not None and quiet < cadence.quiet_days:
        return Decision(None, f"contacted {_ago(quiet)}")
    if not facts.has_contact_email:
        return Decision(None, f"{step} due but no contact has an email address")
    after = f"after {facts.last_step}" if facts.last_step else "no reminder yet"
    return Decision(step, f"{_days(dpd)} past due, {after}")


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _ago(days: int) -> str:
    return "today" if days == 0 else f"{_days(days)} ago"
