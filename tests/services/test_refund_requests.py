"""Refunds above the refunder's authority are requests (issue 14, item 4): the money asked for
is held on the receipt until a lead or manager other than the requester, whose limit covers
it, approves (the refund is made that day) or rejects it (the money is free again)."""

from datetime import date

import pytest

from arctui.domain.authority import AuthorityError
from arctui.services.cash import allocate_payment, record_payment, refund_unapplied
from arctui.services.errors import InvalidInput, StaleEdit
from arctui.services.refunds import approve_refund, reject_refund
from tests.enrol import enrol
from tests.services.conftest import audit_actions


def paid(db, as_user, cents=500_000):
    """A receipt of ``cents`` on Acme (customer 1), recorded by alice ($500 limit)."""
    return record_payment(as_user("alice"), cents, date(2026, 11, 20), "wire", customer_id=1)


def version(db, table, row_id):
    return db[table].get(row_id)["version"]


def refunds(db):
    return db.execute("SELECT kind, amount_cents, applied_date, applied_by FROM payment_applications").fetchall()


def test_a_refund_within_the_limit_is_made_at_once(db, as_user):
    pay = paid(db, as_user)
    refund_unapplied(as_user("alice"), pay, 50_000, "overpaid", version(db, "payments", pay))
    assert refunds(db) == [("refund", 50_000, "2026-11-23", "alice")]
    assert db["payments"].get(pay)["unapplied_cents"] == 450_000
    assert db.execute("SELECT count(*) FROM refund_requests").fetchone() == (0,)
    assert audit_actions(db)[-1] == "payment.refund"


def test_above_the_limit_the_refund_is_requested_and_its_money_held(db, as_user):
    pay = paid(db, as_user)
    alice = as_user("alice")
    refund_unapplied(alice, pay, 300_000, "paid twice: back to their bank", version(db, "payments", pay))
    request = db["refund_requests"].get(1)
    assert (request["status"], request["amount_cents"], request["requested_by"]) == (
        "pending_approval",
        300_000,
        "alice",
    )
    assert refunds(db) == [] and db["payments"].get(pay)["unapplied_cents"] == 500_000
    assert audit_actions(db)[-1] == "payment.refund_request"
    with pytest.raises(InvalidInput, match=r"unapplied cash less \$3,000.00 held for a refund request \(\$2,000.00\)"):
        allocate_payment(as_user("bob"), pay, [(1, 300_000)], version=version(db, "payments", pay))
    allocate_payment(as_user("bob"), pay, [(1, 200_000)], version=version(db, "payments", pay))
    assert db["payments"].get(pay)["unapplied_cents"] == 300_000  # all of it held now


def test_a_request_is_not_made_without_a_note_or_by_someone_outside_the_team(db, as_user):
    pay = paid(db, as_user)
    with pytest.raises(InvalidInput, match="note: say why the cash is refunded"):
        allocate_payment(as_user("alice"), pay, (), 300_000, "", version(db, "payments", pay))
    with pytest.raises(AuthorityError, match="mallory is not an active collector"):
        refund_unapplied(as_user("mallory"), pay, 300_000, "to me", version(db, "payments", pay))
    assert db.execute("SELECT count(*) FROM refund_requests").fetchone() == (0,)


def test_a_lead_approves_and_the_refund_is_made_that_day(db, as_user):
    pay = paid(db, as_user)
    refund_unapplied(as_user("alice"), pay, 300_000, "paid twice", version(db, "payments", pay))
    with pytest.raises(AuthorityError, match="alice is not a lead or manager"):
        approve_refund(as_user("alice"), 1, version(db, "refund_requests", 1))
    with pytest.raises(AuthorityError, match="bob is not a lead or manager"):
        approve_refund(as_user("bob"), 1, version(db, "refund_requests", 1))  # bob's limit covers it: not his role
    approve_refund(as_user("lead", date(2026, 11, 25)), 1, version(db, "refund_requests", 1), "checked the bank")
    assert refunds(db) == [("refund", 300_000, "2026-11-25", "lead")]
    payment = db["payments"].get(pay)
    assert payment["unapplied_cents"] == 200_000 and payment["remittance"] == "refund $3,000.00: paid twice"
    request = db["refund_requests"].get(1)
    assert (request["status"], request["decided_by"], request["decision_note"]) == (
        "refunded",
        "lead",
        "checked the bank",
    )
    assert audit_actions(db)[-1] == "refund.approve"
    with pytest.raises(InvalidInput, match="refund request: 1 is refunded, not pending approval"):
        reject_refund(as_user("lead"), 1, version(db, "refund_requests", 1), "too late")


