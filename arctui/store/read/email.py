"""What the email outbox, the letters (templates) and the dunning run read.

The outbox's states: ``queued``, ``sent`` and ``failed``; a row that holds a Message-ID but
is not ``sent`` was handed to a sender and never confirmed ("in doubt"). A letter lists the
account's open items (``OPEN``); dunning looks at what the customer owes (``OWED``).
"""

from datetime import date

from sqlite_utils import Database

from arctui.domain.dunning import STEPS
from arctui.store.read import first, open_invoice, owed_invoice, rows, value
from arctui.store.read.contacts import ACTIVE
from arctui.store.read.disputes import held_by_dispute

IN_DOUBT, GAVE_UP = "in doubt", "gave up"

# -- the outbox ---------------------------------------------------------------------------


def outbox_row(db: Database, outbox_id: int) -> dict | None:
    return first(db, "SELECT * FROM email_outbox WHERE id = ?", [outbox_id])


def outbox_by_dedupe_key(db: Database, dedupe_key: str) -> dict | None:
    """The outbox row queued under ``dedupe_key`` (one email per account, template and day)."""
    return first(db, "SELECT * FROM email_outbox WHERE dedupe_key = ?", [dedupe_key])


def outbox(db: Database) -> list[dict]:
    """Every outbox row, oldest first."""
    return rows(db, "SELECT * FROM email_outbox ORDER BY id")


def sendable_ids(db: Database, max_attempts: int, ids=None, limit: int | None = None, except_templates=()) -> list[int]:
    """Rows waiting to be sent (queued, or failed fewer than ``max_attempts`` times), oldest
    first, among ``ids`` if given and not of ``except_templates``; rows in flight (holding a
    Message-ID) are not among them."""
    where = "status IN ('queued', 'failed') AND message_id IS NULL AND attempts < ?"
    params: list = [max_attempts]
    if ids is not None:
        ids = list(ids)
        where += f" AND id IN ({', '.join('?' * len(ids))})"
        params += ids
    if except_templates:
        where += f" AND coalesce(template, '') NOT IN ({', '.join('?' * len(except_templates))})"
        params += list(except_templates)
    sql = f"SELECT id FROM email_outbox WHERE {where} ORDER BY id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [row["id"] for row in rows(db, sql, params)]


def stuck(db: Database, max_attempts: int) -> list[dict]:
    """Rows no run will send on its own, each with its ``state``: ``in doubt`` (handed to a
    sender, never confirmed) or ``gave up`` (refused ``max_attempts`` times)."""
    return rows(
        db,
        "SELECT id, customer_id, to_addr, subject, message_id, attempts, last_error,"
        " CASE WHEN message_id IS NOT NULL THEN :in_doubt ELSE :gave_up END AS state"
        " FROM email_outbox WHERE status <> 'sent'"
        " AND (message_id IS NOT NULL OR attempts >= :max) ORDER BY id",
        {"in_doubt": IN_DOUBT, "gave_up": GAVE_UP, "max": max_attempts},
    )


# -- whom a letter goes to, and from (the account itself: ``read.accounts``) ----------------


def mail_contacts(db: Database, customer_id: int) -> list[dict]:
    """The account's contacts (not retired) that have an email address, the primary one first."""
    return rows(
        db,
        f"SELECT * FROM contacts WHERE customer_id = ? AND {ACTIVE} AND coalesce(email, '') <> ''"
        " ORDER BY is_primary DESC, name, id",
        [customer_id],
    )


def mail_contact(db: Database, customer_id: int, contact_id: int | None = None) -> dict | None:
    """``contact_id`` (if it is the account's, not retired and has an email address), else the
    account's primary contact with an email address: id, name, email, role."""
    return first(
        db,
        "SELECT id, name, email, role FROM contacts WHERE customer_id = :customer"
        f" AND {ACTIVE} AND coalesce(email, '') <> '' AND (:contact IS NULL OR id = :contact)"
        " ORDER BY is_primary DESC, id LIMIT 1",
        {"customer": customer_id, "contact": contact_id},
    )


def contact_id_by_email(db: Database, customer_id: int, email: str) -> int | None:
    """The account's contact with this address (the primary one if several share it)."""
    return value(
        db,
        "SELECT id FROM contacts WHERE customer_id = ? AND lower(email) = lower(?)"
        " ORDER BY is_primary DESC, id LIMIT 1",
        [customer_id, email.strip()],
    )


def collector(db: Database, collector_id: str | None) -> dict | None:
    """A collector's name and email (empty text when none is set)."""
    return first(db, "SELECT name, coalesce(email, '') AS email FROM collectors WHERE id = ?", [collector_id])


