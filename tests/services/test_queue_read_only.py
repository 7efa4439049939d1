"""A book opened read-only on a day its kept facts are not of: the queue is ranked from
scratch as the kept facts would rank it, nothing is written, and the CLI says it was slower."""

import hashlib
import shutil
from datetime import timedelta

import pytest
from click.testing import CliRunner

from arctui.cli import cli
from arctui.sample import DEFAULT_TODAY, SampleSpec, generate
from arctui.services.queue import build_queue, from_scratch_note
from arctui.store.connection import connect
from arctui.store.read.accounts import facts_day

LATER = DEFAULT_TODAY + timedelta(days=9)


@pytest.fixture
def books(tmp_path):
    """The same book twice, its facts kept for DEFAULT_TODAY: one to read read-only (the
    file 0444 as well), one to write."""
    generate(tmp_path / "book.db", SampleSpec(customers=150, invoices=2_000, seed=9, collectors=2))
    db = connect(tmp_path / "book.db")
    build_queue(db, DEFAULT_TODAY)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    shutil.copy(tmp_path / "book.db", tmp_path / "writable.db")
    (tmp_path / "book.db").chmod(0o444)
    return tmp_path / "book.db", tmp_path / "writable.db"


def shown(rows) -> list[tuple]:
    return [(r.customer_id, r.buckets, r.score.total, [(c.name, c.points, c.reason) for c in r.score.components])
            for r in rows]  # fmt: skip


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_read_only_book_on_a_new_day_ranks_as_the_kept_facts_would_and_writes_nothing(books):
    read_only, writable = books
    before = digest(read_only)
    reader, writer = connect(read_only, read_only=True), connect(writable)
    for collector in [*(r[0] for r in reader.execute("SELECT DISTINCT owner FROM customers")), None]:
        for limit in (None, 7):
            assert shown(build_queue(reader, LATER, collector, limit)) == shown(
                build_queue(writer, LATER, collector, limit)
            )
    assert facts_day(writer) == LATER.isoformat()  # the writable copy rebuilt its facts for the day
    assert facts_day(reader) == DEFAULT_TODAY.isoformat()
    assert from_scratch_note(reader, LATER) == (
        f"read-only book: the queue's kept facts are not {LATER.isoformat()}'s,"
        " so it is computed from the ledger for this read (slower)"
    )
    assert from_scratch_note(reader, DEFAULT_TODAY) is None and from_scratch_note(writer, LATER) is None
    reader.close()
    assert digest(read_only) == before


def test_the_queue_command_on_a_read_only_book_says_it_computed_the_queue_from_scratch(books):
    read_only, _ = books
    owner = connect(read_only, read_only=True).execute("SELECT owner FROM customers LIMIT 1").fetchone()[0]
    args = ["--user", owner, "queue", "--db", str(read_only), "--collector", "all", "--read-only"]
    later = CliRunner().invoke(cli, [*args, "--today", LATER.isoformat()], catch_exceptions=False)
    assert later.exit_code == 0, later.output
    assert f"kept facts are not {LATER.isoformat()}'s, so it is computed from the ledger" in later.stderr
    assert "#" in later.stdout.splitlines()[0]  # the table, as on a book it may write
    today = CliRunner().invoke(cli, [*args, "--today", DEFAULT_TODAY.isoformat()], catch_exceptions=False)
    assert today.exit_code == 0 and today.stderr == ""


def test_an_empty_read_only_book_on_a_new_day_has_an_empty_queue(tmp_path):
    db = connect(tmp_path / "empty.db", create=True)
    assert build_queue(db, DEFAULT_TODAY) == []
    db.close()
    assert build_queue(connect(tmp_path / "empty.db", read_only=True), LATER) == []


def test_the_kpis_of_a_read_only_book_on_a_new_day_come_from_the_ledger(books):
    """The KPIs need today's facts too: on a book it may not write, the same figures as the
    writable copy's (whose facts are brought to the day), read from the history; nothing written."""
    from arctui.services.kpis import portfolio_kpis

    read_only, writable = books
    before = digest(read_only)
    ro = connect(read_only, read_only=True)
    rw = connect(writable)
    for collector in (None, *[r[0] for r in rw.execute("SELECT id FROM collectors WHERE role = 'collector'")]):
        assert portfolio_kpis(ro, LATER, collector) == portfolio_kpis(rw, LATER, collector), collector
    assert facts_day(ro) == DEFAULT_TODAY.isoformat() and facts_day(rw) == LATER.isoformat()
    ro.close()
    assert digest(read_only) == before
