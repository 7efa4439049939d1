"""Issue 13, defect 8: a "call back requested" (CB) outcome is a date to call back on; the
service refuses one without its follow-up date (the console's form and the CLI alike)."""

from datetime import date

import pytest

from arctui.services.errors import InvalidInput
from arctui.services.touchpoints import log_touchpoint, needs_follow_up


def test_a_call_back_without_its_date_is_refused_and_nothing_is_written(db, as_user):
    before = db["audit"].count
    with pytest.raises(InvalidInput) as err:
        log_touchpoint(as_user("alice"), 1, "call", "CB", "call me Friday")
    assert err.value.field == "follow-up date"
    assert str(err.value) == "follow-up date: a call back requested needs the date to call back on"
    assert db["touchpoints"].count == 0 and db["audit"].count == before


def test_a_call_back_with_its_date_is_logged(db, as_user):
    tp = log_touchpoint(as_user("alice"), 1, "call", "CB", "call me Friday", date(2026, 11, 27))
    assert (db["touchpoints"].get(tp)["outcome_code"], db["touchpoints"].get(tp)["follow_up_date"]) == (
        "CB",
        "2026-11-27",
    )


@pytest.mark.parametrize("outcome", ["NA", "LVM", "PTP", "NOTE"])
def test_other_outcomes_need_no_date(db, as_user, outcome):
    assert not needs_follow_up(outcome)
    log_touchpoint(as_user("alice"), 1, "note" if outcome == "NOTE" else "call", outcome, "said so")
    assert db["touchpoints"].count == 1
