"""Escalations with a decision: an account's recommendations and those in force, what waits
for a lead, what an agency recovered, and the book's escalations for the report.

In force: an approved escalation no approved reinstatement has ended."""

from datetime import date

from sqlite_utils import Database

from arctui.store.read import rows, value

_ENDED = """EXISTS (SELECT 1 FROM escalations r WHERE r.reverses_id = {alias}.id AND r.status = 'approved')"""


def in_force_sql(alias: str) -> str:
    """SQL that holds for an escalation row (under ``alias``) in force."""
    return f"{alias}.step = 'escalate' AND {alias}.status = 'approved' AND NOT {_ENDED.format(alias=alias)}"


_RECOVERED = "(SELECT coalesce(sum(amount_cents), 0) FROM agency_recoveries a WHERE a.escalation_id = {alias}.id)"


def in_force(db: Database, customer_id: int) -> list[dict]:
    """The account's escalations in force, oldest first (every column of ``escalations``)."""
    return rows(
        db,
        f"""SELECT * FROM escalations e WHERE e.customer_id = ? AND e.step = 'escalate' AND e.status = 'approved'
            AND NOT {_ENDED.format(alias="e")} ORDER BY e.id""",
        [customer_id],
    )


def placements(db: Database, customer_id: int) -> list[dict]:
    """The account's agency placements in force, oldest first: every column of ``escalations``
    and ``recovered_cents``, what the agency recovered so far."""
    return rows(
        db,
        f"""SELECT e.*, {_RECOVERED.format(alias="e")} AS recovered_cents FROM escalations e
            WHERE e.customer_id = ? AND e.placed_cents IS NOT NULL AND {in_force_sql("e")} ORDER BY e.id""",
        [customer_id],
    )


def pending(db: Database, customer_id: int | None = None) -> list[dict]:
    """Recommendations waiting for a decision (of one account, or the whole book), oldest
    first, each with its account (``account_no``, ``name``, ``owner``, ``currency``)."""
    return rows(
        db,
        """SELECT e.*, c.account_no, c.name, c.owner, c.currency AS account_currency
           FROM escalations e JOIN customers c ON c.id = e.customer_id
           WHERE e.status = 'recommended' AND (:customer_id IS NULL OR e.customer_id = :customer_id)
           ORDER BY e.recommended_at, e.id""",
        {"customer_id": customer_id},
    )


def recovered_cents(db: Database, escalation_id: int) -> int:
    """What the agency recovered so far on a placement."""
    return value(db, f"SELECT {_RECOVERED.format(alias='e')} FROM escalations e WHERE e.id = ?", [escalation_id], 0)


def escalation_rows(db: Database, today: date, collector: str | None = None) -> list[dict]:
    """Every escalation and reinstatement recommended by ``today`` (of accounts ``collector``
    owns, or all), newest first: the account, kind, step, status, who recommended and decided
    and when, days waiting or in force, in force (0/1), the placement and what it recovered."""
    return rows(
        db,
        f"""
        SELECT e.id, c.account_no, c.name, c.owner AS collector, e.kind, e.step, e.status,
               e.recommended_by, e.recommended_at, e.decided_by, e.decided_at, e.note, e.decision_note,
               e.agency, e.placed_date, e.placed_cents, e.currency,
               {_RECOVERED.format(alias="e")} AS recovered_cents,
               e.step = 'escalate' AND e.status = 'approved' AND NOT {_ENDED.format(alias="e")} AS in_force,
               CAST(julianday(:today) - julianday(date(coalesce(e.decided_at, e.recommended_at))) AS INTEGER)
                   AS days
        FROM escalations e JOIN customers c ON c.id = e.customer_id
        WHERE date(e.recommended_at) <= :today AND (:collector IS NULL OR c.owner = :collector)
        ORDER BY e.recommended_at DESC, e.id DESC""",
        {"today": today.isoformat(), "collector": collector},
    )
