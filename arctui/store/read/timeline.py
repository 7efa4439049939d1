"""Everything that happened on one account, newest first, one window at a time; and the
facts shown above it.

One ``UNION ALL`` over the ledger's tables, each part narrowed by its customer index, so a
long history costs no more than the rows shown.
"""

from dataclasses import dataclass

from sqlite_utils import Database

from arctui.store.read import OPEN, booked_receipt, first, rows, value
from arctui.store.read.accounts import contacts, customer
from arctui.store.read.escalations import in_force, pending
from arctui.store.read.team import collector

# Each part yields (at, kind, summary, amount_cents, currency, by, ref) for :customer_id.
# Dates and UTC timestamps are both ISO text, so they sort together (a date before its day's times).
_PARTS = (
    """SELECT issue_date AS at, 'invoice' AS kind, 'Invoice ' || number || ' issued, due ' || due_date
              || CASE WHEN open_cents = 0 THEN ' (paid ' || ifnull(closed_date, '') || ')'
                      ELSE '' END AS summary,
              amount_cents, currency, updated_by AS by, id AS ref
       FROM invoices WHERE customer_id = :customer_id""",
    """SELECT received_date, 'payment', 'Payment by ' || method
              || ifnull(' ref ' || bank_ref, '')
              || CASE WHEN state = 'reversed' THEN ' (reversed by the bank)'
                      WHEN state = 'pending' THEN ' (pending: not booked yet)'
                      WHEN unapplied_cents > 0 THEN ' (part unapplied)' ELSE '' END,
              amount_cents, currency, updated_by, id
       FROM payments WHERE customer_id = :customer_id""",
    """SELECT a.applied_at, 'refund', 'Refund of payment ' || a.payment_id,
              a.amount_cents, p.currency, a.applied_by, a.id
       FROM payment_applications a JOIN payments p ON p.id = a.payment_id
       WHERE p.customer_id = :customer_id AND a.kind = 'refund'""",
    """SELECT at, kind, outcome_code || ifnull(': ' || nullif(note, ''), '')
              || ifnull(' (follow up ' || follow_up_date || ')', ''),
              NULL, NULL, by, id
       FROM touchpoints WHERE customer_id = :customer_id""",
    """SELECT created_at, 'promise', 'Promise to pay by ' || promised_date || ' (' || status || ')'
              || ifnull(': ' || nullif(note, ''), ''),
              amount_cents, NULL, created_by, id
       FROM promises WHERE customer_id = :customer_id""",
    """SELECT d.opened_at, 'dispute', 'Dispute on ' || i.number || ': ' || d.reason,
              d.amount_cents, i.currency, d.opened_by, d.id
       FROM disputes d JOIN invoices i ON i.id = d.invoice_id WHERE d.customer_id = :customer_id""",
    """SELECT d.resolved_at, 'resolved', 'Dispute on ' || i.number || ' resolved: '
              || ifnull(d.resolution, ''),
              d.amount_cents, i.currency, d.resolved_by, d.id
       FROM disputes d JOIN invoices i ON i.id = d.invoice_id
       WHERE d.customer_id = :customer_id AND d.resolved_at IS NOT NULL""",
    """SELECT n.at, 'dispute note', 'Dispute on ' || i.number || ': ' || n.note, NULL, NULL, n.by, n.id
       FROM dispute_notes n JOIN disputes d ON d.id = n.dispute_id JOIN invoices i ON i.id = d.invoice_id
       WHERE d.customer_id = :customer_id""",
    """SELECT recommended_at, 'recommended', 'Recommended '
              || CASE step WHEN 'reinstate' THEN 'ending ' ELSE '' END || replace(kind, '_', ' ')
              || ifnull(' with ' || agency, '') || ': ' || note,
              placed_cents, currency, recommended_by, id
       FROM escalations WHERE customer_id = :customer_id""",
    """SELECT decided_at, 'decided', CASE step WHEN 'reinstate' THEN 'Ending ' ELSE 'Escalation to ' END
              || replace(kind, '_', ' ') || ' ' || status || ifnull(': ' || nullif(decision_note, ''), ''),
              NULL, NULL, decided_by, id
       FROM escalations WHERE customer_id = :customer_id AND decided_at IS NOT NULL""",
    """SELECT created_at, 'plan', 'Payment plan, ' || frequency || ' (' || status || ')'
              || ifnull(': ' || nullif(note, ''), ''),
              total_cents, NULL, created_by, id
       FROM payment_plans WHERE customer_id = :customer_id""",
    """SELECT prepared_at, 'memo', CASE kind WHEN 'write_off' THEN 'Write-off ' ELSE 'Credit memo ' END
              || number || ' ' || reason_code || '/' || gl_code
              || ' (' || replace(status, '_', ' ') || ')',
              amount_cents, currency, prepared_by, id
       FROM credit_memos WHERE customer_id = :customer_id""",
    """SELECT at, kind, replace(kind, '_', ' ') || ifnull(' ' || detail, '')
              || ifnull(': ' || nullif(note, ''), ''),
              NULL, NULL, by, id
       FROM account_events WHERE customer_id = :customer_id""",
    """SELECT created_at, 'email',
              'Email to ' || to_addr || ': ' || subject || ' (' || status || ')',
              NULL, NULL, created_by, id
       FROM email_outbox WHERE customer_id = :customer_id""",
    """SELECT created_at, 'dunning', CASE channel WHEN 'call' THEN 'Call task: ' ELSE 'Letter: ' END
              || template || ' (strategy ' || strategy || ') for ' || invoices || ifnull(', ' || path, ''),
              NULL, NULL, created_by, id
       FROM dunning_tasks WHERE customer_id = :customer_id""",
    """SELECT created_at, 'pause', 'Reminders paused until ' || until_date || ': ' || reason
              || ifnull(' (ended ' || substr(ended_at, 1, 10) || ' by ' || ended_by || ')', ''),
              NULL, NULL, created_by, id
       FROM dunning_pauses WHERE customer_id = :customer_id""",
)
_UNION = " UNION ALL ".join(_PARTS)


