"""An import reads, checks and stages its file without the write lock: collectors save while
it runs; it takes the lock only to merge, and checks again under it when the book moved."""

from arctui.services.context import Context, fixed_clock
from arctui.services.imports import BULK_ROWS, PROGRESS_EVERY, run_import
from arctui.services.touchpoints import log_touchpoint
from arctui.store.connection import connect
from arctui.store.facts import bring_to
from arctui.store.read.book import path_of
from tests.proof.book import facts_mismatches

from .conftest import TODAY, rows
from .test_bulk_import import write_invoices


def colleague(ctx):
    """A collector's console on the same book that will not wait for the lock at all."""
    return Context(connect(path_of(ctx.db), busy_timeout=0), "ann", fixed_clock(TODAY))


def test_a_collector_saves_while_an_import_checks_its_file(ctx, load, tmp_path):
    load("customers", "customers.csv")
    ann = colleague(ctx)
    saved = []

    def save_meanwhile(line):
        saved.append(log_touchpoint(ann, 1, "call", "LVM", note=f"at line {line}"))

    report = load("invoices", write_invoices(tmp_path / "big.csv", PROGRESS_EVERY + 10), progress=save_meanwhile)
    assert report.written and report.inserted == PROGRESS_EVERY + 10
    assert saved and rows(ctx, "SELECT count(*) FROM touchpoints") == [(len(saved),)]


def test_an_invoice_written_by_another_import_meanwhile_is_seen_under_the_lock(ctx, load, importers, tmp_path):
    load("customers", "customers.csv")
    ann = colleague(ctx)
    other = tmp_path / "other.csv"
    other.write_text("number,account_no,issue_date,amount\nB-000007,C100,2026-10-01,107.00\n")
    done = []

    def import_meanwhile(line):
        if not done:  # once: the checks run again under the lock, where nobody else writes
            done.append(run_import(ann, importers["invoices"], other))

    report = load("invoices", write_invoices(tmp_path / "big.csv", PROGRESS_EVERY + 10), progress=import_meanwhile)
    assert done[0].written and done[0].inserted == 1
    assert report.written and (report.inserted, report.unchanged) == (PROGRESS_EVERY + 9, 1)
    assert rows(ctx, "SELECT count(*), count(DISTINCT number) FROM invoices") == [(PROGRESS_EVERY + 10,) * 2]


def test_a_bulk_import_leaves_the_queue_facts_equal_to_a_fresh_computation(ctx, load, tmp_path):
    load("customers", "customers.csv")
    bring_to(ctx.db, TODAY)
    report = load("invoices", write_invoices(tmp_path / "big.csv", BULK_ROWS + 10))
    assert report.inserted == BULK_ROWS + 10
    assert rows(ctx, "SELECT day FROM account_facts_state") == [(TODAY.isoformat(),)]
    assert rows(ctx, "SELECT [1-30] + [31-60] > 0 FROM account_facts WHERE customer_id = 1") == [(1,)]
    assert facts_mismatches(ctx.db) == []
