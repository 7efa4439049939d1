"""Portfolio KPIs: DSO (count-back), CEI, ADD, % current, promise-kept rate, contact cadence."""
from datetime import date, timedelta

from sqlite_utils import Database

from arctui.domain import kpi

CEI_PERIOD_DAYS = 30
BPDSO_PERIOD_DAYS = 90
PROMISE_PERIOD_DAYS = 90
DSO_MONTHS = 12

_OWNED = "(:collector IS NULL OR c.owner = :collector)"


def _one(db: Database, sql: str, params: dict) -> int:
    return db.execute(sql, params).fetchone()[0] or 0


def ar_as_of(db: Database, day: date, collector: str | None) -> int:
    """Receivables on ``day``: invoiced by then less cash applied and memos posted by then."""
    params = {"day": day.isoformat(), "collector": collector}
    invoiced = _one(db, f"""SELECT sum(i.amount_cents) FROM invoices i JOIN customers c ON c.id = i.customer_id
        WHERE i.issue_date <= :day AND {_OWNED}""", params)
    applied = _one(db, f"""SELECT sum(a.amount_cents) FROM payment_applications a
        JOIN invoices i ON i.id = a.invoice_id JOIN customers c ON c.id = i.customer_id
        WHERE a.kind = 'apply' AND a.applied_date <= :day AND i.issue_date <= :day AND {_OWNED}""", params)
    credited = _one(db, f"""SELECT sum(m.amount_cents) FROM credit_memos m
        JOIN invoices i ON i.id = m.invoice_id JOIN customers c ON c.id = i.customer_id
        WHERE m.status = 'posted' AND substr(m.posted_at, 1, 10) <= :day AND i.issue_date <= :day
          AND {_OWNED}""", params)
    return invoiced - applied - credited


def sales_between(db: Database, start: date, end: date, collector: str | None) -> int:
    return _one(db, f"""SELECT sum(i.amount_cents) FROM invoices i JOIN customers c ON c.id = i.customer_id
        WHERE i.issue_date BETWEEN :start AND :end AND {_OWNED}""",
                {"start": start.isoformat(), "end": end.isoformat(), "collector": collector})


def monthly_sales(db: Database, today: date, collector: str | None, months: int = DSO_MONTHS):
    """(days, credit sales) per calendar month, newest first; this month counts its days so far."""
    periods = []
    end = today
    for _ in range(months):
        start = end.replace(day=1)
        periods.append(((end - start).days + 1, sales_between(db, start, end, collector)))
        end = start - timedelta(days=1)
    return periods


def compute_kpis(db: Database, today: date, collector: str | None = None) -> dict:
    params = {"today": today.isoformat(), "collector": collector}
    total_ar, current_ar = db.execute(f"""
        SELECT coalesce(sum(i.open_cents), 0),
               coalesce(sum(CASE WHEN i.due_date >= :today THEN i.open_cents END), 0)
        FROM customers c JOIN invoices i ON i.customer_id = c.id AND i.open_cents <> 0
        WHERE {_OWNED}""", params).fetchone()
    dso = kpi.dso_countback(total_ar, monthly_sales(db, today, collector))
    cei_start = today - timedelta(days=CEI_PERIOD_DAYS)
    cei = kpi.cei(ar_as_of(db, cei_start, collector),
                  sales_between(db, cei_start + timedelta(days=1), today, collector),
                  total_ar, current_ar)
    bp_sales = sales_between(db, today - timedelta(days=BPDSO_PERIOD_DAYS - 1), today, collector)
    bpdso = kpi.best_possible_dso(current_ar, bp_sales, BPDSO_PERIOD_DAYS) if bp_sales > 0 else None
    kept, partial, broken = db.execute(f"""
        SELECT count(CASE WHEN p.status = 'kept' THEN 1 END),
               count(CASE WHEN p.status = 'partial' THEN 1 END),
               count(CASE WHEN p.status = 'broken' THEN 1 END)
        FROM promises p JOIN customers c ON c.id = p.customer_id
        WHERE p.promised_date > date(:today, '-{PROMISE_PERIOD_DAYS} days') AND {_OWNED}""",
                                       params).fetchone()
    contact_days = [row[0] for row in db.execute(f"""
        SELECT julianday(:today) - julianday(substr(max(t.at), 1, 10))
        FROM customers c
        JOIN touchpoints t ON t.customer_id = c.id
        WHERE {_OWNED} AND EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = c.id
                                     AND i.open_cents > 0 AND i.due_date < :today)
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
