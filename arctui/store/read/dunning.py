"""What the dunning run and the client screen read about strategies, pauses and the steps
taken by call or letter (the email steps are the outbox's: ``arctui.store.read.email``)."""

import json
from datetime import date

from sqlite_utils import Database

from arctui.store.read import first, open_invoice, rows
from arctui.store.read.escalations import in_force_sql


def strategies(db: Database) -> list[dict]:
    """The book's strategies in the order they are matched."""
    return rows(db, "SELECT * FROM strategies ORDER BY position")


def strategies_set_by_a_person(db: Database) -> bool:
    """False while the book has only the migration's default strategy."""
    return first(db, "SELECT 1 FROM strategies WHERE updated_by IS NOT NULL") is not None


_EXTRAS_SQL = f"""
SELECT c.id, c.status, c.region, c.risk_class, c.currency,
    (SELECT ifnull(sum(open_cents), 0) FROM invoices i WHERE i.customer_id = c.id AND {open_invoice("i")})
        AS open_cents,
    (SELECT until_date || ' ' || reason FROM dunning_pauses p
     WHERE p.customer_id = c.id AND p.ended_at IS NULL AND p.until_date >= :today
     ORDER BY p.until_date DESC, p.id DESC LIMIT 1) AS pause,
    (SELECT template || ' ' || sent_at FROM email_outbox e
     WHERE e.customer_id = c.id AND e.status = 'sent' AND e.template IN (SELECT value FROM json_each(:templates))
     ORDER BY e.sent_at DESC, e.id DESC LIMIT 1) AS last_email,
    (SELECT template || ' ' || day FROM dunning_tasks t WHERE t.customer_id = c.id
     ORDER BY t.day DESC, t.id DESC LIMIT 1) AS last_task,
    (SELECT min(id) FROM email_outbox e WHERE e.customer_id = c.id AND e.status <> 'sent'
     AND e.template IN (SELECT value FROM json_each(:templates))) AS pending_email_id,
    (SELECT kind FROM escalations x WHERE x.customer_id = c.id AND {in_force_sql("x")}
     ORDER BY x.id DESC LIMIT 1) AS escalated
FROM customers c WHERE c.id IN (SELECT CAST(value AS INTEGER) FROM json_each(:ids))
"""


def dunning_extras(db: Database, today: date, customer_ids: list[int], templates: list[str]) -> dict[int, dict]:
    """Per account: status, region, risk_class, currency, open_cents (to find its strategy), pause
    ("UNTIL REASON" of the pause in force on ``today``), last_email ("TEMPLATE SENT_AT" of the
    latest email of one of ``templates`` sent), last_task ("TEMPLATE DAY" of the latest call or
    letter step), pending_email_id (such an email not yet sent) and escalated (the kind of its
    latest escalation in force, if any), by id."""
    params = {"today": today.isoformat(), "ids": json.dumps(customer_ids), "templates": json.dumps(templates)}
    return {row["id"]: row for row in rows(db, _EXTRAS_SQL, params)}


def latest_tasks(db: Database, customer_id: int, limit: int = 3) -> list[dict]:
    """The account's latest call and letter steps, newest first."""
    return rows(
        db,
        "SELECT strategy, template, channel, day, invoices, path FROM dunning_tasks"
        " WHERE customer_id = ? ORDER BY day DESC, id DESC LIMIT ?",
        [customer_id, limit],
    )


def task_taken(db: Database, customer_id: int, template: str, day: str) -> bool:
    """Whether the account's call or letter step ``template`` was taken on ``day``."""
    return (
        first(
            db,
            "SELECT 1 FROM dunning_tasks WHERE customer_id = ? AND template = ? AND day = ?",
            [customer_id, template, day],
        )
        is not None
    )


def pause_in_force(db: Database, customer_id: int, today: date) -> dict | None:
    """The account's pause in force on ``today`` (the one lasting longest), if any."""
    return first(
        db,
        "SELECT * FROM dunning_pauses WHERE customer_id = ? AND ended_at IS NULL AND until_date >= ?"
        " ORDER BY until_date DESC, id DESC LIMIT 1",
        [customer_id, today.isoformat()],
    )
