"""A small book with known figures for the report tests, as of 2026-11-23.

Accounts and invoices are seeded as an ERP import leaves them; everything a collector does
(touchpoints, promises, payments, disputes, memos, targets) goes through the services on
the day it happened, so the reports read what the services really write.
"""

import itertools
import shutil
from datetime import date

import pytest

from arctui.plugins import PluginHost
from arctui.services.accounts import save_collector, set_target
from arctui.services.cash import apply_payment, record_payment
from arctui.services.context import Context, fixed_clock
from arctui.services.credit_memos import post_memo, prepare_memo, reject_memo
from arctui.services.disputes import open_dispute, resolve_dispute
from arctui.services.promises import cancel_promise, record_promise, settle_promises
from arctui.services.records import get
from arctui.services.touchpoints import log_touchpoint
from arctui.store.connection import connect
from arctui.store.postgresql import is_url
from tests.enrol import enrol

TODAY = date(2026, 11, 23)
PLUGINS = PluginHost()
"""The installed plugins (the bundled reports and exporters among them), loaded once."""
FORMULA = "=cmd|' /C calc'!A0"
SCRIPT = "<script>alert('x')</script> Tooling"

CUSTOMERS = [
    # id, account, name, region, currency, owner
    (1, "C001", "Northwind Supply", "NA-East", "USD", "alice"),
    (2, "C002", "Bluebird Logistics", "EMEA", "USD", "alice"),
    (3, "C003", "Cobalt Foods", "NA-West", "USD", "bob"),
    (4, "C004", FORMULA, "NA-East", "USD", "alice"),
    (5, "C005", SCRIPT, "NA-West", "USD", "bob"),
    (6, "C006", "Falcon Freight", "EMEA", "EUR", "bob"),
]
INVOICES = [
    # id, customer, number, due date, amount (= open when imported); days past due on 11-23
    (1, 1, "INV-1001", "2026-07-31", 1_500_000),  # 115: 90+
    (2, 1, "INV-1002", "2026-10-01", 400_000),  # 53: 31-60 (100,000 paid on 11-10)
    (3, 1, "INV-1003", "2026-12-01", 250_000),  # current
    (4, 2, "INV-2001", "2026-10-31", 1_200_000),  # 23: 1-30 (40,000 memo posted)
    (5, 2, "INV-2002", "2026-09-24", 2_000_000),  # exactly 60: 31-60, not 60+
    (6, 3, "INV-3001", "2026-09-15", 900_000),  # 69: 61-90
    (7, 3, "INV-3002", "2026-08-20", 150_000),  # 95: 90+
    (8, 3, "INV-3003", "2026-11-10", 200_000),  # paid in full on 11-04
    (9, 4, "INV-4001", "2026-09-01", 1_000_000),  # 83: 61-90, exactly $10,000: not over
    (10, 5, "INV-5001", "2026-11-23", 300_000),  # 0: current
    (11, 5, "INV-5002", "2026-11-22", 50_000),  # 1: 1-30
    (12, 6, "INV-6001", "2026-08-01", 2_500_000),  # 114: 90+, EUR
]


def seed(db):
    db["customers"].insert_all(
        [
            {"id": i, "account_no": a, "name": n, "region": r, "currency": c, "owner": o}
            for i, a, n, r, c, o in CUSTOMERS
        ]
    )
    currency = {i: c for i, *_, c, _ in CUSTOMERS}
    db["invoices"].insert_all(
        [
            {
                "id": i,
                "customer_id": cust,
                "number": num,
                "issue_date": "2026-07-01",
                "due_date": due,
                "currency": currency[cust],
                "amount_cents": cents,
                "open_cents": cents,
            }
            for i, cust, num, due, cents in INVOICES
        ]
    )


def act(db, user, month, day):
    return Context(db, user, fixed_clock(date(2026, month, day)))


def reporting(db, user: str = "lead") -> Context:
    """Who runs the reports, on the book's day, with the installed plugins."""
    return Context(db, user, fixed_clock(TODAY), plugins=PLUGINS)


