"""The sums the portfolio KPIs are computed from (``arctui.services.kpis`` does the arithmetic).

Today's balances, aging and contacts come from the kept ``account_facts`` (schema 7), which
must hold ``today``'s facts (``arctui.store.facts.bring_to``); the months of credit sales
from the kept ``sales_by_month`` (schema 14); the days of a period from the kept
``sales_by_day`` and ``team_cash_by_day`` (the team's), ``applied_by_day`` and
``credited_by_day`` (schemas 15-16, 18), a collector's sales of a period from the invoices'
issue dates.

Each takes ``collector`` (a collector id, or None for the whole team) and plain dates; the
collector's accounts drive the joins, or the whole book is read straight. ``as_of`` reads
the book as it stood at the end of ``today`` (``arctui.store.read.history``) instead of the
current balances. ``currency`` keeps the money of that currency only (an account holds one
currency, so its promises and contacts go with it); None reads every currency, which only
the counts may do: money is never summed across currencies.
"""

from datetime import date

from sqlite_utils import Database

from arctui.store.read import first, open_invoice, rows, value
from arctui.store.read.accounts import owned_by
from arctui.store.read.history import as_of_items_sql


def _in(alias: str, currency: str | None) -> str:
    """WHERE text keeping rows of ``:currency`` (a text choice, like ``owned_by``'s)."""
    return f"{alias}.currency = :currency" if currency else "1 = 1"


def _params(collector: str | None, currency: str | None, **days: date) -> dict:
    return {"collector": collector, "currency": currency, **{k: d.isoformat() for k, d in days.items()}}


def currencies(db: Database, today: date, collector: str | None) -> list[str]:
    """The currencies of the accounts with an invoice open now or issued in the year to
    ``today`` (an account holds one currency: its invoices'). Each currency of the accounts
    is looked for until one account qualifies, the two kinds of invoice apart: one account's
    index seek for a currency billed today; every account of a currency billed no more."""
    owned = owned_by("c", collector is not None)
    return [
        r["currency"]
        for r in rows(
            db,
            f"""SELECT k.currency FROM (SELECT DISTINCT c.currency FROM customers c WHERE {owned}) k
            WHERE EXISTS (SELECT 1 FROM customers c CROSS JOIN invoices i ON i.customer_id = c.id
                            AND {open_invoice("i")}
                          WHERE {owned} AND c.currency = k.currency)
               OR EXISTS (SELECT 1 FROM customers c CROSS JOIN invoices i ON i.customer_id = c.id
                            AND i.issue_date > date(:today, '-1 year')
                          WHERE {owned} AND c.currency = k.currency)
            ORDER BY 1""",
            _params(collector, None, today=today),
        )
    ]


def open_receivables(
    db: Database, today: date, collector: str | None, currency: str | None, as_of: bool = False
) -> tuple[int, int]:
    """(every open balance, the part not yet due on ``today``) in minor units: the kept
    ``account_facts``, which must hold ``today``'s facts; ``as_of``: the balances at the end
    of ``today`` as the book stood then."""
    if as_of:
        r = first(
            db,
            f"""SELECT coalesce(sum(o.open_cents), 0) AS total,
                   coalesce(sum(CASE WHEN o.due_date >= :today THEN o.open_cents END), 0) AS current
            FROM ({as_of_items_sql(owned_by("c", collector is not None))}) o WHERE {_in("o", currency)}""",
            _params(collector, currency, today=today),
        )
        return r["total"], r["current"]
    r = first(
        db,
        f"""
        SELECT coalesce(sum(f.exposure), 0) AS total, coalesce(sum(f.[current]), 0) AS current
        FROM customers c CROSS JOIN account_facts f ON f.customer_id = c.id
        WHERE {owned_by("c", collector is not None)} AND {_in("c", currency)}""",
        _params(collector, currency),
    )
    return r["total"], r["current"]


def sales_by_month(db: Database, start: str, end: str, collector: str | None, currency: str) -> list[dict]:
    """Credit sales per month of issue from ``start`` to ``end`` (YYYY-MM, whole months), as
    kept per account in ``sales_by_month`` (the team's: per day in ``sales_by_day``)."""
    params = {"collector": collector, "currency": currency, "start": start, "end": end}
    if collector is None:
        return rows(
            db,
            "SELECT substr(day, 1, 7) AS month, sum(cents) AS cents FROM sales_by_day"
            " WHERE currency = :currency AND substr(day, 1, 7) BETWEEN :start AND :end GROUP BY month",
            params,
        )
    return rows(
        db,
        f"""SELECT s.month, sum(s.cents) AS cents FROM customers c CROSS JOIN sales_by_month s ON s.customer_id = c.id
        WHERE {owned_by("c", True)} AND s.currency = :currency AND s.month BETWEEN :start AND :end
        GROUP BY s.month""",
        params,
    )


