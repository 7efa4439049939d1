from click.testing import CliRunner

from arctui.cli import cli
from arctui.store.connection import connect
from arctui.store.migrations import LATEST
from tests.services.conftest import seed


def invoke(*args, user="alice"):
    return CliRunner().invoke(cli, ["--user", user, *args], catch_exceptions=False)


def make_book(tmp_path):
    path = tmp_path / "book.db"
    db = connect(path, create=True)
    db["collectors"].insert_all([{"id": "alice", "name": "Alice"}, {"id": "bob", "name": "Bob"}])
    seed(db)
    db.close()
    return str(path)


def test_queue_prints_ranked_accounts_with_reasons(tmp_path):
    result = invoke("queue", "--db", make_book(tmp_path), "--today", "2026-11-23")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "C002" in lines[2] and "Bluebird Logistics" in lines[2]
    assert "over_limit +15.0: exposure $12,000.00 over limit $10,000.00" in result.output
    assert "Cobalt Foods" not in result.output  # bob's account


def test_queue_for_the_team_and_env_db(tmp_path, monkeypatch):
    monkeypatch.setenv("ARCTUI_DB", make_book(tmp_path))
    result = invoke("queue", "--collector", "all", "--today", "2026-11-23")
    assert "Cobalt Foods" in result.output and "Northwind Supply" in result.output


def test_kpi_prints_the_table(tmp_path):
    result = invoke("kpi", "--db", make_book(tmp_path), "--today", "2026-11-23")
    assert result.exit_code == 0
    assert "Total receivables" in result.output and "$42,500.00" in result.output
    assert "% current" in result.output and "5.9%" in result.output


def test_audit_verify_and_migrate(tmp_path):
    path = make_book(tmp_path)
    assert "audit chain ok: 0 rows verified" in invoke("audit", "verify", "--db", path).output
    assert invoke("migrate", "--db", path).output.strip().endswith(f"schema {LATEST} (latest {LATEST})")


def test_bad_input_is_one_clear_line_without_traceback(tmp_path):
    missing = tmp_path / "missing.db"
    for args in (["queue", "--db", str(missing)], ["kpi", "--db", str(missing)], [str(missing)]):
        result = invoke(*args)
        assert result.exit_code == 1
        assert (
            result.output.strip()
            == f"Error: {missing}: no such database file; `arctui init --db {missing}` creates an empty book"
        )
    bad_date = invoke("queue", "--db", make_book(tmp_path), "--today", "23/11/2026")
    assert bad_date.exit_code == 2 and "'23/11/2026' does not match the format '%Y-%m-%d'" in bad_date.output


def test_promises_settle_marks_an_unpaid_promise_broken_after_grace(tmp_path):
    from datetime import date

    from arctui.services.context import Context, fixed_clock
    from arctui.services.promises import record_promise

    path = make_book(tmp_path)
    db = connect(path)
    promise = record_promise(Context(db, "alice", fixed_clock(date(2026, 11, 23))), 1, 100_000, date(2026, 11, 25))
    db.close()
    early = invoke("promises", "settle", "--db", path, "--today", "2026-11-27")
    assert early.output.strip() == "0 promises settled as of 2026-11-27"  # inside grace
    late = invoke("promises", "settle", "--db", path, "--today", "2026-11-29")
    assert late.output.strip() == "1 promises settled as of 2026-11-29"
    assert connect(path)["promises"].get(promise)["status"] == "broken"
