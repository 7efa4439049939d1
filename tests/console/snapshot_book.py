"""A small fixed book for the snapshot tests, written through the services.

The Pilot tests use the sample generator's book and compute what they expect from it; the
snapshots compare pixels, so they use this book, which changes only when this file does.
Customers and invoices have no service of their own (they come from imports), so they are
written with ``records.action``, audited like any other write.
"""

from datetime import date, timedelta

from arctui.services import accounts, cash, disputes, promises, touchpoints
from arctui.services.context import Context, fixed_clock
from arctui.services.records import action
from arctui.store.connection import connect
from tests.enrol import enrol

TODAY = date(2026, 11, 23)
NAMES = [
    "Acme Tooling Inc.",
    "Bluebird Foods LLC",
    "Cobalt Steel GmbH",
    "Driftwood Paper Ltd",
    "Evergreen Logistics AB",
    "Falcon Optics K.K.",
    "Granite Freight Corp.",
    "Harbor Plastics S.A.",
    "Ironwood Medical LLC",
    "Juniper Controls Ltd",
]
REGIONS = ["NA-East", "NA-West", "EMEA", "APAC"]
# days past due of each customer's open invoices (negative: not yet due)
AGES = [-20, 10, 45, 75, 120, 200]


def make_snapshot_book(path) -> None:
    db = connect(path, create=True)
    admin = Context(db, "admin", fixed_clock(TODAY - timedelta(days=400)))
    enrol(db, "lead", "Lee Lead", role="lead")  # the team's first lead
    lead = Context(db, "lead", fixed_clock(TODAY - timedelta(days=400)))
    accounts.save_collector(lead, "alice", "Alice Ames", role="collector")
    accounts.save_collector(lead, "bob", "Bob Berg")
    for n, name in enumerate(NAMES, 1):
        with action(admin, "test.seed", "customers") as act:
            cid = act.insert(
                "customers",
                {
                    "account_no": f"C{n:06d}",
                    "name": name,
                    "region": REGIONS[n % 4],
                    "owner": "bob" if n % 5 == 0 else "alice",
                    "terms_days": 30,
                    "credit_limit_cents": 2_000_000 * n,
                },
            )
            act.insert(
                "contacts",
                {
                    "customer_id": cid,
                    "name": f"Pat {name.split()[0]}",
                    "role": "AP",
                    "email": f"ap{n}@example.com",
                    "phone": f"+1 555 01{n:02d}",
                    "is_primary": 1,
                },
            )
            for i, late in enumerate(AGES[: 2 + n % 5]):
                due = TODAY - timedelta(days=late)
                amount = 100_000 * n + 37_500 * i
                act.insert(
                    "invoices",
                    {
                        "customer_id": cid,
                        "number": f"INV-{n:02d}{i:03d}",
                        "issue_date": (due - timedelta(days=30)).isoformat(),
                        "due_date": due.isoformat(),
                        "amount_cents": amount,
                        "open_cents": amount,
                    },
                )
    paid = Context(db, "alice", fixed_clock(TODAY - timedelta(days=60)))
    payment = cash.record_payment(paid, 137_500, TODAY - timedelta(days=60), "ach", customer_id=1, bank_ref="ACH-0001")
    cash.apply_payment(paid, payment, [(2, 137_500)], 1)
    alice = Context(db, "alice", fixed_clock(TODAY - timedelta(days=3)))
    touchpoints.log_touchpoint(alice, 1, "call", "PTP", "spoke to AP")
    promises.record_promise(alice, 1, 250_000, TODAY + timedelta(days=2))
    disputes.open_dispute(alice, 3, 50_000, "pricing", "unit price disputed")
    touchpoints.log_touchpoint(alice, 3, "email", "LVM", follow_up_date=TODAY - timedelta(days=1))
    db.close()
