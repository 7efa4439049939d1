"""Portfolio KPIs: DSO (count-back), CEI, ADD, % current, promise-kept rate, contact cadence."""
from datetime import date, timedelta

from sqlite_utils import Database

from arctui.domain import kpi
from arctui.store.queries import owned_by

CEI_PERIOD_DAYS = 30
BPDSO_PERIOD_DAYS = 90
PROMISE_PERIOD_DAYS = 90
DSO_MONTHS = 12


def _scope(collector: str | None) -> tuple[str, str]:
    """FROM and WHERE text over ``c`` (customers) and ``i`` (invoices): the collector's
    accounts drive the join, or the whole book is read straight."""
    if collector is None:
        return "invoices i", owned_by("c", False)
    return "customers c CROSS JOIN invoices i ON i.customer_id = c.id", owned_by("c", True)


def _one(db: Database, sql: str, params: dict) -> int:
    return db.execute(sql, params).fetchone()[0] or 0


def monthly_sales(db: Database, today: date, collector: str | None, months: int = DSO_MONTHS):
    """(days, credit sales) per calendar month, newest first; this month counts its days so far."""
    starts = [today.replace(day=1)]
    for _ in range(months - 1):
        starts.append((starts[-1] - timedelta(days=1)).replace(day=1))
    source, where = _scope(collector)
    # grouped by day (index order, no sort), folded into months here
    sales: dict[str, int] = {}
    for day, cents in db.execute(
        f"SELECT i.issue_date, sum(i.amount_cents) FROM {source}"
        f" WHERE {where} AND i.issue_date BETWEEN :start AND :today GROUP BY i.issue_date",
        {"start": starts[-1].isoformat(), "today": today.isoformat(), "collector": collector},
    ):
        sales[day[:7]] = sales.get(day[:7], 0) + cents
    ends = [today] + [start - timedelta(days=1) for start in starts[:-1]]
    return [((end - start).days + 1, sales.get(start.isoformat()[:7], 0))
            for start, end in zip(starts, ends)]


def sales_between(db: Database, start: date, end: date, collector: str | None) -> int:
    source, where = _scope(collector)
    return _one(db, f"SELECT sum(i.amount_cents) FROM {source} WHERE {where}"
                    " AND i.issue_date BETWEEN :start AND :end",
                {"start": start.isoformat(), "end": end.isoformat(), "collector": collector})


def ar_as_of(db: Database, day: date, today: date, open_ar: int, collector: str | None) -> int:
    """Receivables on a past ``day``, walked back from today's open balance: less what was
    invoiced since, plus the cash applied and the memos posted since."""
    params = {"day": day.isoformat(), "today": today.isoformat(), "collector": collector}
    # the dated rows drive each join; the owner is checked last
    owned = owned_by("c", collector is not None)
    invoiced = sales_between(db, day + timedelta(days=1), today, collector)
    applied = _one(db, f"""SELECT sum(a.amount_cents) FROM payment_applications a
        CROSS JOIN invoices i ON i.id = a.invoice_id CROSS JOIN customers c ON c.id = i.customer_id
        WHERE a.kind = 'apply' AND a.applied_date > :day AND a.applied_date <= :today
          AND {owned}""", params)
    credited = _one(db, f"""SELECT sum(m.amount_cents) FROM credit_memos m
        CROSS JOIN invoices i ON i.id = m.invoice_id CROSS JOIN customers c ON c.id = i.customer_id
        WHERE m.status = 'posted' AND substr(m.posted_at, 1, 10) > :day
          AND substr(m.posted_at, 1, 10) <= :today AND {owned}""", params)
    return open_ar - invoiced + applied + credited


def compute_kpis(db: Database, today: date, collector: str | None = None) -> dict:
    params = {"today": today.isoformat(), "collector": collector}
    owned = owned_by("c", collector is not None)
    total_ar, current_ar = db.execute(f"""
        SELECT coalesce(sum(i.open_cents), 0),
               coalesce(sum(CASE WHEN i.due_date >= :today THEN i.open_cents END), 0)
        FROM customers c CROSS JOIN invoices i ON i.customer_id = c.id AND i.open_cents <> 0
        WHERE {owned}""", params).fetchone()
    dso = kpi.dso_countback(total_ar, monthly_sales(db, today, collector))
    cei_start = today - timedelta(days=CEI_PERIOD_DAYS)
    cei = kpi.cei(ar_as_of(db, cei_start, today, total_ar, collector),
                  sales_between(db, cei_start + timedelta(days=1), today, collector),
                  total_ar, current_ar)
    bp_sales = sales_between(db, today - timedelta(days=BPDSO_PERIOD_DAYS - 1), today, collector)
    bpdso = kpi.best_possible_dso(current_ar, bp_sales, BPDSO_PERIOD_DAYS) if bp_sales > 0 else None
    kept, partial, broken = db.execute(f"""
        SELECT count(CASE WHEN p.status = 'kept' THEN 1 END),
               count(CASE WHEN p.status = 'partial' THEN 1 END),
               count(CASE WHEN p.status = 'broken' THEN 1 END)
        FROM promises p JOIN customers c ON c.id = p.customer_id
        WHERE p.promised_date > date(:today, '-{PROMISE_PERIOD_DAYS} days') AND {owned}""",
                                       params).fetchone()
    contact_days = [row[0] for row in db.execute(f"""
        SELECT julianday(:today) - julianday(substr(max(t.at), 1, 10))
        FROM customers c JOIN touchpoints t ON t.customer_id = c.id
        WHERE {owned} AND EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = c.id
                                    AND i.open_cents <> 0 AND i.due_date < :today)
        GROUP BY c.id""", params)]
    return {
        "total_ar_cents": total_ar,
        "current_ar_cents": current_ar,
        "past_due_cents": total_ar - current_ar,
        "dso": dso,
        "cei": cei,
        "best_possible_dso": bpdso,
        "add": kpi.add(dso, bpdso) if bpdso is not None else None,
        "percent_current": kpi.percent_current(current_ar, total_ar),
        "promise_kept_rate": kpi.promise_kept_rate(kept, partial, broken),
        "promises_resolved": kept + partial + broken,
        "avg_days_since_contact": kpi.average(contact_days),
    }