def owner_email(db: Database, customer_id: int | None) -> str | None:
    """The email of the account's collector (its owner), if set."""
    return value(
        db,
        "SELECT co.email FROM customers c JOIN collectors co ON co.id = c.owner WHERE c.id = ?",
        [customer_id],
    )


# -- what a letter says -------------------------------------------------------------------


def letter_invoices(db: Database, customer_id: int) -> list[dict]:
    """The account's open items, oldest due first, each flagged when an open dispute holds it."""
    return rows(
        db,
        "SELECT number, issue_date, due_date, po_number, currency, amount_cents, open_cents,"
        " EXISTS (SELECT 1 FROM disputes d WHERE d.invoice_id = i.id AND d.status = 'open')"
        " AS disputed"
        f" FROM invoices i WHERE customer_id = ? AND {open_invoice('i')} ORDER BY due_date, number",
        [customer_id],
    )


def open_promise(db: Database, customer_id: int) -> dict | None:
    """The account's latest open promise to pay."""
    return first(
        db,
        "SELECT id, amount_cents, promised_date, grace_days, note FROM promises"
        " WHERE customer_id = ? AND status = 'open' ORDER BY id DESC LIMIT 1",
        [customer_id],
    )


def active_plan(db: Database, customer_id: int) -> dict | None:
    """The account's latest active payment plan."""
    return first(
        db,
        "SELECT id, total_cents, frequency, created_at FROM payment_plans"
        " WHERE customer_id = ? AND status = 'active' ORDER BY id DESC LIMIT 1",
        [customer_id],
    )


def plan_instalments(db: Database, plan_id: int) -> list[dict]:
    return rows(
        db,
        "SELECT seq, due_date, amount_cents, paid_cents FROM plan_instalments WHERE plan_id = ? ORDER BY seq",
        [plan_id],
    )


# -- the dunning run's facts --------------------------------------------------------------

_STEP_LIST = ", ".join(f"'{step}'" for step in STEPS)
_PENDING = f"""(SELECT min(id) FROM email_outbox e WHERE e.customer_id = c.id
     AND e.status <> 'sent' AND e.template IN ({_STEP_LIST}))"""
_FACTS_SQL = f"""
WITH overdue AS (
    SELECT customer_id, min(due_date) AS oldest_any,
        min(CASE WHEN NOT {held_by_dispute("i")} THEN due_date END) AS oldest_undisputed
    FROM invoices i
    WHERE {owed_invoice("i")} AND due_date < :today GROUP BY customer_id
)
SELECT c.id, c.account_no, c.name, c.status, coalesce(o.oldest_undisputed, o.oldest_any) AS oldest_due,
    (SELECT max(at) FROM touchpoints t WHERE t.customer_id = c.id AND t.kind <> 'note')
        AS last_contact,
    o.oldest_any IS NOT NULL AND o.oldest_undisputed IS NULL AS open_dispute,
    EXISTS (SELECT 1 FROM payment_plans p WHERE p.customer_id = c.id AND p.status = 'active'
            AND NOT EXISTS (SELECT 1 FROM plan_instalments i WHERE i.plan_id = p.id
                            AND i.due_date < :today AND i.paid_cents < i.amount_cents))
        AS plan_current,
    EXISTS (SELECT 1 FROM promises p WHERE p.customer_id = c.id AND p.status = 'open'
            AND date(p.promised_date, '+' || p.grace_days || ' days') >= :today)
        AS promise_pending,
    {_PENDING} AS pending_email_id,
    EXISTS (SELECT 1 FROM contacts k WHERE k.customer_id = c.id AND k.{ACTIVE} AND coalesce(k.email, '') <> '')
        AS has_contact_email
FROM customers c LEFT JOIN overdue o ON o.customer_id = c.id
WHERE (o.customer_id IS NOT NULL OR {_PENDING} IS NOT NULL)
  AND (:collector IS NULL OR c.owner = :collector)
  AND (:customer IS NULL OR c.id = :customer)
ORDER BY o.oldest_any IS NULL, oldest_due, c.id
"""


def dunning_facts(
    db: Database, today: date, collector: str | None = None, customer_id: int | None = None
) -> list[dict]:
    """Every account (of ``collector``, or the whole team; or only ``customer_id``) that owes
    money past due or has a dunning email not yet sent, oldest debt first: id, account_no,
    name, status, oldest_due
    (of the oldest past-due invoice no dispute holds, see ``held_by_dispute``: a disputed
    invoice leaves the reminders, the account's others stay), last_contact (timestamp),
    open_dispute (every past-due invoice is disputed), plan_current, promise_pending (0/1),
    pending_email_id and has_contact_email (0/1). The steps already taken are
    ``arctui.store.read.dunning.dunning_extras``'s."""
    return rows(db, _FACTS_SQL, {"today": today.isoformat(), "collector": collector, "customer": customer_id})