@dataclass(frozen=True)
class Event:
    at: str
    kind: str  # invoice, payment, refund, call/email/letter/portal/note, promise, dispute, ...
    summary: str
    amount_cents: int | None
    currency: str | None  # None: the account's currency
    by: str | None
    ref: int  # the row's id in its own table


def count_events(db: Database, customer_id: int) -> int:
    return value(db, f"SELECT count(*) FROM ({_UNION})", {"customer_id": customer_id}, 0)


def timeline(db: Database, customer_id: int, *, offset: int = 0, limit: int = 100) -> list[Event]:
    """Events of the account, newest first."""
    sql = f"SELECT * FROM ({_UNION}) ORDER BY 1 DESC, 2, 7 DESC LIMIT :limit OFFSET :offset"
    params = {"customer_id": customer_id, "limit": limit, "offset": offset}
    return [Event(**row) for row in rows(db, sql, params)]


@dataclass(frozen=True)
class AccountSummary:
    """The facts shown above an account's timeline."""

    customer: dict
    contacts: list[dict]
    exposure_cents: int
    open_invoices: int
    unapplied: dict[str, int]  # unapplied cash per currency, the account's first
    collector_name: str | None
    escalations: tuple[str, ...] = ()
    """Escalations in force ("legal since 2026-11-02") and recommendations waiting
    ("suspension recommended by alice")."""


def account_summary(db: Database, customer_id: int) -> AccountSummary:
    """The account, its contacts (primary first), open balance and count, unapplied cash and
    its collector's name; LookupError when there is no such account."""
    account = customer(db, customer_id)
    if account is None:
        raise LookupError(f"customer {customer_id} not found")
    open_items = first(
        db,
        "SELECT ifnull(sum(open_cents), 0) AS exposure, count(*) AS count"
        f" FROM invoices WHERE customer_id = ? AND {OPEN}",
        [customer_id],
    )
    unapplied = {
        r["currency"]: r["cents"]
        for r in rows(
            db,
            "SELECT currency, sum(unapplied_cents) AS cents FROM payments p"
            f" WHERE customer_id = ? AND unapplied_cents > 0 AND {booked_receipt()}"
            " GROUP BY currency ORDER BY currency <> ?, currency",
            [customer_id, account["currency"]],
        )
    }
    owner = collector(db, account["owner"]) if account["owner"] else None
    return AccountSummary(
        account,
        contacts(db, customer_id),
        open_items["exposure"],
        open_items["count"],
        unapplied,
        owner["name"] if owner else None,
        tuple(
            [f"{e['kind'].replace('_', ' ')} since {e['decided_at'][:10]}" for e in in_force(db, customer_id)]
            + [
                f"{'ending ' if e['step'] == 'reinstate' else ''}{e['kind'].replace('_', ' ')}"
                f" recommended by {e['recommended_by']}"
                for e in pending(db, customer_id)
            ]
        ),
    )
