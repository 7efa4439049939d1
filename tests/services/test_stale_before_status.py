"""Issue 13, defect 4: an edit of a record someone saved since it was loaded is refused as
stale (who and when) before anything else is judged, also when their change also moved the
record's status (held, resolved, decided, cancelled): the collector learns that someone else
acted, not just that the record "is credit hold"."""

from datetime import date

import pytest

from arctui.domain.plans import equal_schedule
from arctui.services.accounts import credit_hold, release_hold
from arctui.services.errors import StaleEdit
from arctui.services.plans import cancel_plan, create_plan, edit_plan
from tests.services.conftest import audit_actions


def test_a_hold_over_someone_elses_hold_names_them(db, as_user):
    credit_hold(as_user("bob"), 1, 1, note="bob's hold")
    with pytest.raises(
        StaleEdit, match=r"^customer 1 was changed by bob at .* \(now version 2, you edited version 1\)"
    ):
        credit_hold(as_user("alice"), 1, 1, note="alice's hold")
    with pytest.raises(StaleEdit, match="changed by bob"):
        release_hold(as_user("alice"), 1, 1, note="alice's release")


def test_a_plan_cancelled_meanwhile_is_stale_for_an_edit_and_a_cancel(db, as_user):
    plan = create_plan(as_user("bob"), 1, 100_000, equal_schedule(100_000, 2, date(2026, 12, 1), "monthly"), "monthly")
    cancel_plan(as_user("bob"), plan, 1, note="customer paid")
    before = audit_actions(db)
    with pytest.raises(StaleEdit, match="changed by bob"):
        edit_plan(as_user("alice"), plan, 1, 100_000, equal_schedule(100_000, 4, date(2026, 12, 1), "monthly"))
    with pytest.raises(StaleEdit, match="changed by bob"):
        cancel_plan(as_user("alice"), plan, 1)
    assert audit_actions(db) == before
