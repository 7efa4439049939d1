"""Who acts: the login of the real uid, never what the environment says; ``--user`` only for a
login that is no collector in the book. Who keeps the team: the first manager is made by
``init_manager`` (the file's owner or root, while the team has none), then only leads and
managers, never for themselves.

Changed by issue 10: a manager no longer acts as anyone (DESIGN.md: ``--user`` only for an
admin login that is no collector), a deactivated collector is a known login too, and a team
with no lead is no longer kept by whoever comes first."""

import json
import os
import pwd

import pytest

from arctui.domain.authority import AuthorityError
from arctui.services.accounts import init_manager, save_collector
from arctui.services.context import Context, acting_user, fixed_clock, os_login
from arctui.services.errors import InvalidInput, ServiceError
from arctui.store.connection import connect
from tests.services.conftest import TODAY, audit_actions


def refused(login: str, requested: str) -> str:
    return f"you are logged in as {login}, a collector in this book: you act as yourself, not as {requested}"


def test_the_login_acts_as_itself(db):
    assert acting_user(db, None, login="alice") == "alice"
    assert acting_user(db, "alice", login="alice") == "alice"


@pytest.mark.sqlite_only  # on PostgreSQL the login is the server's session_user (tests/pg/test_roles.py)
def test_the_login_is_the_real_uid_s_never_logname_or_user(db, monkeypatch):
    monkeypatch.setenv("LOGNAME", "lead")
    monkeypatch.setenv("USER", "lead")
    real = pwd.getpwuid(os.getuid()).pw_name
    assert os_login() == real
    assert acting_user(db, None) == real


def test_a_collector_cannot_act_as_a_colleague(db):
    with pytest.raises(ServiceError, match=refused("alice", "bob")):
        acting_user(db, "bob", login="alice")
    with pytest.raises(ServiceError, match=refused("lead", "bob")):
        acting_user(db, "bob", login="lead")


def test_neither_can_a_manager_nor_a_deactivated_collector(db, as_user):
    save_collector(as_user("lead"), "maria", "Maria Manager", role="manager")
    with pytest.raises(ServiceError, match=refused("maria", "bob")):
        acting_user(db, "bob", login="maria")
    db["collectors"].update("bob", {"active": 0})  # bob left the team
    with pytest.raises(ServiceError, match=refused("bob", "lead")):
        acting_user(db, "lead", login="bob")


def test_a_login_outside_the_team_may(db):
    assert acting_user(db, "bob", login="sysadmin") == "bob"


def test_only_leads_keep_the_team_and_nobody_sets_their_own_limit(db, as_user):
    with pytest.raises(AuthorityError, match="alice is not a lead or manager"):
        save_collector(as_user("alice"), "carol", "Carol")
    with pytest.raises(AuthorityError, match="nobody changes their own authority limit or role"):
        save_collector(as_user("lead"), "lead", "Lee Lead", role="lead", memo_limit_cents=99_000_000, version=1)
    with pytest.raises(AuthorityError, match="nobody changes their own authority limit or role"):
        save_collector(as_user("alice"), "alice", "Alice", memo_limit_cents=99_000_000, version=1)
    save_collector(as_user("lead"), "carol", "Carol", memo_limit_cents=25_000)
    alice = db["collectors"].get("alice")
    save_collector(
        as_user("alice"), "alice", "Alice A. Archer", memo_limit_cents=50_000, cadence_days=14, version=alice["version"]
    )
    assert db["collectors"].get("carol")["memo_limit_cents"] == 25_000
    assert db["collectors"].get("alice")["name"] == "Alice A. Archer"


def test_a_change_to_a_known_collector_names_the_version_loaded(db, as_user):
    with pytest.raises(InvalidInput, match="version: saving collector alice needs the version you loaded"):
        save_collector(as_user("lead"), "alice", "Alice", memo_limit_cents=60_000)
    assert db["collectors"].get("alice")["memo_limit_cents"] == 50_000


def test_nobody_enters_themselves_nor_edits_themselves_once_deactivated(db, as_user):
    with pytest.raises(AuthorityError, match="dave is not in the team: .*`arctui init --manager LOGIN`"):
        save_collector(as_user("dave"), "dave", "Dave", role="manager", memo_limit_cents=99_000_000)
    db["collectors"].update("bob", {"active": 0})
    with pytest.raises(AuthorityError, match="bob is no longer an active collector"):
        save_collector(as_user("bob"), "bob", "Bob B. Baker", memo_limit_cents=500_000, version=1)
    assert "dave" not in {r["id"] for r in db["collectors"].rows}
    assert db["collectors"].get("bob")["name"] == "Bob Baker"


@pytest.fixture
def new_book(tmp_path):
    db = connect(tmp_path / "new.db", create=True)
    yield db
    db.close()


def as_(db, user):
    return Context(db, user, fixed_clock(TODAY))


def test_a_team_without_a_lead_is_kept_by_nobody_until_init(new_book):
    for user, login in (("admin", "alice"), ("alice", "alice")):
        with pytest.raises(AuthorityError, match="`arctui init --manager LOGIN`"):
            save_collector(as_(new_book, user), login, "Alice", role="manager", memo_limit_cents=99_000_000)
    assert new_book["collectors"].count == 0 and new_book["audit"].count == 0


def test_init_makes_the_first_manager_with_one_audit_row(new_book):
    owner = os.stat(new_book.conn.execute("PRAGMA database_list").fetchone()[2]).st_uid
    assert init_manager(as_(new_book, "admin"), "maria", "Maria Manager", memo_limit_cents=1_000_000, uid=owner)
    maria = new_book["collectors"].get("maria")
    assert (maria["role"], maria["memo_limit_cents"], maria["active"]) == ("manager", 1_000_000, 1)
    rows = list(new_book.query("SELECT actor, action, entity_id, after FROM audit"))
    assert [(r["actor"], r["action"], r["entity_id"]) for r in rows] == [("admin", "collector.init", "maria")]
    assert json.loads(rows[0]["after"])["collectors/maria"]["role"] == "manager"
    # from now on the manager keeps the team, and init is refused
    save_collector(as_(new_book, "maria"), "alice", "Alice", memo_limit_cents=50_000)
    with pytest.raises(AuthorityError, match=r"the team already has a lead or manager \(maria\)"):
        init_manager(as_(new_book, "admin"), "alice", uid=owner)
    assert audit_actions(new_book) == ["collector.init", "collector.save"]


def test_init_promotes_a_known_login_and_keeps_its_limit(new_book):
    new_book["collectors"].insert({"id": "alice", "name": "Alice", "memo_limit_cents": 50_000, "active": 0})
    assert init_manager(as_(new_book, "root"), "alice", uid=0) is False
    alice = new_book["collectors"].get("alice")
    assert (alice["role"], alice["memo_limit_cents"], alice["active"], alice["name"]) == ("manager", 50_000, 1, "Alice")


def test_init_is_only_for_the_file_s_owner_or_root(new_book):
    owner = os.stat(new_book.conn.execute("PRAGMA database_list").fetchone()[2]).st_uid
    stranger = owner + 4242 if owner else 4242
    with pytest.raises(
        AuthorityError, match=f"mallory does not own the database file: only its owner \\(uid {owner}\\)"
    ):
        init_manager(as_(new_book, "mallory"), "mallory", uid=stranger)
    assert new_book["collectors"].count == 0 and new_book["audit"].count == 0
