"""A lead's inbox: what waits for a lead's or manager's decision across the whole book.

Four kinds, each row with its account (``customer_id``, ``account_no``, ``name``, ``owner``,
``currency``):

- ``memos_waiting``: credit memos and write-offs pending approval (above their preparer's limit).
- ``disputes_past_due``: open disputes past their due date (one set before cases had
  theirs: ``due_days`` after it was opened; 30 unless told).
- ``escalations_waiting``: escalations to management that no lead or manager has acted on
  since: no account event (hold, release, escalation, assignment) and no logged contact by
  one of them on the account after the escalation.
- ``promises_broken_today``: promises whose grace ended yesterday, so today is the first
  day they count as broken, and that were not paid in full: judged broken or partial, or
  still open because ``promises settle`` has not judged them yet.
"""

from datetime import date

from sqlite_utils import Database

from arctui.store.read import promise_broken_today, rows

DISPUTE_DUE_DAYS = 30
"""Days after opening by which a dispute is due to be resolved."""

_ACCOUNT = "c.id AS customer_id, c.account_no, c.name, c.owner, c.currency"
_LEADS = "SELECT id FROM collectors WHERE role IN ('lead', 'manager')"


def memos_waiting(db: Database) -> list[dict]:
    """Memos pending approval, oldest first: id, number, kind (credit, write_off), amount_cents,
    currency, reason_code, gl_code, note, prepared_by, prepared_at, version, and the account."""
    return rows(
        db,
        f"""
        SELECT m.id, m.number, m.kind, m.amount_cents, m.currency AS memo_currency, m.reason_code, m.gl_code,
               m.note, m.prepared_by, m.prepared_at, m.version, {_ACCOUNT}
        FROM credit_memos m JOIN customers c ON c.id = m.customer_id
        WHERE m.status = 'pending_approval'
        ORDER BY m.prepared_at, m.id""",
    )


def disputes_past_due(db: Database, today: date, due_days: int = DISPUTE_DUE_DAYS) -> list[dict]:
    """Open disputes whose due date (without one: opened + ``due_days``) is before ``today``,
    oldest first: id, invoice_number, amount_cents, reason, note, opened_at, opened_by,
    dispute_owner, due_date, days_open, and the account."""
    due = "coalesce(d.due_date, date(d.opened_at, '+' || :days || ' days'))"
    return rows(
        db,
        f"""
        SELECT d.id, i.number AS invoice_number, d.amount_cents, d.reason, d.note, d.opened_at,
               d.opened_by, coalesce(d.owner, d.opened_by) AS dispute_owner, {due} AS due_date,
               CAST(julianday(:today) - julianday(date(d.opened_at)) AS INTEGER) AS days_open,
               {_ACCOUNT}
        FROM disputes d JOIN invoices i ON i.id = d.invoice_id JOIN customers c ON c.id = d.customer_id
        WHERE d.status = 'open' AND {due} < :today
        ORDER BY d.opened_at, d.id""",
        {"today": today.isoformat(), "days": int(due_days)},
    )


def escalations_waiting(db: Database) -> list[dict]:
    """Escalations to management no lead or manager has acted on since, oldest first: id,
    detail, note, at, by, and the account."""
    return rows(
        db,
        f"""
        SELECT e.id, e.detail, e.note, e.at, e.by, {_ACCOUNT}
        FROM account_events e JOIN customers c ON c.id = e.customer_id
        WHERE e.kind = 'escalation' AND e.detail = 'management'
          AND NOT EXISTS (SELECT 1 FROM account_events later
                          WHERE later.customer_id = e.customer_id AND later.id <> e.id
                            AND later.at >= e.at AND later.by IN ({_LEADS}))
          AND NOT EXISTS (SELECT 1 FROM touchpoints t
                          WHERE t.customer_id = e.customer_id AND t.at >= e.at AND t.by IN ({_LEADS}))
        ORDER BY e.at, e.id""",
    )


def promises_broken_today(db: Database, today: date) -> list[dict]:
    """Promises whose last day of grace was yesterday and that were not paid in full,
    largest first: id, amount_cents, paid_cents, promised_date, grace_days, status, note,
    created_by, and the account."""
    return rows(
        db,
        f"""
        SELECT p.id, p.amount_cents, p.paid_cents, p.promised_date, p.grace_days, p.status, p.note,
               p.created_by, {_ACCOUNT}
        FROM promises p JOIN customers c ON c.id = p.customer_id
        WHERE {promise_broken_today("p")}
        ORDER BY p.amount_cents DESC, p.id""",
        {"today": today.isoformat()},
    )
