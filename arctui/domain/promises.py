"""Promise-to-pay status, detected from the payments that arrived for it."""

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
