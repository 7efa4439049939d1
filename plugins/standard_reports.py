"""The bundled reports: aging, over-10k-60, cadence, promises, disputes, credit-memos,
cash-vs-target and kpi.

Each is aggregated in SQL (per account, collector, reason or period), never by loading
every invoice; each takes ``collector`` (a collector id) to narrow it to one portfolio.
Money is never added across currencies: totals come one per currency.
"""
from datetime import date, timedelta

from sqlite_utils import Database

from arctui import hookimpl
from arctui.domain.aging import BUCKETS
from arctui.domain.kpi import promise_kept_rate
from arctui.domain.statuses import DISPUTE_REASONS
from arctui.services.kpis import (
    BPDSO_PERIOD_DAYS,
    CEI_PERIOD_DAYS,
    DSO_MONTHS,
    PROMISE_PERIOD_DAYS,
    compute_kpis,
)
from arctui.services.queue import build_queue
from arctui.services.reports import (
    Column,
    Money,
    Report,
    ReportResult,
    Section,
    label_by_currency,
    total_rows,
)
from arctui.store.queries import open_aging_sql

UNASSIGNED = "(unassigned)"
OVER_THRESHOLD_CENTS = 1_000_000  # $10,000.00
PAST_60_BUCKETS = ("61-90", "90+")  # more than 60 days past due


def _params(today: date, collector: str | None, **more) -> dict:
    return {"today": today.isoformat(), "collector": collector, **more}


