from datetime import date

import pytest

from arctui.services.cash import apply_payment, record_payment
from arctui.services.errors import InvalidInput, NotFound, StaleEdit
from arctui.services.promises import cancel_promise, record_promise, settle_promises
from arctui.services.touchpoints import log_touchpoint
from tests.services.conftest import audit_actions


def test_log_touchpoint_writes_row_and_one_audit_entry(db, as_user):
    tp = log_touchpoint(as_user("alice"), 1, "call", "PTP", "spoke to AP", date(2026, 11, 30))
    row = db["touchpoints"].get(tp)
    assert (row["kind"], row["outcome_code"], row["by"], row["follow_up_date"]) == (
        "call",
        "PTP",
        "alice",
        "2026-11-30",
    )
    assert row["at"] == "2026-11-23T09:00:00Z"
    assert audit_actions(db)[-1] == "touchpoint.call"


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"kind": "fax"}, "kind"),
        ({"outcome_code": "XYZ"}, "outcome"),
        ({"follow_up_date": date(2026, 11, 1)}, "follow-up date"),
    ],
)
def test_log_touchpoint_refuses_bad_fields_and_writes_nothing(db, as_user, kwargs, field):
    args = {"kind": "call", "outcome_code": "NA", **kwargs}
    before = db["audit"].count
    with pytest.raises(InvalidInput) as err:
        log_touchpoint(as_user("alice"), 1, **args)
    assert err.value.field == field
    assert db["touchpoints"].count == 0 and db["audit"].count == before


def test_unknown_account_is_not_found(db, as_user):
    with pytest.raises(NotFound, match="customer 99 not found"):
        log_touchpoint(as_user("alice"), 99, "note", "NOTE", "called back")


def test_promise_kept_when_paid_in_full(db, as_user):
    alice = as_user("alice")
    pid = record_promise(alice, 1, 400_000, date(2026, 11, 30), invoice_ids=[2])
    pay = record_payment(alice, 400_000, date(2026, 11, 23), "ach", customer_id=1)
    apply_payment(alice, pay, [(2, 400_000)], 1)
    promise = db["promises"].get(pid)
    assert (promise["status"], promise["paid_cents"]) == ("kept", 400_000)
    assert db["invoices"].get(2)["open_cents"] == 0
    assert db["invoices"].get(2)["closed_date"] == "2026-11-23"


def test_promise_partial_and_broken_after_grace(db, as_user):
    alice = as_user("alice")
    partial = record_promise(alice, 1, 400_000, date(2026, 11, 25), invoice_ids=[2])
    broken = record_promise(alice, 2, 100_000, date(2026, 11, 25), invoice_ids=[4])
    pay = record_payment(alice, 150_000, date(2026, 11, 23), "wire", customer_id=1)
    apply_payment(alice, pay, [(2, 150_000)], 1)
    assert db["promises"].get(partial)["status"] == "open"  # still inside grace
    later = as_user("alice", date(2026, 11, 29))  # 25th + 3 grace days has passed
    assert settle_promises(later) == 2
    assert db["promises"].get(partial)["status"] == "partial"
    assert db["promises"].get(partial)["paid_cents"] == 150_000
    assert db["promises"].get(broken)["status"] == "broken"


def test_promise_validation(db, as_user):
    alice = as_user("alice")
    with pytest.raises(InvalidInput, match="amount: must be more than zero"):
        record_promise(alice, 1, 0, date(2026, 11, 30))
    with pytest.raises(InvalidInput, match="promised date: 2026-11-01 is before 2026-11-23"):
        record_promise(alice, 1, 100, date(2026, 11, 1))
    with pytest.raises(InvalidInput, match="INV-2001 is not this account's"):
        record_promise(alice, 1, 100, date(2026, 11, 30), invoice_ids=[4])
    assert db["promises"].count == 0


def test_cancel_promise_refuses_stale_version(db, as_user):
    pid = record_promise(as_user("alice"), 1, 100, date(2026, 11, 30))
    cancel_promise(as_user("bob"), pid, 1, "customer retracted")
    with pytest.raises(InvalidInput, match="is cancelled, not open"):
        cancel_promise(as_user("alice"), pid, 1)
    assert db["promises"].get(pid)["updated_by"] == "bob"


def test_stale_version_is_refused_with_who_changed_it(db, as_user):
    pid = record_promise(as_user("alice"), 1, 100, date(2026, 11, 30))
    with pytest.raises(StaleEdit, match=r"promise \d+ was changed by alice .* you edited version 7"):
        cancel_promise(as_user("alice"), pid, 7)
