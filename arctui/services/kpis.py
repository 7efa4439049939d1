"""Portfolio KPIs: DSO (count-back), CEI, ADD, % current, promise-kept rate, contact cadence.

The sums come from the read model (``arctui.store.read.kpis``); the periods and the
arithmetic are here and in ``arctui.domain.kpi``. Money is never summed across currencies:
KPIs are of one currency's invoices and cash, or of every currency converted into the book
currency at the rates of the day (``arctui.services.currency``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlite_utils import Database

from arctui.domain import kpi
from arctui.domain.money import format_money
from arctui.services.currency import convert_cents
from arctui.services.errors import ServiceError
from arctui.store.facts import brought_to
from arctui.store.read import kpis as read
from arctui.store.read.rates import book_currency

CEI_PERIOD_DAYS = 30
BPDSO_PERIOD_DAYS = 90
PROMISE_PERIOD_DAYS = 90
DSO_MONTHS = 12


class NoRate(ServiceError):
    """KPIs across currencies need a rate the book does not have."""


def monthly_sales(
    db: Database, today: date, collector: str | None, currency: str, this_month: int, months: int = DSO_MONTHS
):
    """(days, credit sales) per calendar month, newest first; this month counts its days so far
    (``this_month``, its sales to ``today``). The whole months are kept (``sales_by_month``)."""
    starts = [today.replace(day=1)]
    for _ in range(months - 1):
        starts.append((starts[-1] - timedelta(days=1)).replace(day=1))
    ends = [today] + [start - timedelta(days=1) for start in starts[:-1]]
    last_month = (starts[0] - timedelta(days=1)).isoformat()[:7]
    sales = {
        r["month"]: r["cents"]
        for r in read.sales_by_month(db, starts[-1].isoformat()[:7], last_month, collector, currency)
    }
    sales[starts[0].isoformat()[:7]] = this_month
    return [((end - start).days + 1, sales.get(start.isoformat()[:7], 0)) for start, end in zip(starts, ends)]


@dataclass(frozen=True)
class Sums:
    """The money the KPIs of one currency are computed from, in its minor units."""

    total_ar: int
    current_ar: int
    months: tuple[tuple[int, int], ...]  # (days, credit sales) per month, newest first
    begin_ar: int  # receivables at the start of the CEI period
    cei_sales: int
    bp_sales: int  # credit sales over the best-possible-DSO period

    def map(self, convert: Callable[[int], int]) -> "Sums":
        return Sums(
            convert(self.total_ar),
            convert(self.current_ar),
            tuple((days, convert(sales)) for days, sales in self.months),
            convert(self.begin_ar),
            convert(self.cei_sales),
            convert(self.bp_sales),
        )

    def __add__(self, other: "Sums") -> "Sums":
        return Sums(
            self.total_ar + other.total_ar,
            self.current_ar + other.current_ar,
            tuple((days, a + b) for (days, a), (_, b) in zip(self.months, other.months)),
            self.begin_ar + other.begin_ar,
            self.cei_sales + other.cei_sales,
            self.bp_sales + other.bp_sales,
        )


def sums(db: Database, today: date, collector: str | None, currency: str, as_of: bool = False) -> Sums:
    """The KPI money of ``currency``'s invoices and cash (see ``compute_kpis`` for ``as_of``).
    Without ``as_of``, the receivables at the start of the CEI period are walked back from
    today's open balance: less what was invoiced since, plus the cash applied and the memos
    posted since."""
    total_ar, current_ar = read.open_receivables(db, today, collector, currency, as_of)
    cei_start = today - timedelta(days=CEI_PERIOD_DAYS)
    bp_sales, cei_sales, this_month = read.sales_since(
        db,
        [today - timedelta(days=BPDSO_PERIOD_DAYS - 1), cei_start + timedelta(days=1), today.replace(day=1)],
        today,
        collector,
        currency,
    )
    begin_ar = (
        read.open_receivables(db, cei_start, collector, currency, True)[0]
        if as_of
        else total_ar
        - cei_sales
        + read.applied_after(db, cei_start, today, collector, currency)
        + read.credited_after(db, cei_start, today, collector, currency)
    )
    return Sums(
        total_ar,
        current_ar,
        tuple(monthly_sales(db, today, collector, currency, this_month)),
        begin_ar,
        cei_sales,
        bp_sales,
    )


def _kpis(s: Sums, currency: str, promises: dict, contact_days: tuple[float, int]) -> dict:
    # no receivables and no sales in the 12 months: DSO has no value (n/a), not 0 days
    dso = kpi.dso_countback(s.total_ar, s.months) if s.total_ar > 0 or any(x for _, x in s.months) else None
    bpdso = kpi.best_possible_dso(s.current_ar, s.bp_sales, BPDSO_PERIOD_DAYS) if s.bp_sales > 0 else None
    kept, partial, broken = promises["kept"], promises["partial"], promises["broken"]
    return {
        "currency": currency,
        "total_ar_cents": s.total_ar,
        "current_ar_cents": s.current_ar,
        "past_due_cents": s.total_ar - s.current_ar,
        "dso": dso,
        "dso_capped": kpi.dso_capped(s.total_ar, s.months),
        "cei": kpi.cei(s.begin_ar, s.cei_sales, s.total_ar, s.current_ar),
        "best_possible_dso": bpdso,
        "add": kpi.add(dso, bpdso) if bpdso is not None and dso is not None else None,
        "percent_current": kpi.percent_current(s.current_ar, s.total_ar),
        "promise_kept_rate": kpi.promise_kept_rate(kept, partial, broken),
        "promises_resolved": kept + partial + broken,
        "avg_days_since_contact": kpi.average(*contact_days),
    }


_NONE_COUNTED = ({"kept": 0, "partial": 0, "broken": 0}, (0, 0))


def _counts(db: Database, today: date, collector: str | None, as_of: bool) -> dict[str | None, tuple]:
    """(promise outcomes, contact days) of each currency's accounts, each read once for every
    currency, and of every account (None): the currencies' added up, an account holding one."""
    promises = read.promise_outcomes(db, today, PROMISE_PERIOD_DAYS, collector, as_of)
    contacts = read.days_since_contact_past_due(db, today, collector, as_of)
    counts = {
        code: (promises.get(code, _NONE_COUNTED[0]), contacts.get(code, _NONE_COUNTED[1]))
        for code in promises | contacts
    }
    counts[None] = (
        {outcome: sum(p[outcome] for p in promises.values()) for outcome in _NONE_COUNTED[0]},
        (sum(days for days, _ in contacts.values()), sum(accounts for _, accounts in contacts.values())),
    )
    return counts


