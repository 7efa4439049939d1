"""Writing to a PostgreSQL book: actions side by side and long writers alone, the audit trail
append-only and chained per actor, a conflict replayed or refused with nothing saved, the types
SQLite gives back."""

import threading
from collections import Counter

import psycopg
import pytest

from arctui.services.accounts import save_collector
from arctui.services.context import Context, fixed_clock
from arctui.services.records import action
from arctui.services.touchpoints import log_touchpoint
from arctui.store import audit
from arctui.store.connection import connect
from arctui.store.errors import BookBusy
from arctui.store.facts import bring_to
from arctui.store.postgresql.database import IntegrityError
from arctui.store.writing import replayed, write
from tests.enrol import first_lead
from tests.services.conftest import TODAY, seed


@pytest.fixture
def db(pg_book):
    book = connect(pg_book)
    lead = first_lead(book, fixed_clock(TODAY))
    for login in ("alice", "bob"):
        save_collector(lead, login, login.title())
    seed(book)
    log_touchpoint(Context(book, "alice", fixed_clock(TODAY)), 1, "call", "LVM")
    yield book
    book.close()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit SET actor = 'mallory' WHERE id = 1",
        "DELETE FROM audit WHERE id = 2",
        "TRUNCATE audit",
        "INSERT INTO audit (at, actor, action, entity, prev_hash, hash) VALUES ('t', 'm', 'x', 'y', 'z', 'z')",
        "INSERT INTO audit (id, at, actor, action, entity, prev_hash, hash)"
        " SELECT 1, 't', 'm', 'x', 'y', hash, 'z' FROM audit ORDER BY id DESC LIMIT 1",
    ],
)
def test_the_audit_trail_refuses_anything_but_a_new_chained_last_row_even_from_its_owner(db, sql):
    rows = audit.head(db)[0]
    with pytest.raises((psycopg.Error, IntegrityError), match="audit is append-only"), write(db):
        db.execute(sql)
    assert audit.verify(db) == (rows, None, None)


def test_a_row_changed_behind_the_triggers_back_is_named_by_verify(db):
    db.raw.execute("ALTER TABLE audit DISABLE TRIGGER audit_no_update")  # the owner, behind arctui's back
    db.raw.execute("UPDATE audit SET actor = 'mallory' WHERE id = 2")
    assert audit.verify(db) == (1, 2, "its content does not match its hash (the row was changed)")
    assert audit.head(db)[0] > 2


def test_a_second_writer_waits_then_is_told_who_holds_the_book(db, pg_book):
    other = connect(pg_book, busy_timeout=0.3)
    try:
        busy = "the book is busy: postgres has been importing invoices.csv since"
        with write(db, what="importing invoices.csv"), pytest.raises(BookBusy, match=busy), write(other):
            other.execute("UPDATE invoices SET open_cents = 0 WHERE id = 1")
        with write(other):  # the lock is free again
            other.execute("UPDATE invoices SET open_cents = 1 WHERE id = 1")
    finally:
        other.close()
    assert db.execute("SELECT open_cents FROM invoices WHERE id = 1").fetchone()[0] == 1


def test_a_conflict_with_a_writer_that_bypassed_the_lock_saves_nothing(db, pg_book):
    outsider = psycopg.connect(pg_book, autocommit=True)
    try:
        with pytest.raises(BookBusy, match="nothing was saved"), write(db):
            db.execute("UPDATE invoices SET po_number = 'ours' WHERE id = 2")
            assert db.execute("SELECT open_cents FROM invoices WHERE id = 1").fetchone()[0] == 1_500_000
            outsider.execute("UPDATE invoices SET open_cents = 7 WHERE id = 1")  # commits meanwhile
            db.execute("UPDATE invoices SET open_cents = open_cents - 100 WHERE id = 1")  # SQLSTATE 40001
    finally:
        outsider.close()
    assert db.execute("SELECT open_cents, po_number FROM invoices WHERE id IN (1, 2) ORDER BY id").fetchall() == [
        (7, None),
        (400_000, None),
    ]


def test_a_nested_write_is_a_savepoint_of_the_outer_one(db):
    with write(db):
        db.execute("UPDATE invoices SET po_number = 'outer' WHERE id = 1")
        with pytest.raises(ZeroDivisionError), write(db):
            db.execute("UPDATE invoices SET po_number = 'inner' WHERE id = 2")
            raise ZeroDivisionError
    assert db.execute("SELECT id, po_number FROM invoices WHERE id IN (1, 2) ORDER BY id").fetchall() == [
        (1, "outer"),
        (2, None),
    ]


def test_sums_are_integers_averages_floats_and_text_stays_text_as_on_sqlite(db):
    row = db.execute(
        "SELECT sum(amount_cents), avg(amount_cents), count(*), max(issue_date), date('2026-11-23', '-30 days'),"
        " julianday('2026-11-23') - julianday('2026-10-24'), printf('%06d', 42), ifnull(NULL, 3)"
        " FROM invoices WHERE customer_id = ?",
        [1],
    ).fetchone()
    assert row == (2_150_000, 2_150_000 / 3, 3, "2026-11-01", "2026-10-24", 30.0, "000042", 3)
    assert [type(v) for v in row[:4]] == [int, float, int, str]


