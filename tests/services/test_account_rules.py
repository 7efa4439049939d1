"""The account actions' rules, through the services (the forms only show them early).

The book of ``conftest``: Northwind (1) owes INV-1001 $15,000, INV-1002 $4,000 and INV-1003
$2,500; Bluebird (2) owes INV-2001 $12,000.
"""

from datetime import date, timedelta

import pytest

from arctui.domain.plans import equal_schedule
from arctui.services.accounts import credit_hold, release_hold
from arctui.services.disputes import open_dispute, resolve_dispute
from arctui.services.errors import InvalidInput
from arctui.services.plans import MAX_INSTALMENTS, create_plan
from arctui.services.promises import promise_cap, record_promise
from arctui.services.touchpoints import log_touchpoint
from arctui.store.read.disputes import undisputed_cents
from tests.services.conftest import TODAY, audit_actions

WEEK = TODAY + timedelta(days=7)


# -- the promise cap: a promise is never for more than the account owes on what it covers ----


def test_a_promise_may_not_exceed_the_accounts_open_balance(db, as_user):
    alice = as_user("alice")
    before = audit_actions(db)
    with pytest.raises(
        InvalidInput,
        match=r"amount: \$21,500.01 is more than the account's open balance"
        r" \(\$21,500.00\)",
    ):
        record_promise(alice, 1, 2_150_001, WEEK)
    assert db["promises"].count == 0 and audit_actions(db) == before
    record_promise(alice, 1, 2_150_000, WEEK)
    assert db["promises"].count == 1


def test_a_promise_may_not_exceed_the_open_balance_of_its_invoices(db, as_user):
    alice = as_user("alice")
    with pytest.raises(
        InvalidInput,
        match=r"amount: \$6,500.01 is more than the open balance of the"
        r" chosen invoices \(\$6,500.00\)",
    ):
        record_promise(alice, 1, 650_001, WEEK, invoice_ids=[2, 3])
    assert db["promises"].count == 0 and db["promise_invoices"].count == 0
    record_promise(alice, 1, 650_000, WEEK, invoice_ids=[2, 3])
    assert db["promises"].count == 1


def test_the_promise_cap_counts_what_is_owed_not_a_credit_balance(db, as_user):
    # a credit note left open on Bluebird's account does not lower what it owes
    db["invoices"].insert(
        {
            "id": 9,
            "customer_id": 2,
            "number": "CR-9",
            "issue_date": "2026-11-01",
            "due_date": "2026-11-01",
            "amount_cents": -100_000,
            "open_cents": -100_000,
        }
    )
    assert promise_cap(db, 2) == (1_200_000, "the account's open balance")
    assert promise_cap(db, 1, [2]) == (400_000, "the open balance of the chosen invoices")
    with pytest.raises(InvalidInput, match="is already paid"):
        record_promise(as_user("alice"), 2, 1_000, WEEK, invoice_ids=[9])
    record_promise(as_user("alice"), 2, 1_200_000, WEEK)


# -- the undisputed balance: one definition for the service and the form's default ----------


def test_undisputed_balance_is_the_open_balance_less_open_disputes(db, as_user):
    alice = as_user("alice")
    assert undisputed_cents(db, 2) == 400_000
    dispute = open_dispute(alice, 2, 300_000, "pricing")
    assert undisputed_cents(db, 2) == 100_000
    with pytest.raises(
        InvalidInput,
        match=r"amount: \$1,000.01 is more than the undisputed open balance"
        r" of INV-1002 \(\$1,000.00\)",
    ):
        open_dispute(alice, 2, 100_001, "quantity")
    open_dispute(alice, 2, 100_000, "quantity")
    assert undisputed_cents(db, 2) == 0
    resolve_dispute(alice, dispute, 1, "withdrawn")
    assert undisputed_cents(db, 2) == 300_000  # a resolved dispute holds nothing back


# -- rules that lived only in the forms --------------------------------------------------------


@pytest.mark.parametrize("note", ["", "   "])
def test_a_note_needs_its_text(db, as_user, note):
    before = audit_actions(db)
    with pytest.raises(InvalidInput, match="note: a note needs its text") as err:
        log_touchpoint(as_user("alice"), 1, "note", "NOTE", note)
    assert err.value.field == "note"
    assert db["touchpoints"].count == 0 and audit_actions(db) == before
    log_touchpoint(as_user("alice"), 1, "call", "NA")  # a call may go without one
    log_touchpoint(as_user("alice"), 1, "note", "NOTE", "asked for a statement")
    assert db["touchpoints"].count == 2


def test_a_credit_hold_and_its_release_say_why(db, as_user):
    lead = as_user("lead")
    with pytest.raises(InvalidInput, match="reason: is required"):
        credit_hold(lead, 1, 1, "  ")
    assert db["customers"].get(1)["status"] == "active"
    credit_hold(lead, 1, 1, "over the limit")
    with pytest.raises(InvalidInput, match="reason: is required"):
        release_hold(lead, 1, 2)
    assert db["customers"].get(1)["status"] == "credit_hold"
    release_hold(lead, 1, 2, "paid down")
    assert db["customers"].get(1)["status"] == "active"


def test_a_plan_has_at_most_so_many_instalments(db, as_user):
    alice = as_user("alice")
    too_many = equal_schedule(121_000, MAX_INSTALMENTS + 1, date(2026, 12, 1), "weekly")
    with pytest.raises(InvalidInput, match=f"instalments: {MAX_INSTALMENTS + 1} is more than {MAX_INSTALMENTS}"):
        create_plan(alice, 1, 121_000, too_many, "weekly", invoice_ids=[1])
    assert db["payment_plans"].count == 0
    create_plan(
        alice,
        1,
        120_000,
        equal_schedule(120_000, MAX_INSTALMENTS, date(2026, 12, 1), "weekly"),
        "weekly",
        invoice_ids=[1],
    )
    assert db["plan_instalments"].count == MAX_INSTALMENTS
