"""Portfolio KPIs: DSO (count-back), CEI, ADD, % current, promise-kept rate, contact cadence.

The sums come from the read model (``arctui.store.read.kpis``); the periods and the
arithmetic are here and in ``arctui.domain.kpi``.
"""

from datetime import date, timedelta

from sqlite_utils import Database

from arctui.domain import kpi
from arctui.store.read import kpis as read

CEI_PERIOD_DAYS = 30
BPDSO_PERIOD_DAYS = 90
PROMISE_PERIOD_DAYS = 90
DSO_MONTHS = 12


def monthly_sales(db: Database, today: date, collector: str | None, months: int = DSO_MONTHS):
    """(days, credit sales) per calendar month, newest first; this month counts its days so far."""
    starts = [today.replace(day=1)]
    for _ in range(months - 1):
        starts.append((starts[-1] - timedelta(days=1)).replace(day=1))
    # grouped by day (index order, no sort), folded into months here
    sales: dict[str, int] = {}
    for r in read.sales_by_day(db, starts[-1], today, collector):
        sales[r["day"][:7]] = sales.get(r["day"][:7], 0) + r["cents"]
    ends = [today] + [start - timedelta(days=1) for start in starts[:-1]]
    return [((end - start).days + 1, sales.get(start.isoformat()[:7], 0)) for start, end in zip(starts, ends)]


def ar_as_of(db: Database, day: date, today: date, open_ar: int, collector: str | None) -> int:
    """Receivables on a past ``day``, walked back from today's open balance: less what was
    invoiced since, plus the cash applied and the memos posted since."""
    return (
        open_ar
        - read.sales_between(db, day + timedelta(days=1), today, collector)
        + read.applied_after(db, day, today, collector)
        + read.credited_after(db, day, today, collector)
    )


def compute_kpis(db: Database, today: date, collector: str | None = None, as_of: bool = False) -> dict:
    """Every KPI of ``collector``'s portfolio (None: the whole team) as of ``today``.

    ``as_of``: of the book as it stood at the end of ``today`` (invoices issued, cash applied
    and memos posted by then; ``arctui.store.read.history``), not today's balances re-aged.
    ``dso_capped`` says the AR outlasts the 12 months of sales (DSO is then a lower bound)."""
    total_ar, current_ar = read.open_receivables(db, today, collector, as_of)
    months = monthly_sales(db, today, collector)
    # no receivables and no sales in the 12 months: DSO has no value (n/a), not 0 days
    dso = kpi.dso_countback(total_ar, months) if total_ar > 0 or any(s for _, s in months) else None
    cei_start = today - timedelta(days=CEI_PERIOD_DAYS)
    begin_ar = (
        read.open_receivables(db, cei_start, collector, True)[0]
        if as_of
        else ar_as_of(db, cei_start, today, total_ar, collector)
    )
    cei = kpi.cei(
        begin_ar,
        read.sales_between(db, cei_start + timedelta(days=1), today, collector),
        total_ar,
        current_ar,
    )
    bp_sales = read.sales_between(db, today - timedelta(days=BPDSO_PERIOD_DAYS - 1), today, collector)
    bpdso = kpi.best_possible_dso(current_ar, bp_sales, BPDSO_PERIOD_DAYS) if bp_sales > 0 else None
    promises = read.promise_outcomes(db, today, PROMISE_PERIOD_DAYS, collector, as_of)
    kept, partial, broken = promises["kept"], promises["partial"], promises["broken"]
    contact_days = read.days_since_contact_past_due(db, today, collector, as_of)
    return {
        "total_ar_cents": total_ar,
        "current_ar_cents": current_ar,
        "past_due_cents": total_ar - current_ar,
        "dso": dso,
        "dso_capped": kpi.dso_capped(total_ar, months),
        "cei": cei,
        "best_possible_dso": bpdso,
        "add": kpi.add(dso, bpdso) if bpdso is not None and dso is not None else None,
        "percent_current": kpi.percent_current(current_ar, total_ar),
        "promise_kept_rate": kpi.promise_kept_rate(kept, partial, broken),
        "promises_resolved": kept + partial + broken,
        "avg_days_since_contact": kpi.average(contact_days),
    }
