"""The controls' reports, registered with the others in standard_reports: ``cash-by-bucket``
(cash collected per aging bucket it came from, per collector, month and quarter) and
``write-offs``. Money is never added across currencies: each row and total is one currency."""

from datetime import date

from arctui.api import (
    AgingBuckets,
    Column,
    Money,
    ReportResult,
    Section,
    book_buckets,
    cash_by_bucket,
    total_rows,
    write_offs,
)

CASH_BY_BUCKET_MONTHS = 12
"""Months cash-by-bucket covers: this one and the eleven before."""


def _bucket_columns(buckets: AgingBuckets) -> list[Column]:
    return [
        Column("period", "Period"),
        Column("collector", "Collector"),
        Column("currency", "Currency"),
        *[Column(bucket, bucket.capitalize(), "money") for bucket in buckets.names],
        Column("total", "Total", "money"),
    ]


def _months_back(today: date, months: int) -> date:
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _quarter(month: str) -> str:
    year, number = month.split("-")
    return f"{year}-Q{(int(number) - 1) // 3 + 1}"


def _bucket_row(period: str, r: dict, buckets: AgingBuckets) -> dict:
    money = {bucket: Money(r[bucket], r["currency"]) for bucket in buckets.names}
    total = Money(sum(r[bucket] for bucket in buckets.names), r["currency"])
    return {"period": period, "collector": r["collector"], "currency": r["currency"], **money, "total": total}


def _by_quarter(monthly: list[dict], buckets: AgingBuckets) -> list[dict]:
    """The months' rows added up per quarter, collector and currency (one currency a row)."""
    quarters: dict[tuple, dict] = {}
    for r in monthly:
        key = (_quarter(r["month"]), r["collector"], r["currency"])
        into = quarters.setdefault(
            key, {"collector": r["collector"], "currency": r["currency"], **dict.fromkeys(buckets.names, 0)}
        )
        for bucket in buckets.names:
            into[bucket] += r[bucket]
    return [_bucket_row(key[0], r, buckets) for key, r in sorted(quarters.items())]


def cash_by_bucket_report(db, today: date, collector: str | None = None, as_of: bool = False) -> ReportResult:
    """Cash applied this month and the eleven before, by the book's bucket each invoice was in
    on the day its cash was applied. ``as_of`` changes nothing: the cash is counted by its
    value dates."""
    start = _months_back(today, CASH_BY_BUCKET_MONTHS - 1)
    buckets = book_buckets(db)
    columns = _bucket_columns(buckets)
    monthly = cash_by_bucket(db, start, today, collector, buckets)
    months = [_bucket_row(r["month"], r, buckets) for r in monthly]
    return ReportResult(
        "Cash collected by aging bucket",
        today,
        columns,
        [Section("By month", months), Section("By quarter", _by_quarter(monthly, buckets))],
        total_rows(columns, months),
        [
            f"Cash applied to invoices from {start.isoformat()} to {today.isoformat()} by its value date, in the"
            " aging bucket its invoice was in that day (days past due on the day the cash was applied);"
            " refunds and unapplied cash are not counted.",
        ],
    )


WRITE_OFF_COLUMNS = [
    Column("number", "Write-off"),
    Column("status", "Status"),
    Column("proposed", "Proposed"),
    Column("account", "Account"),
    Column("name", "Customer"),
    Column("collector", "Collector"),
    Column("invoice", "Invoice"),
    Column("reason", "Reason / GL"),
    Column("currency", "Currency"),
    Column("amount", "Amount", "money"),
    Column("posted_amount", "Posted", "money"),
    Column("proposed_by", "Proposed by"),
    Column("approved_by", "Decided by"),
    Column("posted", "Posted on"),
    Column("note", "Why"),
]


def _write_off_row(w: dict) -> dict:
    posted = w["amount_cents"] if w["status"] == "posted" else 0
    return {
        **w,
        "status": w["status"].replace("_", " "),
        "reason": f"{w['reason_code']} / {w['gl_code']}",
        "amount": Money(w["amount_cents"], w["currency"]),
        "posted_amount": Money(posted, w["currency"]),
        "proposed_by": w["prepared_by"],
        "note": w["note"] or "",
    }


def write_offs_report(db, today: date, collector: str | None = None) -> ReportResult:
    rows = [_write_off_row(w) for w in write_offs(db, today, collector)]
    return ReportResult(
        "Write-offs",
        today,
        WRITE_OFF_COLUMNS,
        [Section(None, rows)],
        total_rows(WRITE_OFF_COLUMNS, rows),
        [
            "Every write-off proposed by the report date, newest first; Posted: the amount taken off its"
            " invoice. Above the proposer's authority limit a write-off waits for someone else's approval."
        ],
    )
