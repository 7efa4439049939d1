"""Promise-to-pay status, judged on the cash the account sent while the promise ran.

The rule (``judge_promises``):

- A promise's window runs from the day it was made to its promised date + grace days (to
  today while it is still running).
- Cash counts when it was RECEIVED from the account in the window, in the account's
  currency, whether it has been applied or not and whatever invoice it is applied to later:
  a customer who promised $5,000 and sent $5,000 on time has kept the promise, even if the
  money sits unapplied for a week or is applied to another invoice than the one named. Cash
  received before the promise was made does not count (the promise was for new money), nor
  does cash from another account or in another currency.
- Each cent counts once, up to the promised amount: a promise already judged holds on to
  the cash it was judged with (its ``paid_cents``); open promises share what is left,
  earliest promised date first.
- A refund dated inside the window takes back what it refunds from its receipt; a refund
  after the window does not reopen a judgement. So the verdict depends only on what was
  received and refunded in the window, never on when cash was applied or when the promise
  was settled.
- Received in full: kept (at any time). Short of that it stays open through the grace
  days, then it is partial if anything came in and broken if nothing did.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

PROMISE_STATUSES = ("open", "kept", "partial", "broken")


def promise_status(amount_cents: int, promised_date: date, paid_cents: int, today: date, grace_days: int = 3) -> str:
    """Status of a promise given what was paid between its creation and promised date + grace.

    Paying in full keeps it at any time; short of that it stays open through the grace
    days, then it is partial if anything came in and broken if nothing did.
    """
    if paid_cents >= amount_cents:
        return "kept"
    if today <= promised_date + timedelta(days=grace_days):
        return "open"
    return "partial" if paid_cents > 0 else "broken"


@dataclass(frozen=True)
class PromiseTerms:
    """One promise of an account, as the judging needs it. ``held_cents`` is None for an open
    promise (to be judged); for one already judged, the cash it was judged with."""

    id: int
    amount_cents: int
    created: date
    promised: date
    grace_days: int = 3
    held_cents: int | None = None

    @property
    def deadline(self) -> date:
        """The last day cash counts towards it: promised date + grace days."""
        return self.promised + timedelta(days=self.grace_days)


@dataclass(frozen=True)
class Receipt:
    """A payment received from the account, with its refunds as (day, cents)."""

    id: int
    received: date
    cents: int
    refunds: tuple[tuple[date, int], ...] = ()

    def kept_by(self, day: date) -> int:
        """What is left of it on ``day``: its amount less the refunds made by then."""
        return self.cents - sum(cents for when, cents in self.refunds if when <= day)


@dataclass(frozen=True)
class Verdict:
    status: str  # one of PROMISE_STATUSES
    paid_cents: int  # cash received towards it, at most its amount
    kept_on: date | None = None  # the day the cash that completed it arrived


def judge_promises(promises: Iterable[PromiseTerms], receipts: Iterable[Receipt], today: date) -> dict[int, Verdict]:
    """Judge ONE account's open promises on the cash received from it (the rule above);
    returns a verdict per open promise (``held_cents`` None)."""
    ordered = sorted(receipts, key=lambda r: (r.received, r.id))
    used: dict[int, int] = {}  # receipt id: cents already counted towards a promise
    judged = sorted((p for p in promises if p.held_cents is not None), key=lambda p: (p.promised, p.created, p.id))
    still_open = sorted((p for p in promises if p.held_cents is None), key=lambda p: (p.promised, p.created, p.id))
    verdicts = {}
    for promise in judged + still_open:
        wanted = promise.amount_cents if promise.held_cents is None else min(promise.held_cents, promise.amount_cents)
        end = min(promise.deadline, today)
        paid, kept_on = 0, None
        for receipt in ordered:
            if paid >= wanted or receipt.received > end:
                break
            if receipt.received < promise.created:
                continue
            take = min(receipt.kept_by(end) - used.get(receipt.id, 0), wanted - paid)
            if take > 0:
                used[receipt.id] = used.get(receipt.id, 0) + take
                paid += take
                kept_on = receipt.received
        if promise.held_cents is None:
            status = promise_status(promise.amount_cents, promise.promised, paid, today, promise.grace_days)
            verdicts[promise.id] = Verdict(status, paid, kept_on if status == "kept" else None)
    return verdicts