def test_nobody_approves_their_own_request_nor_one_above_their_limit(db, as_user):
    enrol(db, "maria", "Maria Manager", role="manager", memo_limit_cents=100_000)
    pay = paid(db, as_user, 20_000_000)
    refund_unapplied(as_user("maria"), pay, 150_000, "duplicate wire", version(db, "payments", pay))
    with pytest.raises(AuthorityError, match="maria prepared this refund: nobody approves their own refund"):
        approve_refund(as_user("maria"), 1, version(db, "refund_requests", 1))
    with pytest.raises(AuthorityError, match="maria asked for this refund: another lead or manager decides"):
        reject_refund(as_user("maria"), 1, version(db, "refund_requests", 1), "withdrawn")
    refund_unapplied(as_user("alice"), pay, 15_000_000, "prepaid contract cancelled", version(db, "payments", pay))
    with pytest.raises(AuthorityError, match=r"refund of \$150,000.00 is above lead's limit of \$100,000.00"):
        approve_refund(as_user("lead"), 2, version(db, "refund_requests", 2))
    approve_refund(as_user("lead"), 1, version(db, "refund_requests", 1))
    assert [r["status"] for r in db["refund_requests"].rows] == ["refunded", "pending_approval"]


def test_a_rejection_says_why_and_frees_the_money(db, as_user):
    pay = paid(db, as_user)
    refund_unapplied(as_user("alice"), pay, 300_000, "paid twice", version(db, "payments", pay))
    with pytest.raises(InvalidInput, match="note"):
        reject_refund(as_user("lead"), 1, version(db, "refund_requests", 1), " ")
    reject_refund(as_user("lead"), 1, version(db, "refund_requests", 1), "they owe INV-1002: apply it")
    assert db["refund_requests"].get(1)["status"] == "rejected" and refunds(db) == []
    allocate_payment(as_user("bob"), pay, [(1, 500_000)], version=version(db, "payments", pay))
    assert db["payments"].get(pay)["unapplied_cents"] == 0
    assert audit_actions(db)[-2:] == ["refund.reject", "payment.apply"]


def test_an_apply_loaded_before_the_request_is_refused_as_stale(db, as_user):
    """Two collectors on one receipt: the request bumps the receipt, so an application made
    from what was loaded before cannot spend the held money."""
    pay = paid(db, as_user)
    loaded = version(db, "payments", pay)
    refund_unapplied(as_user("alice"), pay, 400_000, "paid twice", loaded)
    with pytest.raises(StaleEdit, match="payment 1 was changed by alice"):
        allocate_payment(as_user("bob"), pay, [(1, 500_000)], version=loaded)
    with pytest.raises(InvalidInput, match=r"less \$4,000.00 held for a refund request \(\$1,000.00\)"):
        refund_unapplied(as_user("bob"), pay, 200_000, "again", version(db, "payments", pay))
    assert db["invoices"].get(1)["open_cents"] == 1_500_000 and refunds(db) == []


def test_a_decision_on_a_request_someone_decided_since_is_stale(db, as_user):
    enrol(db, "maria", "Maria Manager", role="manager", memo_limit_cents=10_000_000)
    pay = paid(db, as_user)
    refund_unapplied(as_user("alice"), pay, 300_000, "paid twice", version(db, "payments", pay))
    loaded = version(db, "refund_requests", 1)
    reject_refund(as_user("maria"), 1, loaded, "apply it instead")
    with pytest.raises(StaleEdit):
        approve_refund(as_user("lead"), 1, loaded)
    assert refunds(db) == []


def test_a_receipt_the_bank_takes_back_rejects_the_refund_waiting_on_it(db, as_user):
    """No money is left to refund once the bank reverses the receipt: its waiting request is
    rejected in the reversal's own audited action, saying why, and nobody can approve it."""
    from arctui.services.reversals import reverse_receipt

    pay = paid(db, as_user)
    refund_unapplied(as_user("alice"), pay, 300_000, "paid twice", version(db, "payments", pay))
    reverse_receipt(as_user("alice"), pay, "camt.054 back.xml entry 1")
    request = db["refund_requests"].get(1)
    assert (request["status"], request["decided_by"], request["decision_note"]) == (
        "rejected",
        "alice",
        "the bank took the receipt back: camt.054 back.xml entry 1",
    )
    assert audit_actions(db)[-1] == "payment.reverse"
    with pytest.raises(InvalidInput, match="refund request: 1 is rejected"):
        approve_refund(as_user("lead"), 1, request["version"])
