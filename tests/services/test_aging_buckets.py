"""The book's aging buckets (issue 14, item 7): a manager sets them in one audited write;
anyone else, or bounds that are no buckets, are refused and nothing is written."""

import json

import pytest

from arctui.domain.aging import STANDARD
from arctui.domain.authority import AuthorityError
from arctui.services.aging import set_aging_buckets
from arctui.services.context import Context, fixed_clock
from arctui.services.errors import InvalidInput
from arctui.store.errors import StoreError
from arctui.store.read.aging import book_buckets
from tests.enrol import enrol

from .conftest import TODAY, audit_actions


@pytest.fixture
def manager(db):
    enrol(db, "mia", "Mia Manager", role="manager")
    return Context(db, "mia", fixed_clock(TODAY))


def test_a_book_ages_by_the_standard_buckets_until_a_manager_sets_others(db, manager):
    assert book_buckets(db) == STANDARD
    buckets = set_aging_buckets(manager, "0, 15, 30, 60, 90, 120")
    assert buckets.names == ("current", "1-15", "16-30", "31-60", "61-90", "91-120", "120+")
    assert book_buckets(db) == buckets
    row = db.execute("SELECT value, updated_by, updated_at FROM book_settings WHERE key = 'aging_buckets'").fetchone()
    assert tuple(row[:2]) == ("0,15,30,60,90,120", "mia") and row[2].startswith("2026-11-23")
    last = db.execute("SELECT actor, action, before, after FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    assert last[:2] == ("mia", "book.aging_buckets")
    assert json.loads(last[2]) == {"book_settings/aging_buckets": {"value": None}}
    assert json.loads(last[3]) == {"book_settings/aging_buckets": {"value": "0,15,30,60,90,120"}}


def test_setting_the_same_buckets_again_writes_nothing_and_a_change_is_audited_with_its_before(db, manager):
    set_aging_buckets(manager, "0,15,30,60,90,120")
    before = len(audit_actions(db))
    set_aging_buckets(manager, "15/30/60/90/120")  # the same buckets, written otherwise
    assert len(audit_actions(db)) == before
    set_aging_buckets(manager, "0,45,90")
    last = db.execute("SELECT before, after FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    assert json.loads(last[0])["book_settings/aging_buckets"] == {"value": "0,15,30,60,90,120"}
    assert json.loads(last[1])["book_settings/aging_buckets"] == {"value": "0,45,90"}
    assert book_buckets(db).names == ("current", "1-45", "46-90", "90+")


def test_a_collector_or_a_lead_may_not_set_the_buckets(db, as_user):
    for login in ("alice", "lead"):
        with pytest.raises(AuthorityError, match=f"{login} is not a manager: only a manager sets the aging buckets"):
            set_aging_buckets(as_user(login), "0,15,30")
    assert book_buckets(db) == STANDARD
    assert "book.aging_buckets" not in audit_actions(db)


def test_an_inactive_manager_may_not_set_them(db, manager):
    db.execute("UPDATE collectors SET active = 0 WHERE id = 'mia'")
    with pytest.raises(AuthorityError, match="mia is not a manager"):
        set_aging_buckets(manager, "0,15,30")
    assert book_buckets(db) == STANDARD


@pytest.mark.parametrize("text", ["", "0", "0,30,30", "0,60,30", "0,1,2,3,4,5,6,7,8", "0,x", "0,-5", "0,1000"])
def test_bounds_that_are_no_buckets_are_refused_and_nothing_is_written(db, manager, text):
    with pytest.raises(InvalidInput, match="aging buckets"):
        set_aging_buckets(manager, text)
    assert db.execute("SELECT count(*) FROM book_settings").fetchone()[0] == 0
    assert "book.aging_buckets" not in audit_actions(db)


def test_a_hand_edited_bad_setting_is_a_clear_error(db):
    db.execute("INSERT INTO book_settings (key, value) VALUES ('aging_buckets', '0,30,20')")
    with pytest.raises(StoreError, match="the book's aging buckets '0,30,20' are not valid .*`arctui aging set`"):
        book_buckets(db)
