"""Payment plan schedules: due dates, equal splits, and the checks a plan must pass."""

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from arctui.domain.money import format_money

FREQUENCIES = ("weekly", "biweekly", "monthly")
_DAYS_APART = {"weekly": 7, "biweekly": 14}


class PlanError(ValueError):
    """A plan that cannot be built or does not add up."""


@dataclass(frozen=True)
class Instalment:
    seq: int
    due_date: date
    amount_cents: int


def next_due(d: date, frequency: str, n: int) -> date:
    """The date `n` periods after `d`.

    Monthly steps keep d's day of month, clamped to shorter months, always counted from
    `d` itself: from Jan 31, n=1 is Feb 28 and n=2 is Mar 31.
    """
    if frequency not in FREQUENCIES:
        raise PlanError(f"frequency {frequency!r} is not one of {', '.join(FREQUENCIES)}")
    if frequency in _DAYS_APART:
        return d + timedelta(days=_DAYS_APART[frequency] * n)
    years, month0 = divmod(d.month - 1 + n, 12)
    year, month = d.year + years, month0 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def equal_schedule(total_cents: int, count: int, first_due: date, frequency: str) -> list[Instalment]:
    """Split `total_cents` into `count` equal instalments; the last takes the remainder."""
    if total_cents <= 0:
        raise PlanError(f"a plan total must be more than zero, got {total_cents} cents")
    if count < 1:
        raise PlanError(f"a plan needs at least one instalment, got {count}")
    base, remainder = divmod(total_cents, count)
    amounts = [base] * (count - 1) + [base + remainder]
    return [
        Instalment(seq, next_due(first_due, frequency, seq - 1), amount) for seq, amount in enumerate(amounts, start=1)
    ]


def schedule_difference(total_cents: int, amounts: Iterable[int]) -> int:
    """Sum of the amounts minus the plan total: negative is short, positive is over."""
    return sum(amounts) - total_cents


def check_schedule(total_cents: int, instalments: Sequence[Instalment], currency: str = "USD") -> None:
    """Raise PlanError saying what is wrong with the schedule, or return None."""
    money = partial(format_money, currency=currency)
    if not instalments:
        raise PlanError("a plan needs at least one instalment")
    for inst in instalments:
        if inst.amount_cents <= 0:
            amount = money(inst.amount_cents)
            raise PlanError(f"instalment {inst.seq} is {amount}; each must be more than zero")
    for before, inst in zip(instalments, instalments[1:]):
        if inst.due_date <= before.due_date:
            raise PlanError(
                f"instalment {inst.seq} is due {inst.due_date.isoformat()}, "
                f"not after instalment {before.seq} due {before.due_date.isoformat()}"
            )
    difference = schedule_difference(total_cents, (inst.amount_cents for inst in instalments))
    if difference:
        summed, gap = money(total_cents + difference), "short" if difference < 0 else "over"
        raise PlanError(f"instalments sum to {summed}, total is {money(total_cents)}: {money(abs(difference))} {gap}")


def allocate(paid_cents: int, amounts: Sequence[int]) -> list[int]:
    """Spread a paid total over instalments in order: earlier ones fill first."""
    paid = []
    for amount in amounts:
        share = max(0, min(amount, paid_cents))
        paid.append(share)
        paid_cents -= share
    return paid
