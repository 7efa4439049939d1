"""A small, hand-made book for the service tests: three collectors, three accounts.

Every test that takes ``db`` runs twice, on a SQLite file and on a PostgreSQL book
(``book_target``, tests/conftest.py): the same services, the same answers.
"""

import sqlite3
from datetime import date

import psycopg
import pytest

from arctui.services.accounts import save_collector
from arctui.services.context import Context, fixed_clock
from arctui.store.connection import connect
from tests.enrol import first_lead

TODAY = date(2026, 11, 23)
# what a constraint refusing a row raises, on either backend
INTEGRITY_ERRORS = (sqlite3.IntegrityError, psycopg.IntegrityError)


def seed(db):
    """Accounts and invoices as an ERP import would leave them (no service creates those)."""
    db["customers"].insert_all(
        [
            {
                "id": 1,
                "account_no": "C001",
                "name": "Northwind Supply",
                "region": "NA-East",
                "terms_days": 30,
                "credit_limit_cents": 5_000_000,
                "owner": "alice",
            },
            {
                "id": 2,
                "account_no": "C002",
                "name": "Bluebird Logistics",
                "region": "EMEA",
                "terms_days": 30,
                "credit_limit_cents": 1_000_000,
                "owner": "alice",
            },
            {
                "id": 3,
                "account_no": "C003",
                "name": "Cobalt Foods",
                "region": "NA-West",
                "terms_days": 45,
                "credit_limit_cents": 2_000_000,
                "owner": "bob",
            },
        ]
    )
    db["invoices"].insert_all(
        [
            # id, customer, number, issued, due, amount = open
            dict(zip(("id", "customer_id", "number", "issue_date", "due_date", "amount_cents", "open_cents"), r))
            for r in [
                (1, 1, "INV-1001", "2026-07-01", "2026-07-31", 1_500_000, 1_500_000),  # 115 days: 90+
                (2, 1, "INV-1002", "2026-09-01", "2026-10-01", 400_000, 400_000),  # 53 days: 31-60
                (3, 1, "INV-1003", "2026-11-01", "2026-12-01", 250_000, 250_000),  # current
                (4, 2, "INV-2001", "2026-10-01", "2026-10-31", 1_200_000, 1_200_000),  # 23 days: 1-30
                (5, 3, "INV-3001", "2026-08-01", "2026-09-15", 900_000, 900_000),  # 69 days: 61-90
            ]
        ]
    )


@pytest.fixture
def db(book_target):
    database = connect(book_target, create=True)
    lead = first_lead(database, fixed_clock(TODAY), memo_limit_cents=10_000_000)
    save_collector(lead, "alice", "Alice Archer", memo_limit_cents=50_000, cadence_days=14)
    save_collector(lead, "bob", "Bob Baker", memo_limit_cents=500_000)
    seed(database)
    yield database
    database.close()


@pytest.fixture
def as_user(db):
    """``as_user("alice")`` → a Context acting as alice on 2026-11-23."""
    return lambda user, day=TODAY: Context(db, user, fixed_clock(day))


def audit_actions(db):
    return [row[0] for row in db.execute("SELECT action FROM audit ORDER BY id")]
