"""A tiny hand-made book for console tests (until then the sample generator's small book)."""
from datetime import date, timedelta

from arctui.services import accounts, promises, touchpoints
from arctui.services.context import Context, fixed_clock
from arctui.services.records import action
from arctui.store.connection import connect

TODAY = date(2026, 11, 23)

# (account, name, region, owner, [(days past due, amount cents, open cents)])
CUSTOMERS = [
    ("C000001", "Acme Tooling Inc.", "NA-East", "alice", [(120, 900_000, 900_000), (45, 250_000, 250_000)]),
    ("C000002", "Bluebird Foods LLC", "NA-West", "alice", [(10, 120_000, 120_000), (-5, 80_000, 80_000)]),
    ("C000003", "Cobalt Steel GmbH", "EMEA", "bob", [(75, 500_000, 300_000)]),
    ("C000004", "Driftwood Paper Ltd", "EMEA", "alice", [(-20, 40_000, 40_000), (-40, 10_000, 0)]),
]


def make_book(path) -> Context:
    db = connect(path, create=True)
    admin = Context(db, "admin", fixed_clock(TODAY))
    accounts.save_collector(admin, "alice", "Alice Ames", role="lead")
    accounts.save_collector(admin, "bob", "Bob Berg")
    for n, (account, name, region, owner, invoices) in enumerate(CUSTOMERS, 1):
        with action(admin, "test.seed", "customers") as act:
            cid = act.insert("customers", {"account_no": account, "name": name, "region": region,
                                           "owner": owner, "credit_limit_cents": 1_000_000})
            act.insert("contacts", {"customer_id": cid, "name": f"Pat {name.split()[0]}",
                                    "role": "AP", "email": f"ap@{account.lower()}.example",
                                    "is_primary": 1})
            for i, (late, amount, open_cents) in enumerate(invoices, 1):
                due = TODAY - timedelta(days=late)
                act.insert("invoices", {
                    "customer_id": cid, "number": f"INV-{n:03d}{i:02d}",
                    "issue_date": (due - timedelta(days=30)).isoformat(),
                    "due_date": due.isoformat(), "amount_cents": amount, "open_cents": open_cents,
                    "closed_date": None if open_cents else (due + timedelta(days=3)).isoformat(),
                })
    alice = Context(db, "alice", fixed_clock(TODAY - timedelta(days=3)))
    touchpoints.log_touchpoint(alice, 1, "call", "PTP", "spoke to AP")
    promises.record_promise(alice, 1, 250_000, TODAY + timedelta(days=2))
    return Context(db, "alice", fixed_clock(TODAY))
