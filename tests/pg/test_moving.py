"""Moving a SQLite book into PostgreSQL (``arctui migrate --to``), and the same answers on both.

A generated sample book is copied into an empty database on the suite's server; then the two
books must hold the same rows, totals and audit chain, rank the same queue, give the same KPIs
(money as integer cents, never a Decimal or a float), and go on taking actions.
"""

from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from arctui.cli import cli
from arctui.sample import SampleSpec, generate
from arctui.services.context import Context, fixed_clock
from arctui.services.kpis import compute_kpis, portfolio_kpis
from arctui.services.queue import build_queue
from arctui.services.touchpoints import log_touchpoint
from arctui.store import audit
from arctui.store.connection import BUSY_TIMEOUT_SECONDS, connect
from arctui.store.errors import StoreError
from arctui.store.postgresql.moving import move
from arctui.store.read.book import ledger_totals, row_counts

TODAY = date(2026, 11, 23)
SPEC = SampleSpec(customers=40, invoices=400, seed=7, today=TODAY)


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("moving") / "sample.db"
    generate(path, SPEC)
    return path


@pytest.fixture(scope="module")
def books(sample_file, pg_server):
    """(the SQLite book, the PostgreSQL book it was moved into, what ``move`` reported)."""
    source, url = connect(sample_file), pg_server.create_database("moved")
    moved = move(source, url, BUSY_TIMEOUT_SECONDS)
    target = connect(url)
    yield source, target, moved
    target.close()
    source.close()


def test_every_row_the_totals_and_the_audit_chain_arrive(books):
    source, target, moved = books
    counts = row_counts(source)
    assert moved.rows == counts and counts["invoices"] == SPEC.invoices and counts["audit"] >= 1
    assert {t: n for t, n in row_counts(target).items() if t in counts} == counts
    assert ledger_totals(target) == ledger_totals(source)
    assert all(type(r["cents"]) is int and type(r["open_cents"]) is int for r in ledger_totals(target))
    assert audit.verify(target) == (counts["audit"], None, None)
    assert audit.head(target) == audit.head(source) and audit.head(source)[:2] == (moved.audit_rows, moved.audit_head)


def test_the_moved_tables_are_vacuumed_and_analysed(books):
    """The planner counts the copied rows at once (ANALYZE), not the migrations' empty tables until
    autovacuum comes by, and every page is marked all-visible (VACUUM: index-only scans need not
    read the rows): without either, the first reads of a moved book were 3-7× slower."""
    _, target, moved = books
    found = {
        name: (tuples, pages, visible)
        for name, tuples, pages, visible in target.raw.execute(
            "SELECT relname, reltuples, relpages, relallvisible FROM pg_class"
            " WHERE relkind = 'r' AND relnamespace = CAST(current_schema() AS regnamespace)"
        )
    }
    copied = {table: rows for table, rows in moved.rows.items() if rows}
    assert {table: found[table][0] for table in copied} == copied
    assert {table: found[table][2] for table in copied} == {table: found[table][1] for table in copied}


def queue(db, today, collector=None, limit=None) -> list:
    """The queue as a collector reads it: every field, the score's components with their reasons."""
    return [
        (row, row.score.total, [(c.name, c.points, c.reason) for c in row.score.components])
        for row in build_queue(db, today, collector, limit)
    ]


def test_the_queue_ranks_the_same_accounts_the_same_way(books):
    source, target, _ = books
    for collector in (None, build_queue(source, TODAY)[0].owner):
        on_file, on_server = queue(source, TODAY, collector), queue(target, TODAY, collector)
        assert len(on_file) > 1 and on_server == on_file
    later = TODAY + timedelta(days=20)  # a new day: the facts of every account rebuilt on both
    assert queue(target, later, limit=10) == queue(source, later, limit=10)


def test_the_kpis_are_the_same_numbers(books):
    source, target, _ = books
    assert portfolio_kpis(target, TODAY) == portfolio_kpis(source, TODAY)
    owner = build_queue(source, TODAY)[0].owner
    on_server = compute_kpis(target, TODAY, owner)
    assert on_server == compute_kpis(source, TODAY, owner)
    assert any(type(v) is int and v > 0 for v in on_server.values())
    assert not any(type(v).__name__ == "Decimal" for v in on_server.values())


def test_the_moved_book_takes_actions_after_the_copied_rows(books):
    source, target, _ = books
    before = target.execute("SELECT max(id) FROM touchpoints").fetchone()[0]
    account = build_queue(target, TODAY)[0].customer_id
    log_touchpoint(Context(target, "mover", fixed_clock(TODAY)), account, "call", "LVM")
    assert target.execute("SELECT max(id) FROM touchpoints").fetchone()[0] == before + 1
    rows, bad, _ = audit.verify(target)
    assert bad is None and rows == audit.head(source)[0] + 1


def test_a_database_that_is_not_empty_is_refused_and_left_alone(books, pg_server):
    source, target, _ = books
    counts = row_counts(target)
    with pytest.raises(StoreError, match="not an empty database"):
        move(source, target.url, BUSY_TIMEOUT_SECONDS)
    assert row_counts(target) == counts


def test_a_book_whose_chain_does_not_verify_is_not_kept(sample_file, pg_server, tmp_path):
    broken = tmp_path / "broken.db"
    broken.write_bytes(sample_file.read_bytes())
    db = connect(broken)
    db.execute("DROP TRIGGER audit_no_update")  # someone with the file behind arctui's back
    db.execute("UPDATE audit SET actor = 'someone else' WHERE id = 1")
    url = pg_server.create_database("broken")
    with pytest.raises(StoreError, match="the copy was not kept: audit row 1 in the file"):
        move(db, url, BUSY_TIMEOUT_SECONDS)
    target = connect(url)
    assert target.execute("SELECT count(*) FROM invoices").fetchone()[0] == 0
    assert target.execute("SELECT count(*) FROM audit").fetchone()[0] == 0
    target.close()
    db.close()


def test_arctui_migrate_to_moves_then_refuses_a_second_time(sample_file, pg_server):
    url = pg_server.create_database("cli")
    moved = CliRunner().invoke(cli, ["migrate", "--db", str(sample_file), "--to", url])
    assert moved.exit_code == 0, moved.output
    assert "row counts and ledger totals agree; audit chain verified on both sides" in moved.output
    again = CliRunner().invoke(cli, ["migrate", "--db", str(sample_file), "--to", url])
    assert again.exit_code != 0 and "not an empty database" in again.output


def test_a_target_that_is_no_url_is_refused(sample_file):
    result = CliRunner().invoke(cli, ["migrate", "--db", str(sample_file), "--to", "/tmp/other.db"])
    assert result.exit_code != 0 and "a PostgreSQL URL" in result.output