def collect(db):
    """What the collectors did, in the order it happened."""
    version = lambda table, row_id: get(db, table, row_id)["version"]  # noqa: E731
    lead = act(db, "lead", 11, 1)
    set_target(lead, "2026-11", 1_000_000)
    set_target(lead, "2026-11", 400_000, "alice")
    set_target(lead, "2026-11", 600_000, "bob")
    set_target(lead, "2026-Q4", 5_000_000)

    # cash: 300,000 on account from C002 in October, C003 pays INV-3003, C001 part of INV-1002,
    # and 50,000 from an unknown payer
    record_payment(act(db, "alice", 10, 15), 300_000, date(2026, 10, 15), "ach", customer_id=2)
    record_promise(act(db, "bob", 11, 1), 3, 200_000, date(2026, 11, 5))  # kept
    pay = record_payment(act(db, "bob", 11, 4), 200_000, date(2026, 11, 4), "wire", customer_id=3)
    apply_payment(act(db, "bob", 11, 4), pay, [(8, 200_000)], 1)
    pay = record_payment(act(db, "alice", 11, 10), 100_000, date(2026, 11, 10), "check", customer_id=1)
    apply_payment(act(db, "alice", 11, 10), pay, [(2, 100_000)], 1)
    record_payment(act(db, "lead", 11, 18), 50_000, date(2026, 11, 18), "wire")

    # disputes
    d3 = open_dispute(act(db, "alice", 10, 20), 2, 50_000, "damaged")
    resolve_dispute(act(db, "alice", 11, 5), d3, version("disputes", d3), "customer_will_pay")
    open_dispute(act(db, "alice", 11, 3), 4, 200_000, "pricing")
    open_dispute(act(db, "bob", 11, 13), 6, 100_000, "pricing")

    # touchpoints: last contact C001 11-20, C002 11-02, C003 10-24, C004 never, C005 11-23, C006 11-13
    log_touchpoint(act(db, "alice", 11, 1), 1, "call", "LVM")
    log_touchpoint(act(db, "alice", 11, 2), 2, "email", "EMS")
    log_touchpoint(act(db, "bob", 10, 24), 3, "call", "CB", follow_up_date=date(2026, 11, 30))
    log_touchpoint(act(db, "bob", 11, 13), 6, "call", "NA")
    log_touchpoint(act(db, "alice", 11, 20), 1, "call", "PTP")
    log_touchpoint(act(db, "bob", 11, 23), 5, "note", "NOTE", "asked for a statement")

    # promises: C002 broken, C006 cancelled, C004 open past grace (not yet settled), C001 open
    record_promise(act(db, "alice", 11, 2), 2, 300_000, date(2026, 11, 10))
    p4 = record_promise(act(db, "bob", 11, 13), 6, 100_000, date(2026, 11, 15))
    cancel_promise(act(db, "bob", 11, 14), p4, version("promises", p4))
    record_promise(act(db, "alice", 11, 16), 4, 100_000, date(2026, 11, 16))
    record_promise(act(db, "alice", 11, 20), 1, 500_000, date(2026, 11, 27))
    settle_promises(act(db, "alice", 11, 23), customer_id=2)

    # credit memos: pricing 40,000 posted; damaged 80,000 pending; pricing 60,000 rejected
    m1 = prepare_memo(act(db, "alice", 11, 20), 2, 40_000, "pricing", "4510", invoice_id=4)
    post_memo(act(db, "alice", 11, 20), m1, version("credit_memos", m1))
    prepare_memo(act(db, "alice", 11, 20), 1, 80_000, "damaged", "4530", invoice_id=1)
    m3 = prepare_memo(act(db, "alice", 11, 20), 2, 60_000, "pricing", "4510", invoice_id=5)
    reject_memo(act(db, "lead", 11, 21), m3, version("credit_memos", m3), "price was agreed")


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def book_path(request, tmp_path_factory):
    """The reports' book, once a session on each backend: a file, or a database on the suite's server."""
    if request.param == "postgresql":
        path = request.getfixturevalue("pg_server").create_database("reports")
    else:
        path = tmp_path_factory.mktemp("reports") / "book.db"
    db = connect(path, create=True)
    enrol(db, "lead", "Lee Lead", role="lead", memo_limit_cents=10_000_000)  # the team's first lead
    lead = act(db, "lead", 10, 1)
    save_collector(lead, "alice", "Alice Archer", memo_limit_cents=50_000, cadence_days=14)
    save_collector(lead, "bob", "Bob Baker", memo_limit_cents=500_000, cadence_days=7)
    seed(db)
    collect(db)
    db.close()
    return path


_copies = itertools.count(1)


@pytest.fixture
def book_copy(book_path, tmp_path, request):
    """A copy of the reports' book for a test that writes to it: a file, or a database made from it."""
    if is_url(book_path):
        server, name = request.getfixturevalue("pg_server"), f"reports_copy_{next(_copies)}"
        server.execute(f'CREATE DATABASE "{name}" TEMPLATE "{book_path.rsplit("/", 1)[-1]}"')
        return server.url(name)
    shutil.copy(book_path, tmp_path / "book.db")
    return tmp_path / "book.db"


@pytest.fixture
def book(book_path):
    db = connect(book_path)
    yield db
    db.close()
