"""The bundled reports: aging, over-10k-60, cadence, promises, disputes, credit-memos,
cash-vs-target, kpi and unapplied-cash; cash-by-bucket and write-offs come from control_reports.

Each shapes what the read model aggregates in SQL (per account, collector, reason or
period; ``arctui.api``'s read functions for reports), never loading every invoice; each
takes ``collector`` (a collector id) to narrow it to one portfolio.
Money is never added across currencies: totals come one per currency.
"""

from datetime import date, timedelta

from arctui import hookimpl
from arctui.api import (
    BPDSO_PERIOD_DAYS,
    CEI_PERIOD_DAYS,
    DISPUTE_REASONS,
    DSO_MONTHS,
    PROMISE_PERIOD_DAYS,
    UNASSIGNED,
    AgingBuckets,
    Column,
    Money,
    Report,
    ReportResult,
    Section,
    aging_by_account,
    book_buckets,
    book_currency,
    build_queue,
    cadence_by_collector,
    cash_against_target,
    cash_in_other_currencies,
    collector_names,
    convert_cents,
    credit_memos_by_reason,
    disputes_by_reason,
    exponent,
    format_money,
    label_by_currency,
    owners,
    portfolio_kpis,
    promise_kept_rate,
    promises_by_collector,
    total_rows,
    unapplied_cash_aging,
)
from arctui_plugins.case_reports import dispute_cases_report, escalations_report
from arctui_plugins.control_reports import cash_by_bucket_report, write_offs_report

OVER_THRESHOLD = 10_000
"""Over-10k-60 lists 60+ past-due balances above this many units of the book currency."""
PAST_60_BUCKETS = ("61-90", "90+")
"""More than 60 days past due: the queue's standard buckets, whatever buckets the book shows."""