def test_two_actions_in_a_real_conflict_are_replayed_until_both_land_once(db, pg_book):
    """Two collectors read the same invoice, wait until both have read it, then change it from
    what they read: SERIALIZABLE refuses the second (SQLSTATE 40001), which runs again from its
    first read and lands after the first. Each action has its one audit row."""
    both_read = threading.Barrier(2, timeout=20)
    runs, failures = Counter(), []

    def collector(login: str) -> None:
        book = connect(pg_book)
        ctx = Context(book, login, fixed_clock(TODAY))

        def note_the_po() -> None:
            runs[login] += 1
            with action(ctx, "invoice.po", "invoices", 1) as act:
                po = act.get("invoices", 1)["po_number"] or ""
                if runs[login] == 1:
                    both_read.wait()
                act.update("invoices", 1, {"po_number": f"{po}{login}."})

        try:
            replayed(book, note_the_po)
        except Exception as exc:  # reported below: a thread's exception would go unseen
            failures.append(exc)
        finally:
            book.close()

    threads = [threading.Thread(target=collector, args=(login,)) for login in ("alice", "bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sum(runs.values()) == 3, "one of the two ran again"
    po = db.execute("SELECT po_number FROM invoices WHERE id = 1").fetchone()[0]
    assert po in ("alice.bob.", "bob.alice."), "the second built on the first's change"
    rows = db.execute("SELECT actor FROM audit WHERE action = 'invoice.po' ORDER BY actor").fetchall()
    assert rows == [("alice",), ("bob",)]
    assert audit.verify(db)[1:] == (None, None)


def test_a_long_writer_waits_for_the_actions_and_runs_alone(db, pg_book):
    other = connect(pg_book, busy_timeout=0.3)
    try:
        with write(db), pytest.raises(BookBusy, match="nothing was saved"), write(other, what="importing a.csv"):
            pass  # an action holds the book (shared): the import waits, then gives up
        with write(db), write(other):  # two actions at once
            db.execute("UPDATE invoices SET po_number = 'a' WHERE id = 1")
            other.execute("UPDATE invoices SET po_number = 'b' WHERE id = 2")
    finally:
        other.close()


def test_a_row_removed_or_moved_within_its_chain_and_a_chains_tail_cut_after_an_anchor_are_caught(db):
    log_touchpoint(Context(db, "bob", fixed_clock(TODAY)), 2, "call", "NA")
    log_touchpoint(Context(db, "alice", fixed_clock(TODAY)), 1, "call", "PTP")
    rows, head, chains = audit.head(db)
    assert chains["alice"] > chains["bob"] and rows == audit.verify(db)[0]
    assert audit.check_anchor(db, rows, head, chains) is None
    guards = ("audit_no_update", "audit_no_delete")
    for guard in guards:  # the owner, behind arctui's back (the book is the next test's too: put back below)
        db.raw.execute(f"ALTER TABLE audit DISABLE TRIGGER {guard}")
    try:
        db.raw.execute("DELETE FROM audit WHERE id = %s", [chains["bob"]])  # bob's last row: his chain's tail
        assert audit.verify(db) == (rows - 1, None, None), "a chain's tail cut: only the anchor can tell"
        assert audit.check_anchor(db, rows, head, chains) == (
            f"audit row {chains['bob']}, the last of bob's chain when anchored, is gone (rows were deleted)"
        )
        alice = [r[0] for r in db.execute("SELECT id FROM audit WHERE actor = 'alice' ORDER BY id")]
        db.raw.execute("UPDATE audit SET id = %s WHERE id = %s", [alice[-1] + 100, alice[-2]])  # reordered
        moved = (alice[-1], "does not follow the row before it (a row was removed or reordered)")
        assert audit.verify(db)[1:] == moved
        db.raw.execute("DELETE FROM audit WHERE id = %s", [alice[-1] + 100])  # removed from the middle
        assert audit.verify(db)[1:] == moved
    finally:
        for guard in guards:
            db.raw.execute(f"ALTER TABLE audit ENABLE TRIGGER {guard}")


def test_an_actions_facts_are_fresh_once_it_returns_and_a_refresh_left_undone_is_caught_up_by_a_read(db, pg_book):
    bring_to(db, TODAY)
    exposure = "SELECT exposure FROM account_facts WHERE customer_id = 1"
    before = db.execute(exposure).fetchone()[0]
    with write(db):  # an action: its facts refreshed once it has committed
        db.execute("UPDATE invoices SET open_cents = open_cents - 100 WHERE id = 1")
    assert db.execute(exposure).fetchone()[0] == before - 100
    dying = psycopg.connect(pg_book, autocommit=True)  # commits as an action does, then dies before its refresh
    dying.execute("BEGIN ISOLATION LEVEL SERIALIZABLE; SET LOCAL arctui.facts_later = 'on'")
    dying.execute("UPDATE invoices SET open_cents = open_cents - 100 WHERE id = 1")
    dying.execute("COMMIT")
    dying.close()
    assert db.execute(exposure).fetchone()[0] == before - 100, "the refresh was left undone"
    bring_to(db, TODAY)  # the next queue or KPI read
    assert db.execute(exposure).fetchone()[0] == before - 200
    assert db.execute("SELECT count(*) FROM account_facts_later").fetchone()[0] == 0
