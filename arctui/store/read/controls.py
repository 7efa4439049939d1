"""What the control reports read: write-offs, and cash collected by the aging bucket it came from."""

from datetime import date

from sqlite_utils import Database

from arctui.domain.aging import STANDARD, AgingBuckets
from arctui.store.read import booked_receipt, first, rows
from arctui.store.read.reports import UNASSIGNED

_WRITE_OFF = f"""
SELECT m.id, m.number, m.status, m.amount_cents, m.currency, m.reason_code, m.gl_code, m.note,
  m.prepared_by, date(m.prepared_at) AS proposed, m.approved_by, date(m.decided_at) AS decided,
  m.decision_note, date(m.posted_at) AS posted, m.version, i.number AS invoice, i.due_date,
  c.account_no AS account, c.name, coalesce(col.name, c.owner, '{UNASSIGNED}') AS collector
FROM credit_memos m JOIN customers c ON c.id = m.customer_id JOIN invoices i ON i.id = m.invoice_id
LEFT JOIN collectors col ON col.id = c.owner
WHERE m.kind = 'write_off'
"""


def write_off(db: Database, number: str) -> dict | None:
    """The write-off numbered ``number`` (WO-…, any case), with its invoice and account; None if none."""
    return first(db, _WRITE_OFF + " AND m.number = ? COLLATE NOCASE", [number.strip()])


def write_offs(
    db: Database, today: date, collector: str | None = None, statuses: tuple[str, ...] | None = None
) -> list[dict]:
    """Write-offs proposed up to ``today`` (of ``collector``'s accounts; in ``statuses``), newest first."""
    status = f" AND m.status IN ({', '.join('?' for _ in statuses)})" if statuses else ""
    return rows(
        db,
        _WRITE_OFF + " AND date(m.prepared_at) <= ? AND (? IS NULL OR c.owner = ?)" + status + " ORDER BY m.id DESC",
        [today.isoformat(), collector, collector, *(statuses or ())],
    )


def cash_by_bucket(
    db: Database, start: date, today: date, collector: str | None = None, buckets: AgingBuckets = STANDARD
) -> list[dict]:
    """Cash applied to invoices from ``start`` to ``today`` (by the applications' value dates),
    per month, collector (the account's owner) and currency, split by the bucket of ``buckets``
    (the standard ones unless told) each invoice was in on the day its cash was applied: month
    (YYYY-MM), collector, currency, one column of cents per bucket. Refunds are no cash
    collected; a reversed receipt's applications are gone with it."""
    return rows(
        db,
        f"""
        WITH applied AS (
          SELECT substr(a.applied_date, 1, 7) AS month, coalesce(col.name, c.owner, '{UNASSIGNED}') AS collector,
            i.currency, a.amount_cents AS cents, {buckets.on_day_sql("i.due_date", "a.applied_date")} AS bucket
          FROM payment_applications a
          JOIN payments p ON p.id = a.payment_id
          JOIN invoices i ON i.id = a.invoice_id
          JOIN customers c ON c.id = i.customer_id
          LEFT JOIN collectors col ON col.id = c.owner
          WHERE a.kind = 'apply' AND {booked_receipt()} AND a.applied_date BETWEEN :start AND :today
            AND (:collector IS NULL OR c.owner = :collector)
        )
        SELECT month, collector, currency, {buckets.sums_sql("cents")}
        FROM applied GROUP BY month, collector, currency ORDER BY month, collector, currency""",
        {"start": start.isoformat(), "today": today.isoformat(), "collector": collector},
    )