def sales_since(db: Database, starts: list[date], end: date, collector: str | None, currency: str) -> list[int]:
    """Credit sales from each of ``starts`` to ``end``, both included, in one pass from the
    earliest: the team's days as kept in ``sales_by_day``; a collector's invoices, the
    accounts of ``currency`` driving the join (an account holds one currency: its invoices'),
    each read on its (customer, issue date, amount) index."""
    day, cents, source = (
        ("day", "cents", "sales_by_day WHERE currency = :currency AND day")
        if collector is None
        else (
            "i.issue_date",
            "i.amount_cents",
            f"customers c CROSS JOIN invoices i ON i.customer_id = c.id"
            f" WHERE {owned_by('c', True)} AND {_in('c', currency)} AND i.issue_date",
        )
    )
    sums = ", ".join(f"coalesce(sum(CASE WHEN {day} >= :start{n} THEN {cents} END), 0)" for n in range(len(starts)))
    return list(
        db.execute(
            f"SELECT {sums} FROM {source} BETWEEN :start AND :end",
            {
                **_params(collector, currency, start=min(starts), end=end),
                **{f"start{n}": d.isoformat() for n, d in enumerate(starts)},
            },
        ).fetchone()
    )


def applied_after(db: Database, day: date, today: date, collector: str | None, currency: str | None) -> int:
    """Cash applied to invoices after ``day`` up to ``today``: a collector's as kept per account
    and day in ``applied_by_day`` (an account holds one currency: its invoices'), the team's
    per currency and day in ``team_cash_by_day``."""
    return _cash_after(db, "applied", day, today, collector, currency)


def credited_after(db: Database, day: date, today: date, collector: str | None, currency: str | None) -> int:
    """Credit memos posted against invoices after ``day`` up to ``today``: a collector's as kept
    per account, invoice currency and day in ``credited_by_day``, the team's per currency and
    day in ``team_cash_by_day`` (schema 18)."""
    return _cash_after(db, "credited", day, today, collector, currency)


def _cash_after(db: Database, kind: str, day: date, today: date, collector: str | None, currency: str | None) -> int:
    params = {**_params(collector, currency, day=day, today=today), "kind": kind}
    if collector is None:
        sql = f"""SELECT sum(t.cents) FROM team_cash_by_day t
        WHERE t.kind = :kind AND {_in("t", currency)} AND t.day > :day AND t.day <= :today"""
    else:
        table, currency_of = ("applied_by_day", "c") if kind == "applied" else ("credited_by_day", "a")
        sql = f"""SELECT sum(a.cents) FROM customers c CROSS JOIN {table} a ON a.customer_id = c.id
        WHERE {owned_by("c", True)} AND {_in(currency_of, currency)} AND a.day > :day AND a.day <= :today"""
    return value(db, sql, params, 0)


def promise_outcomes(
    db: Database, today: date, days: int, collector: str | None, as_of: bool = False
) -> dict[str, dict]:
    """{kept, partial, broken} per currency of the accounts: promises judged so, of those due in
    the ``days`` before today (``as_of``: judged by the end of ``today``, as they are judged now).
    Currencies without such a promise are left out."""
    judged_by = "AND p.resolved_date <= :today" if as_of else ""
    found = rows(
        db,
        f"""
        SELECT c.currency,
               count(CASE WHEN p.status = 'kept' THEN 1 END) AS kept,
               count(CASE WHEN p.status = 'partial' THEN 1 END) AS partial,
               count(CASE WHEN p.status = 'broken' THEN 1 END) AS broken
        FROM promises p JOIN customers c ON c.id = p.customer_id
        WHERE p.promised_date > date(:today, '-' || :days || ' days') {judged_by}
          AND {owned_by("c", collector is not None)}
        GROUP BY c.currency""",
        {**_params(collector, None, today=today), "days": days},
    )
    return {r.pop("currency"): r for r in found}


def days_since_contact_past_due(
    db: Database, today: date, collector: str | None, as_of: bool = False
) -> dict[str, tuple[float, int]]:
    """Per currency of the accounts, (the days since the last touchpoint summed, the accounts)
    over every contacted account with a past-due open invoice: the kept ``account_facts``,
    which must hold ``today``'s facts and so its days since contact (``as_of``: past due at the
    end of ``today`` as the book stood, touchpoints made by then). Whole days each, so the sum
    is exact: an average is the sum over the accounts, without a row per account to fetch."""
    if as_of:
        sql = f"""
        WITH past_due AS (SELECT DISTINCT o.customer_id, o.currency
                          FROM ({as_of_items_sql(owned_by("c", collector is not None))}) o
                          WHERE o.due_date < :today),
        contacted AS (
          SELECT d.currency, julianday(:today) - julianday(substr(max(t.at), 1, 10)) AS days
          FROM past_due d JOIN touchpoints t ON t.customer_id = d.customer_id AND t.at < date(:today, '+1 day')
          GROUP BY d.customer_id, d.currency)
        SELECT currency, coalesce(sum(days), 0) AS days, count(*) AS accounts FROM contacted GROUP BY currency"""
    else:
        sql = f"""
        SELECT c.currency, coalesce(sum(f.days_since_contact), 0) AS days, count(*) AS accounts
        FROM customers c CROSS JOIN account_facts f ON f.customer_id = c.id
        WHERE {owned_by("c", collector is not None)} AND f.oldest_days > 0 AND f.last_contact IS NOT NULL
        GROUP BY c.currency"""
    return {r["currency"]: (r["days"], r["accounts"]) for r in rows(db, sql, _params(collector, None, today=today))}
