from click.testing import CliRunner

from arctui.cli import cli
from arctui.services.accounts import save_collector
from arctui.services.context import fixed_clock, os_login
from arctui.store.connection import connect
from tests.enrol import first_lead
from tests.services.conftest import TODAY, seed


def book(tmp_path):
    path = tmp_path / "team.db"
    db = connect(path, create=True)
    lead = first_lead(db, fixed_clock(TODAY), memo_limit_cents=1_000_000)
    save_collector(lead, "alice", "Alice", memo_limit_cents=50_000)
    save_collector(lead, "bob", "Bob")
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


def test_logname_and_user_name_nobody(tmp_path):
    """The acting login is the real uid's: LOGNAME=lead / USER=lead change nothing (this
    process's login is no collector here, so it is refused as itself)."""
    path = book(tmp_path)
    me = os_login()
    result = CliRunner().invoke(
        cli,
        ["team", "save", "alice", "--name", "Alice", "--limit", "999,999.00", "--db", path],
        env={"LOGNAME": "lead", "USER": "lead", "ARCTUI_USER": None},
    )
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {me} is not a lead or manager: only they add or change collectors"
    assert connect(path)["collectors"].get("alice")["memo_limit_cents"] == 50_000


def test_a_login_not_in_the_team_cannot_enter_itself(tmp_path):
    path = book(tmp_path)
    result = run(path, "mallory", "save", "mallory", "--name", "M", "--role", "manager", "--limit", "1,000,000")
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: mallory is not in the team: a lead or manager adds you"
        " (a team with none yet: the database file's owner runs `arctui init --manager LOGIN`)"
    )
    assert connect(path)["collectors"].count == 3


def init(path, *args):
    return CliRunner().invoke(cli, ["init", "--db", str(path), *args])


def test_init_starts_a_team_once(tmp_path):
    path = tmp_path / "new.db"
    refused = CliRunner().invoke(cli, ["--user", "maria", "team", "save", "maria", "--name", "M", "--db", str(path)])
    assert refused.exit_code == 1 and "no such database file" in refused.output
    started = init(path, "--manager", "maria", "--name", "Maria Manager", "--limit", "25,000.00")
    assert started.exit_code == 0, started.output
    assert started.output.strip() == (
        f"maria is the manager of {path} (created), memo limit $25,000.00: they add the team with `arctui team save`"
    )
    db = connect(path)
    assert db.execute("SELECT role, memo_limit_cents FROM collectors").fetchall() == [("manager", 2_500_000)]
    assert db.execute("SELECT actor, action, entity_id FROM audit").fetchall() == [
        (os_login(), "collector.init", "maria")
    ]
    again = init(path, "--manager", "mallory")
    assert again.exit_code == 1
    assert again.output.strip() == (
        "Error: the team already has a lead or manager (maria): they add and change collectors with `arctui team save`"
    )
    saved = run(str(path), "maria", "save", "alice", "--name", "Alice", "--limit", "500")
    assert saved.exit_code == 0, saved.output
    assert db["collectors"].count == 2 and db["audit"].count == 2
