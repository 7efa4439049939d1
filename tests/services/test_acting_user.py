import pytest

from arctui.services.accounts import save_collector
from arctui.services.context import acting_user
from arctui.services.errors import ServiceError


def test_the_login_acts_as_itself(db):
    assert acting_user(db, None, login="alice") == "alice"
    assert acting_user(db, "alice", login="alice") == "alice"


def test_a_collector_cannot_act_as_a_colleague(db):
    with pytest.raises(ServiceError, match="logged in as alice, a collector: only a manager may act as bob"):
        acting_user(db, "bob", login="alice")
    with pytest.raises(ServiceError):
        acting_user(db, "bob", login="lead")  # a lead is not a manager


def test_a_manager_or_a_login_outside_the_team_may(db, as_user):
    save_collector(as_user("lead"), "maria", "Maria Manager", role="manager")
    assert acting_user(db, "bob", login="maria") == "bob"
    assert acting_user(db, "bob", login="sysadmin") == "bob"


def test_only_leads_keep_the_team_and_nobody_sets_their_own_limit(db, as_user):
    from arctui.domain.authority import AuthorityError

    with pytest.raises(AuthorityError, match="alice is not a lead or manager"):
        save_collector(as_user("alice"), "carol", "Carol")
    with pytest.raises(AuthorityError, match="nobody changes their own authority limit or role"):
        save_collector(as_user("lead"), "lead", "Lee Lead", role="lead", memo_limit_cents=99_000_000)
    save_collector(as_user("lead"), "carol", "Carol", memo_limit_cents=25_000)
    save_collector(as_user("alice"), "alice", "Alice A. Archer", memo_limit_cents=50_000, cadence_days=14)
    assert db["collectors"].get("carol")["memo_limit_cents"] == 25_000
    assert db["collectors"].get("alice")["name"] == "Alice A. Archer"
