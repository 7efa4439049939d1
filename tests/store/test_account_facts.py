"""account_facts (schema 7): kept by triggers inside every write, equal to a from-scratch
computation after any sequence of actions; a new day and a bulk load are one rebuild each."""

from datetime import timedelta

from arctui.services.context import Context, fixed_clock
from arctui.services.promises import settle_promises
from arctui.services.queue import build_queue
from arctui.store.connection import connect
from arctui.store.facts import bring_to, set_aside
from arctui.store.read.accounts import facts_day
from arctui.store.writing import write
from tests.proof.book import TODAY, facts_mismatches, make_book
from tests.proof.collector_worker import act_at_random


def test_random_actions_over_two_days_leave_the_kept_facts_equal_to_a_fresh_computation(tmp_path):
    db = connect(make_book(tmp_path / "book.db", collectors=3, customers=12))
    for offset, seed in ((0, 1), (35, 2)):
        day = TODAY + timedelta(days=offset)
        bring_to(db, day)
        act_at_random(db, day, seed, 120, tmp_path)
        settle_promises(Context(db, "lead", fixed_clock(day)))
        assert facts_day(db) == day.isoformat()
        assert facts_mismatches(db) == []
    assert db.execute("SELECT count(*) FROM account_facts").fetchone()[0] == 12


def test_a_write_the_triggers_miss_is_caught_by_the_comparison(tmp_path):
    db = connect(make_book(tmp_path / "book.db", collectors=2, customers=4))
    with write(db):
        db.execute("DROP TRIGGER facts_invoices_update")
        db.execute("UPDATE invoices SET open_cents = open_cents - 100 WHERE id = 1")
    found = facts_mismatches(db)
    assert len(found) == 2 and all(line.startswith("account 1: kept") for line in found)  # both computations


def test_the_first_read_of_a_new_day_rebuilds_the_facts_for_it(tmp_path):
    db = connect(make_book(tmp_path / "book.db", collectors=2, customers=4))
    later = TODAY + timedelta(days=45)
    before = {row.customer_id: row.buckets for row in build_queue(db, TODAY)}
    after = {row.customer_id: row.buckets for row in build_queue(db, later)}
    assert facts_day(db) == later.isoformat()
    assert facts_mismatches(db) == []
    moved = sum(b["31-60"] + b["61-90"] + b["90+"] for b in after.values())
    assert moved > sum(b["31-60"] + b["61-90"] + b["90+"] for b in before.values())


def test_a_bulk_load_sets_the_triggers_aside_and_rebuilds_once_at_its_end(tmp_path):
    db = connect(make_book(tmp_path / "book.db", collectors=2, customers=4))
    with write(db), set_aside(db):
        db.execute("UPDATE invoices SET open_cents = 0, closed_date = ? WHERE customer_id = 1", [TODAY.isoformat()])
        assert facts_day(db) is None
        assert db.execute("SELECT exposure FROM account_facts WHERE customer_id = 1").fetchone()[0] > 0
    assert facts_day(db) == TODAY.isoformat()
    assert db.execute("SELECT exposure FROM account_facts WHERE customer_id = 1").fetchone()[0] == 0
    assert facts_mismatches(db) == []


def test_a_failed_bulk_load_leaves_the_facts_as_they_were(tmp_path):
    db = connect(make_book(tmp_path / "book.db", collectors=2, customers=4))
    try:
        with write(db), set_aside(db):
            db.execute("UPDATE invoices SET open_cents = 0 WHERE customer_id = 1")
            raise RuntimeError("the load fails half-way")
    except RuntimeError:
        pass
    assert facts_day(db) == TODAY.isoformat()
    assert facts_mismatches(db) == []


def test_the_nightly_settling_brings_the_facts_to_its_day(tmp_path):
    db = connect(make_book(tmp_path / "book.db", collectors=2, customers=4))
    tomorrow = TODAY + timedelta(days=1)
    settle_promises(Context(db, "lead", fixed_clock(tomorrow)))
    assert facts_day(db) == tomorrow.isoformat()
    assert facts_mismatches(db) == []


def test_an_import_moving_an_invoice_to_another_account_refreshes_the_account_it_left(tmp_path, book_target):
    """An invoice imported again under another account: both accounts' kept facts follow (the
    one it left used to keep the invoice until the next day's rebuild)."""
    from arctui.plugins import PluginHost
    from arctui.services.imports import run_import

    db = connect(make_book(book_target, collectors=2, customers=3))
    bring_to(db, TODAY)
    ctx = Context(db, "w01", fixed_clock(TODAY))
    importer = PluginHost().collect("importers")["invoices"]
    accounts = [row[0] for row in db.execute("SELECT account_no FROM customers ORDER BY id LIMIT 2")]
    for n, account in enumerate(accounts):
        path = tmp_path / f"moved{n}.csv"
        path.write_text(f"number,account_no,issue_date,due_date,amount\nMV-1,{account},2026-10-01,2026-10-31,3000.00\n")
        assert run_import(ctx, importer, path).written
    assert db.execute("SELECT c.account_no FROM invoices i JOIN customers c ON c.id = i.customer_id"
                      " WHERE i.number = 'MV-1'").fetchone()[0] == accounts[1]  # fmt: skip
    assert facts_mismatches(db) == []
