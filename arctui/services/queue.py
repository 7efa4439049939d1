"""The collector's queue: accounts ranked by the explainable priority score."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, partial

from sqlite_utils import Database

from arctui.domain.aging import BUCKETS
from arctui.domain.money import format_money
from arctui.domain.score import AccountFacts, Score, score_account
from arctui.store.facts import brought_to, day_units, holds
from arctui.store.read.accounts import account_facts
from arctui.store.read.queue import ranked_from_scratch, ranked_queue
from arctui.store.read.rates import book_units

FROM_SCRATCH_NOTE = (
    "read-only book: the queue's kept facts are not {day}'s, so it is computed from the ledger for this read (slower)"
)


@dataclass(frozen=True)
class QueueRow:
    customer_id: int
    account_no: str
    name: str
    region: str | None
    status: str
    owner: str | None
    currency: str
    buckets: dict[str, int]
    past_due_cents: int
    exposure_cents: int
    oldest_days_past_due: int | None
    days_since_contact: int | None
    next_action_date: date | None
    next_action: str
    score_of: Callable[[], Score] = field(repr=False, compare=False)

    @cached_property
    def score(self) -> Score:
        """The score and its components, worked out when first read: SQL ranked the queue
        with the same total, and only the rows someone looks at need the why (a whole
        team's queue is thousands of rows)."""
        return self.score_of()


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text[:10]) if text else None


def build_queue(
    db: Database, today: date, collector: str | None = None, limit: int | None = None, as_of: bool = False
) -> list[QueueRow]:
    """Accounts of ``collector`` (None: the whole team), highest score first.

    The ranking is read off the kept ``account_facts`` (brought to ``today`` first), whose
    score SQL computes from the score's rule table; only the rows returned get their
    components, in Python. A read-only book whose kept facts are not today's is ranked from
    scratch by the same rules, writing nothing (``from_scratch_note`` says so). ``as_of``:
    balances and aging of the book as it stood at the end of ``today``, computed from the
    history and scored account by account. Past-due money is weighed in the book currency
    where the day's rates convert an account's currency (``rates.book_units``), else in the
    account's own major units.
    """
    if as_of:
        return _ranked_from_history(db, today, collector, limit, book_units(db, today))
    if brought_to(db, today):
        ranked = ranked_queue(db, collector, limit)
    else:
        ranked = ranked_from_scratch(db, today.isoformat(), collector, limit, day_units(db, today))
    return [_row(r, r["past_due_cents"], r["days_since_contact"], partial(_score, r, today)) for r in ranked]


def _score(r: dict, today: date) -> Score:
    return score_account(_facts(r, today, r["unit"]), today, r["currency"])


def from_scratch_note(db: Database, today: date) -> str | None:
    """What to tell the reader when ``build_queue`` ranks from scratch (a read-only book on a
    day its kept facts are not of), asked after it; None when it read the kept facts."""
    return None if holds(db, today) else FROM_SCRATCH_NOTE.format(day=today.isoformat())


def _ranked_from_history(
    db: Database, today: date, collector: str | None, limit: int | None, units: dict[str, float]
) -> list[QueueRow]:
    scored = []
    for r in account_facts(db, today, collector, as_of=True):
        facts = _facts(r, today, units.get(r["currency"]))
        scored.append((score_account(facts, today, r["currency"]), facts, r))
    scored.sort(key=lambda s: (-s[0].total, -s[1].past_due_cents, s[2]["name"]))
    return [
        _row(r, facts.past_due_cents, facts.days_since_contact, partial(_same, score))
        for score, facts, r in scored[: limit or None]
    ]


def _same(score: Score) -> Score:
    return score


def _facts(r: dict, today: date, unit: float | None) -> AccountFacts:
    last_contact = _day(r["last_contact"])
    return AccountFacts(
        past_due_by_bucket={b: r[b] for b in BUCKETS[1:]},
        disputed_cents=r["disputed_cents"],
        planned_cents=r["planned_cents"],
        exposure_cents=r["exposure"],
        credit_limit_cents=r["credit_limit_cents"],
        days_since_contact=(today - last_contact).days if last_contact else None,
        cadence_days=r["cadence_days"],
        open_promise_date=_day(r["promise_date"]),
        open_promise_cents=r["promise_cents"],
        broken_promise_cents=r["broken_cents"],
        missed_instalment_cents=r["missed_cents"] or 0,
        missed_instalment_date=_day(r["missed_date"]),
        follow_up_date=_day(r["follow_up_date"]),
        unit=unit,
    )


def _row(r: dict, past_due_cents: int, days_since_contact: int | None, score_of: Callable[[], Score]) -> QueueRow:
    next_date, next_action = _next_action(
        _day(r["promise_date"]), r["promise_cents"], _day(r["follow_up_date"]), r["currency"]
    )
    return QueueRow(
        customer_id=r["id"],
        account_no=r["account_no"],
        name=r["name"],
        region=r["region"],
        status=r["status"],
        owner=r["owner"],
        currency=r["currency"],
        buckets={b: r[b] for b in BUCKETS},
        past_due_cents=past_due_cents,
        exposure_cents=r["exposure"],
        oldest_days_past_due=r["oldest_days"],
        days_since_contact=days_since_contact,
        next_action_date=next_date,
        next_action=next_action,
        score_of=score_of,
    )


def _next_action(promise_date, promise_cents, follow_up, currency) -> tuple[date | None, str]:
    options = []
    if promise_date:
        options.append((promise_date, f"promise {format_money(promise_cents, currency)}"))
    if follow_up:
        options.append((follow_up, "follow-up"))
    if not options:
        return None, ""
    return min(options, key=lambda option: option[0])  # a promise wins a tie