def _days(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _percent(part: int, whole: int | None) -> float | None:
    return part / whole * 100 if whole else None


def _money(r: dict, *keys: str) -> dict:
    return {key: Money(r[key], r["currency"]) for key in keys}


def summary_report(title: str, columns: list[Column], rows_sql: str, total_sql: str, shape,
                   label_key: str, notes: list[str]):
    """A report of the rows one query groups and the same aggregate over everything (one
    total per currency), each row shaped by ``shape``."""
    def run(db: Database, today: date, collector: str | None = None) -> ReportResult:
        params = _params(today, collector)
        rows = [shape(r) for r in db.query(rows_sql, params)]
        totals = label_by_currency([shape(r) for r in db.query(total_sql, params)], label_key)
        return ReportResult(title, today, columns, [Section(None, rows)], totals, notes)
    return run


def _collector_names(db: Database) -> dict[str, str]:
    return dict(db.execute("SELECT id, name FROM collectors").fetchall())


# --- aging -------------------------------------------------------------------------------

AGING_COLUMNS = [
    Column("account", "Account"), Column("name", "Customer"), Column("collector", "Collector"),
    Column("region", "Region"), Column("currency", "Currency"),
    *[Column(bucket, bucket.capitalize(), "money") for bucket in BUCKETS],
    Column("total", "Total", "money"),
]

def _aging_sql(collector: bool) -> str:
    return f"""
SELECT c.account_no AS account, c.name, coalesce(col.name, c.owner, '{UNASSIGNED}') AS collector,
  c.region, c.currency, a.*
FROM ({open_aging_sql(collector)}) a JOIN customers c ON c.id = a.customer_id
LEFT JOIN collectors col ON col.id = c.owner
ORDER BY c.account_no
"""


def aging(db: Database, today: date, collector: str | None = None) -> ReportResult:
    rows = []
    for r in db.query(_aging_sql(collector is not None), _params(today, collector)):
        rows.append({**r, **_money(r, *BUCKETS),
                     "total": Money(sum(r[bucket] for bucket in BUCKETS), r["currency"])})
    return ReportResult(
        "Aging by account", today, AGING_COLUMNS, [Section(None, rows)],
        total_rows(AGING_COLUMNS, rows),
        ["Open invoice balances by days past due; credits on account are not netted."],
    )


# --- over-10k-60 -------------------------------------------------------------------------

OVER_COLUMNS = [
    Column("collector", "Collector"), Column("region", "Region"), Column("account", "Account"),
    Column("name", "Customer"), Column("status", "Status"), Column("currency", "Currency"),
    Column("61-90", "61-90", "money"), Column("90+", "90+", "money"),
    Column("past_60", "60+ past due", "money"), Column("total", "Total open", "money"),
    Column("last_contact", "Last contact", "date"), Column("days_since", "Days since", "int"),
    Column("next_date", "Next action", "date"), Column("next_action", "Action"),
]


def over_10k_60(db: Database, today: date, collector: str | None = None) -> ReportResult:
    """Reads the queue's per-account aggregates, so last contact and next action mean the
    same here as on the collector's screen."""
    names = _collector_names(db)
    groups: dict[tuple[str, str], list[dict]] = {}
    for q in build_queue(db, today, collector):
        past_60 = sum(q.buckets[b] for b in PAST_60_BUCKETS)
        if past_60 <= OVER_THRESHOLD_CENTS:
            continue
        owner = names.get(q.owner, q.owner) if q.owner else UNASSIGNED
        region = q.region or "(no region)"
        groups.setdefault((owner, region), []).append({
            "collector": owner, "region": region, "account": q.account_no, "name": q.name,
            "status": q.status.replace("_", " "), "currency": q.currency,
            **{b: Money(q.buckets[b], q.currency) for b in PAST_60_BUCKETS},
            "past_60": Money(past_60, q.currency), "total": Money(q.exposure_cents, q.currency),
            "last_contact": None if q.days_since_contact is None
            else today - timedelta(days=q.days_since_contact),
            "days_since": q.days_since_contact, "next_date": q.next_action_date,
            "next_action": q.next_action or None,
        })
    sections = []
    for (owner, region), rows in sorted(groups.items()):
        rows.sort(key=lambda r: (-r["past_60"].cents, r["account"]))
        sections.append(Section(f"{owner} · {region}", rows, total_rows(OVER_COLUMNS, rows, "Subtotal")))
    everything = [row for section in sections for row in section.rows]
    return ReportResult(
        "Balances over $10,000 more than 60 days past due", today, OVER_COLUMNS, sections,
        total_rows(OVER_COLUMNS, everything),
        ["60+ past due: open invoices in the 61-90 and 90+ buckets; listed when over 10,000.00"
         " in the account's own currency.",
         "Last contact blank: never contacted. Next action: the earliest open promise or"
         " follow-up; blank when none is scheduled."],
    )


# --- cadence -----------------------------------------------------------------------------

CADENCE_COLUMNS = [
    Column("collector", "Collector"), Column("cadence", "Cadence (days)", "int"),
    Column("accounts", "Accounts", "int"), Column("invoices", "Open invoices", "int"),
    Column("per_account", "Avg days since contact (accounts)", "number"),
    Column("per_invoice", "Avg days since contact (invoices)", "number"),
    Column("never", "Never contacted", "int"), Column("overdue", "Past cadence", "int"),
]


def _cadence_sql(key: str, cadence: str, group: str) -> str:
    # "open_cents <> 0" repeats the partial index's condition so SQLite reads only open items;
    # accounts is materialised so each account's last touchpoint is looked up once
    return f"""
WITH open_accounts AS (
  SELECT i.customer_id AS id, count(*) AS invoices
  FROM invoices i WHERE i.open_cents <> 0 AND i.open_cents > 0 GROUP BY i.customer_id
),
accounts AS MATERIALIZED (
  SELECT c.id, c.owner, o.invoices,
         julianday(:today) - julianday(date((
           SELECT max(t.at) FROM touchpoints t
           WHERE t.customer_id = c.id AND t.at < date(:today, '+1 day')))) AS days
  FROM open_accounts o JOIN customers c ON c.id = o.id
  WHERE (:collector IS NULL OR c.owner = :collector)
)
SELECT {key} AS collector, {cadence} AS cadence, count(*) AS accounts,
  sum(a.invoices) AS invoices, avg(a.days) AS per_account,
  sum(a.invoices * a.days) / sum(CASE WHEN a.days IS NOT NULL THEN a.invoices END) AS per_invoice,
  sum(a.days IS NULL) AS never,
  sum(a.days IS NULL OR a.days > coalesce(col.cadence_days, 14)) AS overdue
FROM accounts a LEFT JOIN collectors col ON col.id = a.owner
{group}
"""


CADENCE_ROWS = _cadence_sql(f"coalesce(col.name, a.owner, '{UNASSIGNED}')", "col.cadence_days",
                            "GROUP BY a.owner ORDER BY 1")
CADENCE_TOTAL = _cadence_sql("'Total'", "NULL", "HAVING count(*) > 0")


def _cadence_row(r: dict) -> dict:
    return {**r, "per_account": _days(r["per_account"]), "per_invoice": _days(r["per_invoice"])}


cadence = summary_report(
    "Touchpoint cadence", CADENCE_COLUMNS, CADENCE_ROWS, CADENCE_TOTAL, _cadence_row, "collector",
    ["Accounts with open invoices; days since the account's last touchpoint. Never-contacted"
     " accounts are counted apart and left out of the averages; past cadence counts them in."])

# --- promises ----------------------------------------------------------------------------

PROMISE_COLUMNS = [
    Column("collector", "Collector"), Column("currency", "Currency"),
    Column("promises", "Promises", "int"),
    Column("open", "Open", "int"), Column("past_grace", "Open past grace", "int"),
    Column("kept", "Kept", "int"), Column("partial", "Partial", "int"),
    Column("broken", "Broken", "int"), Column("cancelled", "Cancelled", "int"),
    Column("kept_rate", "Kept rate", "percent"), Column("broken_rate", "Broken rate", "percent"),
    Column("promised", "Promised", "money"), Column("paid", "Paid", "money"),
]


def _promises_sql(key: str, group: str) -> str:
    return f"""
SELECT {key} AS collector, c.currency, count(*) AS promises,
  sum(p.status = 'open') AS open,
  sum(p.status = 'open' AND date(p.promised_date, '+' || p.grace_days || ' days') < :today)
    AS past_grace,
  sum(p.status = 'kept') AS kept, sum(p.status = 'partial') AS partial,
  sum(p.status = 'broken') AS broken, sum(p.status = 'cancelled') AS cancelled,
  sum(CASE WHEN p.status <> 'cancelled' THEN p.amount_cents ELSE 0 END) AS promised,
  sum(p.paid_cents) AS paid
FROM promises p JOIN customers c ON c.id = p.customer_id
LEFT JOIN collectors col ON col.id = c.owner
WHERE (:collector IS NULL OR c.owner = :collector) AND date(p.created_at) <= :today
{group}
"""


PROMISE_ROWS = _promises_sql(f"coalesce(col.name, c.owner, '{UNASSIGNED}')",
                             "GROUP BY c.owner, c.currency ORDER BY 1, 2")
PROMISE_TOTAL = _promises_sql("'Total'", "GROUP BY c.currency ORDER BY 2")


def _promise_row(r: dict) -> dict:
    resolved = r["kept"] + r["partial"] + r["broken"]
    return {**r, "kept_rate": promise_kept_rate(r["kept"], r["partial"], r["broken"]),
            "broken_rate": _percent(r["broken"], resolved),
            **_money(r, "promised", "paid")}


promises = summary_report(
    "Promises to pay", PROMISE_COLUMNS, PROMISE_ROWS, PROMISE_TOTAL, _promise_row, "collector",
    ["Rates are of resolved promises (kept, partial, broken). Open past grace: still open"
     " after the promised date and grace days, waiting for the next settling run."])

# --- disputes ----------------------------------------------------------------------------

DISPUTE_COLUMNS = [
    Column("reason", "Reason"), Column("currency", "Currency"), Column("open", "Open", "int"),
    Column("open_amount", "Open amount", "money"), Column("avg_days", "Avg days open", "number"),
    Column("oldest", "Oldest (days)", "int"), Column("resolved", "Resolved", "int"),
    Column("resolved_amount", "Resolved amount", "money"),
]


def _disputes_sql(key: str, group: str) -> str:
    return f"""
SELECT {key} AS reason, c.currency,
  sum(d.status = 'open') AS open,
  sum(CASE WHEN d.status = 'open' THEN d.amount_cents ELSE 0 END) AS open_amount,
  avg(CASE WHEN d.status = 'open' THEN julianday(:today) - julianday(date(d.opened_at)) END)
    AS avg_days,
  CAST(max(CASE WHEN d.status = 'open' THEN julianday(:today) - julianday(date(d.opened_at)) END)
    AS INTEGER) AS oldest,
  sum(d.status = 'resolved') AS resolved,
  sum(CASE WHEN d.status = 'resolved' THEN d.amount_cents ELSE 0 END) AS resolved_amount
FROM disputes d JOIN customers c ON c.id = d.customer_id
WHERE (:collector IS NULL OR c.owner = :collector) AND date(d.opened_at) <= :today
{group}
"""


DISPUTE_ROWS = _disputes_sql("d.reason", "GROUP BY d.reason, c.currency ORDER BY 1, 2")
DISPUTE_TOTAL = _disputes_sql("'Total'", "GROUP BY c.currency ORDER BY 2")


def _dispute_row(r: dict) -> dict:
    return {**r, "reason": DISPUTE_REASONS.get(r["reason"], r["reason"]),
            "avg_days": _days(r["avg_days"]), **_money(r, "open_amount", "resolved_amount")}


disputes = summary_report(
    "Disputes by reason", DISPUTE_COLUMNS, DISPUTE_ROWS, DISPUTE_TOTAL, _dispute_row, "reason",
    ["Days open count from the day the dispute was opened to the report date."])

# --- credit memos ------------------------------------------------------------------------

MEMO_COLUMNS = [
    Column("reason", "Reason code"), Column("gl", "GL code"), Column("currency", "Currency"),
    Column("memos", "Memos", "int"),
    Column("posted", "Posted", "int"), Column("posted_amount", "Posted amount", "money"),
    Column("in_progress", "In progress", "int"),
    Column("in_progress_amount", "In progress amount", "money"),
    Column("rejected", "Rejected", "int"),
]

_IN_PROGRESS = "('draft', 'pending_approval', 'approved')"


def _memos_sql(key: str, gl: str, group: str) -> str:
    return f"""
SELECT {key} AS reason, {gl} AS gl, m.currency, count(*) AS memos,
  sum(m.status = 'posted') AS posted,
  sum(CASE WHEN m.status = 'posted' THEN m.amount_cents ELSE 0 END) AS posted_amount,
  sum(m.status IN {_IN_PROGRESS}) AS in_progress,
  sum(CASE WHEN m.status IN {_IN_PROGRESS} THEN m.amount_cents ELSE 0 END) AS in_progress_amount,
  sum(m.status = 'rejected') AS rejected
FROM credit_memos m JOIN customers c ON c.id = m.customer_id
WHERE (:collector IS NULL OR c.owner = :collector) AND date(m.prepared_at) <= :today
{group}
"""


MEMO_ROWS = _memos_sql("m.reason_code", "m.gl_code",
                       "GROUP BY m.reason_code, m.gl_code, m.currency ORDER BY 1, 2, 3")
MEMO_TOTAL = _memos_sql("'Total'", "NULL", "GROUP BY m.currency ORDER BY 3")


def _memo_row(r: dict) -> dict:
    return {**r, **_money(r, "posted_amount", "in_progress_amount")}


credit_memos = summary_report(
    "Credit memos by reason", MEMO_COLUMNS, MEMO_ROWS, MEMO_TOTAL, _memo_row, "reason",
    ["In progress: draft, pending approval or approved and not yet posted."])

# --- cash vs target ----------------------------------------------------------------------

CASH_COLUMNS = [
    Column("period", "Period"), Column("collector", "Collector"),
    Column("target", "Target", "money"), Column("collected", "Collected", "money"),
    Column("gap", "Still to collect", "money"), Column("attained", "Of target", "percent"),
    Column("days_left", "Days left", "int"),
]

CASH_SQL = """
WITH cash AS (
  SELECT c.owner AS collector_id, sum(p.amount_cents) AS cents
  FROM payments p LEFT JOIN customers c ON c.id = p.customer_id
  WHERE p.received_date BETWEEN :start AND :today
  GROUP BY c.owner
),
people AS (
  SELECT collector_id FROM targets WHERE period = :period AND collector_id IS NOT NULL
  UNION SELECT collector_id FROM cash WHERE collector_id IS NOT NULL
  UNION SELECT :collector WHERE :collector IS NOT NULL
)
SELECT 0 AS rank, 'Team' AS collector,
  (SELECT cash_cents FROM targets WHERE period = :period AND collector_id IS NULL) AS target,
  (SELECT coalesce(sum(cents), 0) FROM cash) AS collected
WHERE :collector IS NULL
UNION ALL
SELECT 1, coalesce(col.name, p.collector_id),
  (SELECT cash_cents FROM targets t WHERE t.period = :period AND t.collector_id = p.collector_id),
  coalesce((SELECT cents FROM cash c WHERE c.collector_id = p.collector_id), 0)
FROM people p LEFT JOIN collectors col ON col.id = p.collector_id
WHERE :collector IS NULL OR p.collector_id = :collector
UNION ALL
SELECT 2, '(no collector)', NULL, cents FROM cash WHERE collector_id IS NULL AND :collector IS NULL
ORDER BY rank, collector
"""


def periods(today: date) -> list[tuple[str, str, date, date]]:
    """(label, period key, first day, last day) of today's month and quarter."""
    month_start = today.replace(day=1)
    next_month = (month_start + timedelta(days=32)).replace(day=1)
    quarter = (today.month - 1) // 3
    quarter_start = date(today.year, quarter * 3 + 1, 1)
    quarter_end = (date(today.year + 1, 1, 1) if quarter == 3
                   else date(today.year, quarter * 3 + 4, 1)) - timedelta(days=1)
    return [
        ("Month", today.strftime("%Y-%m"), month_start, next_month - timedelta(days=1)),
        ("Quarter", f"{today.year}-Q{quarter + 1}", quarter_start, quarter_end),
    ]


def book_currency(db: Database) -> str:
    """The currency most accounts are billed in (targets carry no currency of their own)."""
    row = db.execute("SELECT currency FROM customers GROUP BY currency ORDER BY count(*) DESC,"
                     " currency LIMIT 1").fetchone()
    return row[0] if row else "USD"


def cash_vs_target(db: Database, today: date, collector: str | None = None) -> ReportResult:
    currency = book_currency(db)
    rows = []
    for label, key, start, end in periods(today):
        for r in db.query(CASH_SQL, _params(today, collector, start=start.isoformat(), period=key)):
            target, collected = r["target"], r["collected"]
            rows.append({
                "period": f"{label} {key}", "collector": r["collector"],
                "target": None if target is None else Money(target, currency),
                "collected": Money(collected, currency),
                "gap": None if target is None else Money(max(target - collected, 0), currency),
                "attained": _percent(collected, target), "days_left": (end - today).days,
            })
    return ReportResult(
        "Cash collected against target", today, CASH_COLUMNS, [Section(None, rows)], [],
        ["Collected: payments received from the first day of the period to the report date,"
         " by the account's collector; (no collector): unidentified payers and unassigned"
         " accounts. Team is every payment."],
    )


# --- kpi ---------------------------------------------------------------------------------

KPI_COLUMNS = [
    Column("collector", "Collector"), Column("total_ar", "Receivables", "money"),
    Column("past_due", "Past due", "money"), Column("dso", "DSO", "number"),
    Column("best_possible_dso", "Best possible DSO", "number"), Column("add", "ADD", "number"),
    Column("cei", "CEI", "percent"), Column("percent_current", "Current", "percent"),
    Column("promise_kept_rate", "Promises kept", "percent"),
    Column("avg_days_since_contact", "Avg days since contact", "number"),
]


def _kpi_row(db: Database, today: date, collector: str | None, label: str, currency: str) -> dict:
    k = compute_kpis(db, today, collector)
    return {
        "collector": label, "total_ar": Money(k["total_ar_cents"], currency),
        "past_due": Money(k["past_due_cents"], currency),
        **{key: _days(k[key]) for key in ("dso", "best_possible_dso", "add", "avg_days_since_contact")},
        **{key: k[key] for key in ("cei", "percent_current", "promise_kept_rate")},
    }


def kpi_summary(db: Database, today: date, collector: str | None = None) -> ReportResult:
    currency = book_currency(db)
    names = _collector_names(db)
    owners = [collector] if collector else [
        owner for (owner,) in db.execute(
            "SELECT DISTINCT owner FROM customers WHERE owner IS NOT NULL ORDER BY owner")]
    rows = [_kpi_row(db, today, owner, names.get(owner, owner), currency) for owner in owners]
    totals = [] if collector else [_kpi_row(db, today, None, "Team", currency)]
    return ReportResult(
        "KPI summary", today, KPI_COLUMNS, [Section(None, rows)], totals,
        [f"DSO by the count-back method over {DSO_MONTHS} months; CEI over the last"
         f" {CEI_PERIOD_DAYS} days; best possible DSO over {BPDSO_PERIOD_DAYS} days; ADD = DSO"
         " less best possible DSO; promises kept of those resolved in the last"
         f" {PROMISE_PERIOD_DAYS} days. Amounts are summed as billed, not converted."],
    )


# --- registration ------------------------------------------------------------------------

REPORTS = [
    Report("aging", "Aging by account",
           "open balance of every account by aging bucket, with totals", aging),
    Report("over-10k-60", "Balances over $10K 60+ days past due",
           "accounts with more than $10,000 over 60 days past due, by collector and region,"
           " with last contact and next action", over_10k_60),
    Report("cadence", "Touchpoint cadence",
           "average days since last contact per account and per invoice, by collector", cadence),
    Report("promises", "Promises to pay",
           "open, kept, partial and broken promises and the kept and broken rates", promises),
    Report("disputes", "Disputes by reason",
           "open and resolved disputes by reason, with amounts and days open", disputes),
    Report("credit-memos", "Credit memos by reason",
           "credit memos by reason and GL code: posted, in progress, rejected", credit_memos),
    Report("cash-vs-target", "Cash collected against target",
           "payments received this month and quarter against the team's and collectors' targets",
           cash_vs_target),
    Report("kpi", "KPI summary",
           "DSO, best possible DSO, ADD, CEI, % current and promise-kept rate, by collector",
           kpi_summary),
]


@hookimpl
def register_reports(register):
    for report in REPORTS:
        register(report)