def _days(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _percent(part: int, whole: int | None) -> float | None:
    return part / whole * 100 if whole else None


def _money(r: dict, *keys: str) -> dict:
    return {key: Money(r[key], r["currency"]) for key in keys}


def summary_report(title: str, columns: list[Column], read, shape, label_key: str, notes: list[str]):
    """A report of the rows ``read(db, today, collector)`` groups and its totals (one per
    currency), each row shaped by ``shape``."""

    def run(db, today: date, collector: str | None = None) -> ReportResult:
        summary = read(db, today, collector)
        rows = [shape(r) for r in summary.rows]
        totals = label_by_currency([shape(r) for r in summary.totals], label_key)
        return ReportResult(title, today, columns, [Section(None, rows)], totals, notes)

    return run


# --- aging -------------------------------------------------------------------------------


def _aging_columns(buckets: AgingBuckets) -> list[Column]:
    return [
        Column("account", "Account"),
        Column("name", "Customer"),
        Column("collector", "Collector"),
        Column("region", "Region"),
        Column("currency", "Currency"),
        *[Column(bucket, bucket.capitalize(), "money") for bucket in buckets.names],
        Column("total", "Total", "money"),
    ]


AS_OF_NOTE = "The book as it stood at the end of {day}: invoices issued, cash applied and memos posted by then."


def _as_of_notes(today: date, as_of: bool) -> list[str]:
    return [AS_OF_NOTE.format(day=today.isoformat())] if as_of else []


def aging(db, today: date, collector: str | None = None, as_of: bool = False) -> ReportResult:
    """Every account's open balance in the book's buckets (``arctui aging set``)."""
    buckets = book_buckets(db)
    columns = _aging_columns(buckets)
    rows = []
    for r in aging_by_account(db, today, collector, as_of, buckets):
        total = Money(sum(r[bucket] for bucket in buckets.names), r["currency"])
        rows.append({**r, **_money(r, *buckets.names), "total": total})
    return ReportResult(
        "Aging by account",
        today,
        columns,
        [Section(None, rows)],
        total_rows(columns, rows),
        [
            "Open invoice balances by days past due; credits on account are not netted.",
            f"Buckets: {', '.join(buckets.names)} (days past due).",
            *_as_of_notes(today, as_of),
        ],
    )


# --- over-10k-60 -------------------------------------------------------------------------

OVER_COLUMNS = [
    Column("collector", "Collector"),
    Column("region", "Region"),
    Column("account", "Account"),
    Column("name", "Customer"),
    Column("status", "Status"),
    Column("currency", "Currency"),
    Column("61-90", "61-90", "money"),
    Column("90+", "90+", "money"),
    Column("past_60", "60+ past due", "money"),
    Column("total", "Total open", "money"),
    Column("last_contact", "Last contact", "date"),
    Column("days_since", "Days since", "int"),
    Column("next_date", "Next action", "date"),
    Column("next_action", "Action"),
]


def over_10k_60(db, today: date, collector: str | None = None, as_of: bool = False) -> ReportResult:
    """Reads the queue's per-account aggregates, so last contact and next action mean the
    same here as on the collector's screen. The threshold is in the book currency: another
    currency's balance is converted at the rate of ``today``; one with no rate is compared
    in its own currency, and the notes say so."""
    names = collector_names(db)
    book = book_currency(db)
    threshold = OVER_THRESHOLD * 10 ** exponent(book)
    no_rate: set[str] = set()
    groups: dict[tuple[str, str], list[dict]] = {}
    for q in build_queue(db, today, collector, as_of=as_of):
        past_60 = sum(q.buckets[b] for b in PAST_60_BUCKETS)
        judged = past_60 if q.currency == book else convert_cents(db, past_60, q.currency, today, book)
        if judged is None:
            no_rate.add(q.currency)
            judged = past_60 * 10 ** exponent(book) // 10 ** exponent(q.currency)
        if judged <= threshold:
            continue
        owner = names.get(q.owner, q.owner) if q.owner else UNASSIGNED
        region = q.region or "(no region)"
        groups.setdefault((owner, region), []).append(
            {
                "collector": owner,
                "region": region,
                "account": q.account_no,
                "name": q.name,
                "status": q.status.replace("_", " "),
                "currency": q.currency,
                **{b: Money(q.buckets[b], q.currency) for b in PAST_60_BUCKETS},
                "past_60": Money(past_60, q.currency),
                "total": Money(q.exposure_cents, q.currency),
                "last_contact": None if q.days_since_contact is None else today - timedelta(days=q.days_since_contact),
                "days_since": q.days_since_contact,
                "next_date": q.next_action_date,
                "next_action": q.next_action or None,
            }
        )
    sections = []
    for (owner, region), rows in sorted(groups.items()):
        rows.sort(key=lambda r: (r["currency"], -r["past_60"].cents, r["account"]))
        sections.append(Section(f"{owner} · {region}", rows, total_rows(OVER_COLUMNS, rows, "Subtotal")))
    everything = [row for section in sections for row in section.rows]
    shown = format_money(threshold, book).removesuffix(".00")
    return ReportResult(
        f"Balances over {shown} more than 60 days past due",
        today,
        OVER_COLUMNS,
        sections,
        total_rows(OVER_COLUMNS, everything),
        [
            f"60+ past due: open invoices more than 60 days past due (61-90 and 90+, whatever the book's aging"
            f" buckets); listed when over {shown}"
            f" ({book}, the book currency; other currencies converted at the rates of {today}).",
            *(
                [f"No {book} rate on {today} for {', '.join(sorted(no_rate))}: compared as 10,000 in its own currency."]
                if no_rate
                else []
            ),
            "Last contact blank: never contacted. Next action: the earliest open promise or"
            " follow-up; blank when none is scheduled.",
        ],
    )


# --- cadence -----------------------------------------------------------------------------

CADENCE_COLUMNS = [
    Column("collector", "Collector"),
    Column("cadence", "Cadence (days)", "int"),
    Column("accounts", "Accounts", "int"),
    Column("invoices", "Open invoices", "int"),
    Column("per_account", "Avg days since contact (accounts)", "number"),
    Column("per_invoice", "Avg days since contact (invoices)", "number"),
    Column("never", "Never contacted", "int"),
    Column("overdue", "Past cadence", "int"),
]


def _cadence_row(r: dict) -> dict:
    return {**r, "per_account": _days(r["per_account"]), "per_invoice": _days(r["per_invoice"])}


cadence = summary_report(
    "Touchpoint cadence",
    CADENCE_COLUMNS,
    cadence_by_collector,
    _cadence_row,
    "collector",
    [
        "Accounts with open invoices; days since the account's last touchpoint. Never-contacted"
        " accounts are counted apart and left out of the averages; past cadence counts them in."
    ],
)

# --- promises ----------------------------------------------------------------------------

PROMISE_COLUMNS = [
    Column("collector", "Collector"),
    Column("currency", "Currency"),
    Column("promises", "Promises", "int"),
    Column("open", "Open", "int"),
    Column("past_grace", "Open past grace", "int"),
    Column("kept", "Kept", "int"),
    Column("partial", "Partial", "int"),
    Column("broken", "Broken", "int"),
    Column("cancelled", "Cancelled", "int"),
    Column("kept_rate", "Kept rate", "percent"),
    Column("broken_rate", "Broken rate", "percent"),
    Column("promised", "Promised", "money"),
    Column("paid", "Paid", "money"),
]


def _promise_row(r: dict) -> dict:
    resolved = r["kept"] + r["partial"] + r["broken"]
    return {
        **r,
        "kept_rate": promise_kept_rate(r["kept"], r["partial"], r["broken"]),
        "broken_rate": _percent(r["broken"], resolved),
        **_money(r, "promised", "paid"),
    }


promises = summary_report(
    "Promises to pay",
    PROMISE_COLUMNS,
    promises_by_collector,
    _promise_row,
    "collector",
    [
        "Rates are of resolved promises (kept, partial, broken). Open past grace: still open"
        " after the promised date and grace days, waiting for the next settling run."
    ],
)

# --- disputes ----------------------------------------------------------------------------

DISPUTE_COLUMNS = [
    Column("reason", "Reason"),
    Column("currency", "Currency"),
    Column("open", "Open", "int"),
    Column("open_amount", "Open amount", "money"),
    Column("avg_days", "Avg days open", "number"),
    Column("oldest", "Oldest (days)", "int"),
    Column("resolved", "Resolved", "int"),
    Column("resolved_amount", "Resolved amount", "money"),
]


def _dispute_row(r: dict) -> dict:
    return {
        **r,
        "reason": DISPUTE_REASONS.get(r["reason"], r["reason"]),
        "avg_days": _days(r["avg_days"]),
        **_money(r, "open_amount", "resolved_amount"),
    }


disputes = summary_report(
    "Disputes by reason",
    DISPUTE_COLUMNS,
    disputes_by_reason,
    _dispute_row,
    "reason",
    ["Days open count from the day the dispute was opened to the report date."],
)

# --- credit memos ------------------------------------------------------------------------

MEMO_COLUMNS = [
    Column("reason", "Reason code"),
    Column("gl", "GL code"),
    Column("currency", "Currency"),
    Column("memos", "Memos", "int"),
    Column("posted", "Posted", "int"),
    Column("posted_amount", "Posted amount", "money"),
    Column("in_progress", "In progress", "int"),
    Column("in_progress_amount", "In progress amount", "money"),
    Column("rejected", "Rejected", "int"),
]


def _memo_row(r: dict) -> dict:
    return {**r, **_money(r, "posted_amount", "in_progress_amount")}


credit_memos = summary_report(
    "Credit memos by reason",
    MEMO_COLUMNS,
    credit_memos_by_reason,
    _memo_row,
    "reason",
    ["In progress: draft, pending approval or approved and not yet posted."],
)

# --- cash vs target ----------------------------------------------------------------------

CASH_COLUMNS = [
    Column("period", "Period"),
    Column("collector", "Collector"),
    Column("target", "Target", "money"),
    Column("collected", "Collected", "money"),
    Column("gap", "Still to collect", "money"),
    Column("attained", "Of target", "percent"),
    Column("days_left", "Days left", "int"),
]


def periods(today: date) -> list[tuple[str, str, date, date]]:
    """(label, period key, first day, last day) of today's month and quarter."""
    month_start = today.replace(day=1)
    next_month = (month_start + timedelta(days=32)).replace(day=1)
    quarter = (today.month - 1) // 3
    quarter_start = date(today.year, quarter * 3 + 1, 1)
    quarter_end = (date(today.year + 1, 1, 1) if quarter == 3 else date(today.year, quarter * 3 + 4, 1)) - timedelta(
        days=1
    )
    return [
        ("Month", today.strftime("%Y-%m"), month_start, next_month - timedelta(days=1)),
        ("Quarter", f"{today.year}-Q{quarter + 1}", quarter_start, quarter_end),
    ]


def _collected(db, today: date, start: date, key: str, book: str, collector: str | None, missing: dict) -> list[dict]:
    """``cash_against_target``'s rows, with the cash in other currencies converted into
    ``book`` at the rate of the day it came in (collector rows it alone has are added); what
    no rate covers is added up in ``missing`` per currency, never counted."""
    found = cash_against_target(db, today, start, key, book, collector)
    by_name = {r["collector"]: r for r in found}
    for r in cash_in_other_currencies(db, today, start, book, collector):
        converted = convert_cents(db, r["cents"], r["currency"], date.fromisoformat(r["day"]), book)
        if converted is None:
            missing[r["currency"]] = missing.get(r["currency"], 0) + r["cents"]
            continue
        if r["collector"] not in by_name:
            found.append(
                by_name.setdefault(r["collector"], {"collector": r["collector"], "target": None, "collected": 0})
            )
        by_name[r["collector"]]["collected"] += converted
        if "Team" in by_name and r["collector"] != "Team":
            by_name["Team"]["collected"] += converted
    return found


def cash_vs_target(db, today: date, collector: str | None = None, as_of: bool = False) -> ReportResult:
    """Payments received by ``today``, in the book currency (the targets'): the same figures
    ``as_of`` that day (the cash is dated)."""
    currency = book_currency(db)
    rows, not_counted = [], []
    for label, key, start, end in periods(today):
        missing: dict[str, int] = {}
        for r in _collected(db, today, start, key, currency, collector, missing):
            target, collected = r["target"], r["collected"]
            rows.append(
                {
                    "period": f"{label} {key}",
                    "collector": r["collector"],
                    "target": None if target is None else Money(target, currency),
                    "collected": Money(collected, currency),
                    "gap": None if target is None else Money(max(target - collected, 0), currency),
                    "attained": _percent(collected, target),
                    "days_left": (end - today).days,
                }
            )
        if missing:
            shown = ", ".join(format_money(cents, code) for code, cents in sorted(missing.items()))
            not_counted.append(f"{label} {key}: {shown} not counted, with no rate to convert it.")
    return ReportResult(
        "Cash collected against target",
        today,
        CASH_COLUMNS,
        [Section(None, rows)],
        [],
        [
            "Collected: payments received from the first day of the period to the report date,"
            " by the account's collector; (no collector): unidentified payers and unassigned"
            f" accounts. Team is every payment. In {currency}, the book currency: payments in"
            " other currencies converted at the rate of the day they came in.",
            *not_counted,
        ],
    )


# --- kpi ---------------------------------------------------------------------------------

KPI_COLUMNS = [
    Column("collector", "Collector"),
    Column("total_ar", "Receivables", "money"),
    Column("past_due", "Past due", "money"),
    Column("dso", "DSO", "number"),
    Column("best_possible_dso", "Best possible DSO", "number"),
    Column("add", "ADD", "number"),
    Column("cei", "CEI", "percent"),
    Column("percent_current", "Current", "percent"),
    Column("promise_kept_rate", "Promises kept", "percent"),
    Column("avg_days_since_contact", "Avg days since contact", "number"),
]


def _kpi_row(k: dict, label: str) -> dict:
    return {
        "dso_capped": k["dso_capped"],
        "collector": label,
        "total_ar": Money(k["total_ar_cents"], k["currency"]),
        "past_due": Money(k["past_due_cents"], k["currency"]),
        **{key: _days(k[key]) for key in ("dso", "best_possible_dso", "add", "avg_days_since_contact")},
        **{key: k[key] for key in ("cei", "percent_current", "promise_kept_rate")},
    }


def kpi_summary(db, today: date, collector: str | None = None, as_of: bool = False) -> ReportResult:
    """One row per collector (and the team's), in the book currency; a team billing in
    several currencies also gets a section per currency (the portfolios billing in it), and
    when a currency has no rate to the book currency only those sections."""
    names = collector_names(db)
    portfolios = [collector] if collector else [*owners(db), None]

    def label(owner: str | None) -> str:
        return names.get(owner, owner) if owner else "Team"

    book = book_currency(db)
    found = {owner: portfolio_kpis(db, today, owner, as_of) for owner in portfolios}
    missing = next((kpis.no_rate for kpis in found.values() if kpis.no_rate), None)
    rows = None if missing else [_kpi_row(kpis.total, label(owner)) for owner, kpis in found.items()]
    sections, notes = [], [f"No total in {book}, the book currency: {missing}."] if missing else []
    codes = sorted({code for kpis in found.values() for code in kpis.by_currency})
    if rows is None or len(codes) > 1:
        for code in codes:
            rows_in = [
                _kpi_row(k.by_currency[code], label(owner)) for owner, k in found.items() if code in k.by_currency
            ]
            sections.append(Section(f"Invoiced in {code}", rows_in))
    totals = []
    if rows is not None:
        if not collector:
            rows, totals = rows[:-1], rows[-1:]
        sections.append(Section(f"Every currency in {book}" if len(codes) > 1 else None, rows))
        if len(codes) > 1:
            notes.append(f"Every currency in {book}: the other currencies converted at the rates of {today}.")
    capped = dict.fromkeys(
        f"{r['collector']} ({r['total_ar'].currency})" if len(codes) > 1 else r["collector"]
        for r in [row for section in sections for row in section.rows] + totals
        if r["dso_capped"]
    )
    return ReportResult(
        "KPI summary",
        today,
        KPI_COLUMNS,
        sections,
        totals,
        [
            f"DSO by the count-back method over {DSO_MONTHS} months; CEI over the last"
            f" {CEI_PERIOD_DAYS} days; best possible DSO over {BPDSO_PERIOD_DAYS} days; ADD = DSO"
            " less best possible DSO; promises kept of those resolved in the last"
            f" {PROMISE_PERIOD_DAYS} days.",
            *notes,
            *(
                [f"DSO at its {DSO_MONTHS}-month cap (≥365 days, ADD a lower bound too): {', '.join(capped)}."]
                if capped
                else []
            ),
            *_as_of_notes(today, as_of),
        ],
    )


# --- registration ------------------------------------------------------------------------

REPORTS = [
    Report("aging", "Aging by account", "open balance of every account by aging bucket, with totals", aging),
    Report(
        "over-10k-60",
        "Balances over $10K 60+ days past due",
        "accounts with more than $10,000 over 60 days past due, by collector and region,"
        " with last contact and next action",
        over_10k_60,
    ),
    Report(
        "cadence",
        "Touchpoint cadence",
        "average days since last contact per account and per invoice, by collector",
        cadence,
    ),
    Report(
        "promises", "Promises to pay", "open, kept, partial and broken promises and the kept and broken rates", promises
    ),
    Report(
        "disputes", "Disputes by reason", "open and resolved disputes by reason, with amounts and days open", disputes
    ),
    Report(
        "credit-memos",
        "Credit memos by reason",
        "credit memos by reason and GL code: posted, in progress, rejected",
        credit_memos,
    ),
    Report(
        "cash-vs-target",
        "Cash collected against target",
        "payments received this month and quarter against the team's and collectors' targets",
        cash_vs_target,
    ),
    Report(
        "kpi",
        "KPI summary",
        "DSO, best possible DSO, ADD, CEI, % current and promise-kept rate, by collector",
        kpi_summary,
    ),
]


# --- unapplied-cash ----------------------------------------------------------------------

UNAPPLIED_BUCKETS = ("0-30", "31-60", "61-90", "90+")
UNAPPLIED_COLUMNS = [
    Column("payer", "Payer"),
    Column("currency", "Currency"),
    Column("receipts", "Receipts", "int"),
    *[Column(bucket, f"{bucket} days", "money") for bucket in UNAPPLIED_BUCKETS],
    Column("total", "Total", "money"),
    Column("oldest", "Oldest", "date"),
]


def unapplied_cash(db, today: date, collector: str | None = None, as_of: bool = False) -> ReportResult:
    """The whole book's unapplied receipts (cash is not in a portfolio until it is applied):
    ``collector`` narrows nothing. ``as_of``: received by that day less what was applied or
    refunded by then (the payer as known now)."""
    rows = [
        {
            **r,
            "payer": "known account" if r["payer_known"] else "no customer",
            "oldest": date.fromisoformat(r["oldest"]),
            **_money(r, *UNAPPLIED_BUCKETS, "total"),
        }
        for r in unapplied_cash_aging(db, today, as_of)
    ]
    return ReportResult(
        "Unapplied cash by age",
        today,
        UNAPPLIED_COLUMNS,
        [Section(None, rows)],
        total_rows(UNAPPLIED_COLUMNS, rows),
        [
            "Receipts with money not yet applied or refunded, by days since received; one row per currency"
            " and payer known or not (work them with `arctui cash unapplied` or C in the console).",
            *_as_of_notes(today, as_of),
        ],
    )


REPORTS.append(
    Report(
        "unapplied-cash",
        "Unapplied cash by age",
        "receipts with unapplied money by days since received, per currency, payer known or not",
        unapplied_cash,
    )
)

# the controls' reports (plugins/control_reports.py), after the others so their digits stay
REPORTS.extend(
    [
        Report(
            "cash-by-bucket",
            "Cash collected by aging bucket",
            "cash applied per aging bucket it came from, per collector, month and quarter",
            cash_by_bucket_report,
        ),
        Report(
            "write-offs",
            "Write-offs",
            "write-offs proposed, approved, rejected and posted, with who decided and why",
            write_offs_report,
        ),
    ]
)

# the case reports (plugins/case_reports.py): disputes with owner and age, escalations
REPORTS.extend(
    [
        Report(
            "dispute-cases",
            "Open dispute cases",
            "open disputes with their owner, age in days, due date and notes",
            dispute_cases_report,
        ),
        Report(
            "escalations",
            "Escalations",
            "suspension, outside collections and legal: recommended, decided, in force, agency recoveries",
            escalations_report,
        ),
    ]
)


@hookimpl
def register_reports(register):
    for report in REPORTS:
        register(report)
