"""Disputes: the open ones of an account, what of an invoice is not yet disputed, a case's
notes and memo, the open cases of the book."""

from datetime import date

from sqlite_utils import Database

from arctui.store.read import first, rows, value
from arctui.store.read.inbox import DISPUTE_DUE_DAYS


def held_by_dispute(invoice: str = "i") -> str:
    """SQL true when a dispute holds the invoice (``invoice``: its alias) out of the reminders:
    one still open, or one resolved as credited whose memo is not posted yet (nor rejected)."""
    return f"""EXISTS (SELECT 1 FROM disputes d WHERE d.invoice_id = {invoice}.id AND (d.status = 'open'
        OR d.resolution = 'credited' AND EXISTS (SELECT 1 FROM credit_memos m WHERE m.id = d.credit_memo_id
                                                AND m.status IN ('draft', 'pending_approval', 'approved'))))"""


def open_disputes(db: Database, customer_id: int) -> list[dict]:
    """The account's open disputes, oldest first, each with its invoice's ``invoice_number``."""
    return rows(
        db,
        "SELECT d.*, i.number AS invoice_number FROM disputes d"
        " JOIN invoices i ON i.id = d.invoice_id"
        " WHERE d.customer_id = ? AND d.status = 'open' ORDER BY d.opened_at, d.id",
        [customer_id],
    )


def undisputed_cents(db: Database, invoice_id: int) -> int:
    """The invoice's open balance less what its open disputes already hold: the most a new
    dispute on it may claim (the one definition the dispute service and form share)."""
    return value(
        db,
        """
        SELECT i.open_cents - (SELECT coalesce(sum(d.amount_cents), 0) FROM disputes d
                               WHERE d.invoice_id = i.id AND d.status = 'open')
        FROM invoices i WHERE i.id = ?""",
        [invoice_id],
        0,
    )


def dispute_notes(db: Database, dispute_id: int) -> list[dict]:
    """The case's notes, oldest first: note, at, by."""
    return rows(db, "SELECT note, at, by FROM dispute_notes WHERE dispute_id = ? ORDER BY id", [dispute_id])


def linkable_memo(db: Database, memo_id: int, invoice_id: int) -> dict | None:
    """Credit memo ``memo_id`` when it credits ``invoice_id`` and still stands (not rejected):
    what a dispute resolved as credited may point to."""
    return first(
        db,
        "SELECT * FROM credit_memos WHERE id = ? AND invoice_id = ? AND status <> 'rejected'",
        [memo_id, invoice_id],
    )


def dispute_cases(db: Database, today: date, collector: str | None = None) -> list[dict]:
    """Open disputes (of accounts ``collector`` owns, or all), oldest first, each with its
    account, invoice, owner, age in days, due date (without one: ``DISPUTE_DUE_DAYS`` after it
    was opened), days past it, notes and currency."""
    due = f"coalesce(d.due_date, date(d.opened_at, '+{DISPUTE_DUE_DAYS} days'))"
    return rows(
        db,
        f"""
        SELECT d.id, c.account_no, c.name, c.owner AS collector, i.number AS invoice, i.currency,
               d.amount_cents, d.reason, coalesce(d.owner, d.opened_by) AS owner, d.opened_at, d.opened_by,
               CAST(julianday(:today) - julianday(date(d.opened_at)) AS INTEGER) AS age_days,
               {due} AS due_date,
               max(0, CAST(julianday(:today) - julianday({due}) AS INTEGER)) AS days_overdue,
               (SELECT count(*) FROM dispute_notes n WHERE n.dispute_id = d.id) AS notes
        FROM disputes d JOIN invoices i ON i.id = d.invoice_id JOIN customers c ON c.id = d.customer_id
        WHERE d.status = 'open' AND date(d.opened_at) <= :today AND (:collector IS NULL OR c.owner = :collector)
        ORDER BY d.opened_at, d.id""",
        {"today": today.isoformat(), "collector": collector},
    )