def _sums_by_currency(db: Database, today: date, collector: str | None, as_of: bool) -> dict[str, Sums]:
    """``sums`` of each currency the portfolio bills in (open or invoiced in the year)."""
    return {code: sums(db, today, collector, code, as_of) for code in read.currencies(db, today, collector)}


def _of_currencies(each: dict[str, Sums], counts: dict[str | None, tuple]):
    """The KPIs of each currency in ``each``, in its own currency, its promises and contacts
    those of its accounts (``counts``)."""
    return {code: _kpis(s, code, *counts.get(code, _NONE_COUNTED)) for code, s in each.items()}


def _in_book_currency(
    db: Database, today: date, collector: str | None, as_of: bool, each: dict[str, Sums], counts: dict
) -> dict:
    """The KPIs of every currency in ``each`` in the book currency (``NoRate`` when one has no
    rate for ``today``)."""
    book = book_currency(db)
    total = each[book] if book in each else sums(db, today, collector, book, as_of)
    others = [code for code in each if code != book]
    for code in others:
        total += each[code].map(_converter(db, code, book, today))
    return {**_kpis(total, book, *counts[None]), "converted": others}


def kpis_by_currency(db: Database, today: date, collector: str | None = None, as_of: bool = False) -> dict[str, dict]:
    """``compute_kpis`` of each currency the portfolio bills in (open or invoiced in the
    year), each in its own currency, its promises and contacts those of its accounts."""
    as_of = _reads_history(db, today, as_of)
    return _of_currencies(_sums_by_currency(db, today, collector, as_of), _counts(db, today, collector, as_of))


@dataclass(frozen=True)
class PortfolioKpis:
    """A portfolio's KPIs per currency billed (``by_currency``) and of every currency in the
    book currency (``total``; None when a rate is missing, ``no_rate`` saying which)."""

    by_currency: dict[str, dict]
    total: dict | None
    no_rate: NoRate | None


def portfolio_kpis(db: Database, today: date, collector: str | None = None, as_of: bool = False) -> PortfolioKpis:
    """``kpis_by_currency`` and ``compute_kpis`` in the book currency at once, each currency's
    sums read once for both."""
    as_of = _reads_history(db, today, as_of)
    each, counts = _sums_by_currency(db, today, collector, as_of), _counts(db, today, collector, as_of)
    by_currency = _of_currencies(each, counts)
    try:
        return PortfolioKpis(by_currency, _in_book_currency(db, today, collector, as_of, each, counts), None)
    except NoRate as exc:
        return PortfolioKpis(by_currency, None, exc)


def compute_kpis(
    db: Database, today: date, collector: str | None = None, as_of: bool = False, currency: str | None = None
) -> dict:
    """Every KPI of ``collector``'s portfolio (None: the whole team) as of ``today``.

    ``currency``: of that currency's invoices and cash alone. None: of every currency, in
    the book currency, the others converted at the rates of ``today`` (``converted`` names
    them); ``NoRate`` when one has no rate. ``as_of``: of the book as it stood at the end of
    ``today`` (invoices issued, cash applied and memos posted by then;
    ``arctui.store.read.history``), not today's balances re-aged. ``dso_capped`` says the AR
    outlasts the 12 months of sales (DSO is then a lower bound)."""
    as_of = _reads_history(db, today, as_of)
    counts = _counts(db, today, collector, as_of)
    if currency is not None:
        return _kpis(sums(db, today, collector, currency, as_of), currency, *counts.get(currency, _NONE_COUNTED))
    return _in_book_currency(db, today, collector, as_of, _sums_by_currency(db, today, collector, as_of), counts)


def _reads_history(db: Database, today: date, as_of: bool) -> bool:
    """Whether the KPIs read the history (the book as it stood at the end of ``today``): when
    asked (``as_of``), and on a book this connection may not write whose kept ``account_facts``
    are not ``today``'s (the same figures, from the ledger). Else today's balances and contacts
    are read from the kept facts, brought to ``today`` first."""
    return as_of or not brought_to(db, today)


def _converter(db: Database, source: str, book: str, day: date) -> Callable[[int], int]:
    def convert(cents: int) -> int:
        converted = convert_cents(db, cents, source, day, book)
        if converted is None:
            raise NoRate(
                f"the KPIs in {book} need a {source} rate on or shortly before {day}"
                f" ({format_money(cents, source)} to convert): import rates (arctui import rates FILE or"
                f" arctui import ecb FILE), or ask for one currency (--currency {source})"
            )
        return converted

    return convert
