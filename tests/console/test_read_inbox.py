"""store/read/inbox.py: what waits for a lead, one SELECT per kind, near misses left out."""

import shutil
from datetime import timedelta

import pytest

from arctui.store.connection import connect
from arctui.store.read import inbox
from tests.console.inbox_book import add_inbox_items
from tests.console.snapshot_book import TODAY, make_snapshot_book


@pytest.fixture(scope="module")
def lead_book(tmp_path_factory):
    path = tmp_path_factory.mktemp("inbox") / "book.db"
    make_snapshot_book(path)
    ids = add_inbox_items(path)
    return path, ids


@pytest.fixture
def db(lead_book, tmp_path):
    shutil.copy(lead_book[0], tmp_path / "book.db")
    return connect(tmp_path / "book.db")


def test_memos_waiting_for_approval(db, lead_book):
    (memo,) = inbox.memos_waiting(db)
    assert memo["id"] == lead_book[1]["memo"]
    assert (memo["account_no"], memo["prepared_by"], memo["amount_cents"]) == ("C000004", "alice", 120_000)


def test_disputes_past_their_due_day(db, lead_book):
    (dispute,) = inbox.disputes_past_due(db, TODAY)
    assert dispute["id"] == lead_book[1]["dispute"]
    assert dispute["days_open"] == 45 and dispute["due_date"] == "2026-11-08"
    assert dispute["account_no"] == "C000008"
    # the book's other dispute, opened 3 days ago, has its own due date (in 27 days): due_days
    # is for disputes opened before cases had one
    assert len(inbox.disputes_past_due(db, TODAY + timedelta(days=28))) == 2


def test_escalations_no_lead_has_acted_on(db, lead_book):
    (escalation,) = inbox.escalations_waiting(db)
    assert escalation["id"] == lead_book[1]["escalation"]
    assert (escalation["account_no"], escalation["by"], escalation["note"]) == ("C000005", "bob", "wants an agency")


def test_promises_broken_today(db, lead_book):
    (promise,) = inbox.promises_broken_today(db, TODAY)
    assert promise["id"] == lead_book[1]["promise"]
    assert promise["account_no"] == "C000006" and promise["paid_cents"] == 0
    # the one whose grace ends today breaks tomorrow (if still unpaid)
    tomorrow = inbox.promises_broken_today(db, TODAY + timedelta(days=1))
    assert [p["account_no"] for p in tomorrow] == ["C000007"]


def test_the_inbox_only_reads(db):
    before = db.execute("PRAGMA data_version").fetchone()[0], db.execute("SELECT count(*) FROM audit").fetchone()
    inbox.memos_waiting(db), inbox.disputes_past_due(db, TODAY), inbox.escalations_waiting(db)
    inbox.promises_broken_today(db, TODAY)
    after = db.execute("PRAGMA data_version").fetchone()[0], db.execute("SELECT count(*) FROM audit").fetchone()
    assert before == after and db.conn.total_changes == 0
