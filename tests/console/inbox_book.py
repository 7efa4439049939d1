"""What waits for a lead, written through the services into a copy of the snapshot book:
one item of each kind for the inbox, and one near miss of each that must stay out.

Dates count back from the snapshot book's today (2026-11-23).
"""

from datetime import timedelta

from arctui.services import accounts, credit_memos, disputes, promises, touchpoints
from arctui.services.context import Context, fixed_clock
from arctui.store.connection import connect
from arctui.store.read import first
from tests.console.snapshot_book import TODAY


def add_inbox_items(path) -> dict[str, int]:
    """Returns the ids of the items that belong in the inbox, by kind."""
    db = connect(path)

    def as_of(user: str, days_ago: int) -> Context:
        return Context(db, user, fixed_clock(TODAY - timedelta(days=days_ago)))

    def invoice_of(customer_id: int) -> dict:
        return first(db, "SELECT * FROM invoices WHERE customer_id = ? ORDER BY id LIMIT 1", [customer_id])

    def version_of(customer_id: int) -> int:
        return first(db, "SELECT version FROM customers WHERE id = ?", [customer_id])["version"]

    found = {}
    # a memo above alice's limit waits for approval; one within bob's limit does not
    invoice = invoice_of(4)
    found["memo"] = credit_memos.prepare_memo(
        as_of("alice", 2), 4, 120_000, "PRICING", "4100", invoice_id=invoice["id"], note="price list error"
    )
    invoice = invoice_of(6)
    credit_memos.prepare_memo(as_of("alice", 2), 6, 5_000, "PRICING", "4100", invoice_id=invoice["id"], submit=False)
    # a dispute opened 45 days ago is past due; the book's own, 3 days old, is not
    found["dispute"] = disputes.open_dispute(
        as_of("alice", 45), invoice_of(8)["id"], 80_000, "damaged", "pallet crushed"
    )
    # bob's escalation waits; alice's was answered by the lead's note the next day
    accounts.escalate(as_of("bob", 5), 5, "management", "wants an agency", version=version_of(5))
    found["escalation"] = first(db, "SELECT max(id) AS id FROM account_events")["id"]
    accounts.escalate(as_of("alice", 6), 2, "management", "CFO will not call back", version=version_of(2))
    touchpoints.log_touchpoint(as_of("lead", 5), 2, "note", "ESC", "spoke to their CFO: plan coming")
    # grace ended yesterday: broken today; a promise whose grace ends today is not broken yet
    found["promise"] = promises.record_promise(as_of("alice", 10), 6, 50_000, TODAY - timedelta(days=4))
    promises.record_promise(as_of("alice", 10), 7, 30_000, TODAY - timedelta(days=3))
    db.close()
    return found
