from click.testing import CliRunner

from arctui.cli import cli
from arctui.services.accounts import save_collector
from arctui.services.context import Context, fixed_clock
from arctui.store.connection import connect
from tests.services.conftest import TODAY, seed


def book(tmp_path):
    path = tmp_path / "team.db"
    db = connect(path, create=True)
    admin = Context(db, "admin", fixed_clock(TODAY))
    save_collector(admin, "alice", "Alice", memo_limit_cents=50_000)
    save_collector(admin, "bob", "Bob")
    save_collector(admin, "lead", "Lee Lead", role="lead", memo_limit_cents=1_000_000)
    seed(db)
    db.close()
    return str(path)


def run(path, user, *args):
    return CliRunner().invoke(cli, ["--user", user, "team", *args, "--db", path])


def test_a_lead_keeps_the_team(tmp_path):
    path = book(tmp_path)
    saved = run(path, "lead", "save", "carol", "--name", "Carol Cole", "--limit", "2,500.00", "--cadence", "10")
    assert saved.exit_code == 0, saved.output
    assert saved.output.strip() == "carol: Carol Cole, collector, memo limit $2,500.00"
    assert run(path, "lead", "assign", "carol", "C001", "C002").output.strip() == "2 of 2 accounts moved to carol"
    assert run(path, "lead", "target", "2026-11", "250,000", "--collector", "carol").exit_code == 0
    listing = run(path, "lead", "list").output
    carol = next(line for line in listing.splitlines() if line.startswith("carol"))
    assert carol.split() == ["carol", "Carol", "Cole", "collector", "$2,500.00", "10", "d", "yes", "2"]
    db = connect(path)
    assert [r[0] for r in db.execute("SELECT owner FROM customers WHERE id IN (1, 2)")] == ["carol", "carol"]
    assert db.execute("SELECT cash_cents FROM targets WHERE collector_id = 'carol'").fetchone()[0] == 25_000_000


def test_a_collector_cannot(tmp_path):
    path = book(tmp_path)
    for args in (["save", "dave", "--name", "Dave"], ["assign", "alice", "C003"], ["target", "2026-11", "1"]):
        result = run(path, "alice", *args)
        assert result.exit_code == 1
        assert result.output.startswith("Error: alice is not a lead or manager: only they")
    own = run(path, "alice", "save", "alice", "--name", "Alice", "--limit", "1,000,000")
    assert own.output.strip() == "Error: alice: nobody changes their own authority limit or role"
    unknown = run(path, "lead", "assign", "alice", "C999")
    assert unknown.exit_code == 1 and unknown.output.strip() == "Error: no account C999"
