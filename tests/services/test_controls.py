"""Controls where the money moves (issue 14, item 4): the chart of codes kept in the book,
write-offs and credit-limit raises under authority limits with someone else's approval above
them, and every refund held to the refunder's authority whichever path asks for it."""

from dataclasses import replace
from datetime import date

import pytest

from arctui import hookimpl
from arctui.domain.authority import AuthorityError
from arctui.plugins import PluginHost
from arctui.services.cash import allocate_payment, record_payment
from arctui.services.codes import add_code, retire_code
from arctui.services.credit_limits import approve_credit_limit, change_credit_limit, reject_credit_limit
from arctui.services.credit_memos import Coder, MemoContext, Proposal, approve_memo, prepare_memo, propose_coding
from arctui.services.errors import InvalidInput, StaleEdit
from arctui.services.write_offs import approve_write_off, post_write_off, propose_write_off, reject_write_off
from arctui.store.read.timeline import timeline
from tests.enrol import enrol
from tests.services.conftest import audit_actions


@pytest.fixture
def chart(db, as_user):
    """A manager, maria, and her chart: two reason codes and two GL accounts."""
    enrol(db, "maria", "Maria Manager", role="manager", memo_limit_cents=10_000_000)
    maria = as_user("maria")
    for kind, code, label in [
        ("reason", "pricing", "Pricing adjustment"),
        ("reason", "bad_debt", "Uncollectable"),
        ("gl", "4510", "Sales adjustments"),
        ("gl", "6800", "Bad debt expense"),
    ]:
        add_code(maria, kind, code, label)
    return maria


def version(db, memo_id):
    return db["credit_memos"].get(memo_id)["version"]


def test_only_a_manager_keeps_the_chart(db, as_user, chart):
    for user in ("alice", "lead"):
        with pytest.raises(AuthorityError, match=f"{user} is not a manager: only a manager adds codes"):
            add_code(as_user(user), "reason", "freight", "Freight")
        with pytest.raises(AuthorityError, match="only a manager retires codes"):
            retire_code(as_user(user), "reason", "pricing")
    with pytest.raises(InvalidInput, match="reason code: pricing is already in the chart"):
        add_code(chart, "reason", "PRICING", "again")
    retire_code(chart, "reason", "pricing")
    add_code(chart, "reason", "pricing", "Price corrections")  # a retired code comes back
    assert db.execute("SELECT label, retired_at FROM chart_codes WHERE code = 'pricing'").fetchall() == [
        ("Price corrections", None)
    ]
    assert audit_actions(db)[-6:] == ["code.add"] * 4 + ["code.retire", "code.add"]


def test_a_memo_is_coded_from_the_chart_only(db, as_user, chart):
    alice = as_user("alice")
    with pytest.raises(InvalidInput, match="reason code: PRICE is not in the chart; `arctui codes list`"):
        prepare_memo(alice, 1, 1_000, "PRICE", "4510", invoice_id=2)
    with pytest.raises(InvalidInput, match="GL code: 4100 is not in the chart"):
        prepare_memo(alice, 1, 1_000, "pricing", "4100", invoice_id=2)
    memo = prepare_memo(alice, 1, 1_000, "PRICING", "4510", invoice_id=2)  # stored as the chart spells it
    assert db["credit_memos"].get(memo)["reason_code"] == "pricing"
    retire_code(chart, "gl", "4510")
    with pytest.raises(InvalidInput, match="GL code: 4510 is retired"):
        prepare_memo(alice, 1, 1_000, "pricing", "4510", invoice_id=2)
    assert db["credit_memos"].get(memo)["gl_code"] == "4510"  # what is coded keeps its code
    assert db.execute("SELECT count(*) FROM credit_memos").fetchone()[0] == 1


def test_a_book_without_a_chart_codes_freely(db, as_user):
    memo = prepare_memo(as_user("alice"), 1, 1_000, "PRICE", "4100", invoice_id=2)
    assert db["credit_memos"].get(memo)["reason_code"] == "PRICE"


class TwoCoders:
    @hookimpl
    def register_credit_memo_coders(self, register):
        register(Coder("chart", lambda context: Proposal("pricing", "4510", "in the chart")))
        register(Coder("stale", lambda context: Proposal("PRICE", "4100", "an old rules file")))


def test_the_coders_propose_only_codes_of_the_chart(db, as_user, chart):
    host = PluginHost(entry_points=False)
    host.register(TwoCoders(), name="two_coders")
    ctx = replace(as_user("alice"), plugins=host)
    proposals = propose_coding(ctx, MemoContext(db["customers"].get(1), None, 1_000, "price"))
    assert [(name, p.reason_code) for name, p in proposals] == [("chart", "pricing")]


def test_a_write_off_within_the_limit_is_approved_and_posting_reduces_the_invoice(db, as_user, chart):
    bob = as_user("bob")
    with pytest.raises(InvalidInput, match="note: is required"):
        propose_write_off(bob, 5, 100_000, "bad_debt", "6800", " ")
    wo = propose_write_off(bob, 5, 100_000, "bad_debt", "6800", "customer in administration\nliquidator named")
    row = db["credit_memos"].get(wo)
    assert (row["kind"], row["number"], row["status"], row["customer_id"]) == (
        "write_off",
        f"WO-{wo:06d}",
        "approved",
        3,
    )
    post_write_off(bob, wo, version(db, wo))
    assert db["invoices"].get(5)["open_cents"] == 800_000
    assert audit_actions(db)[-2:] == ["write_off.prepare", "write_off.post"]
    shown = [e.summary for e in timeline(db, 3) if e.kind == "memo"]
    assert shown == [f"Write-off WO-{wo:06d} bad_debt/6800 (posted)"]


def test_a_write_off_above_the_limit_waits_for_someone_else_whose_limit_covers_it(db, as_user, chart):
    alice, bob = as_user("alice"), as_user("bob")
    wo = propose_write_off(alice, 1, 400_000, "bad_debt", "6800", "no assets left")
    assert db["credit_memos"].get(wo)["status"] == "pending_approval"
    with pytest.raises(AuthorityError, match="nobody approves their own write-off"):
        approve_write_off(alice, wo, version(db, wo))
    big = propose_write_off(alice, 1, 600_000, "bad_debt", "6800", "the rest")
    with pytest.raises(AuthorityError, match=r"write-off of \$6,000.00 is above bob's limit of \$5,000.00"):
        approve_write_off(bob, big, version(db, big))
    with pytest.raises(InvalidInput, match="write-off: .* is pending approval, not approved"):
        post_write_off(as_user("lead"), wo, version(db, wo))
    approve_write_off(bob, wo, version(db, wo), "confirmed with legal")
    with pytest.raises(AuthorityError, match="alice prepared this write-off: another collector decides"):
        reject_write_off(alice, big, version(db, big), "withdrawn")
    reject_write_off(as_user("lead"), big, version(db, big), "send it to the agency first")
    post_write_off(alice, wo, version(db, wo))
    assert db["invoices"].get(1)["open_cents"] == 1_100_000
    assert [r[0] for r in db.execute("SELECT status FROM credit_memos ORDER BY id")] == ["posted", "rejected"]
    assert audit_actions(db)[-3:] == ["write_off.approve", "write_off.reject", "write_off.post"]


def test_a_memo_is_not_a_write_off(db, as_user, chart):
    memo = prepare_memo(as_user("alice"), 1, 100_000, "pricing", "4510", invoice_id=1)
    with pytest.raises(InvalidInput, match="CM-000001 is a credit memo, not a write-off"):
        approve_write_off(as_user("bob"), memo, version(db, memo))
    approve_memo(as_user("bob"), memo, version(db, memo))  # the memo's own step still decides it
    assert audit_actions(db)[-1] == "memo.approve"


def test_a_refund_beside_an_application_is_held_to_authority_too(db, as_user):
    """The apply-cash form applies and refunds in one action (allocate_payment): the refund
    part is held to the same limit as `arctui cash refund` (above it: requested, the
    application made), and nothing is written when the refunder is not a collector."""
    alice = as_user("alice")
    pay = record_payment(alice, 500_000, date(2026, 11, 20), "wire", customer_id=2)
    allocate_payment(alice, pay, [(4, 400_000)], 100_000, "overpaid", version=1)
    assert db["invoices"].get(4)["open_cents"] == 800_000 and db["payments"].get(pay)["unapplied_cents"] == 100_000
    assert db.execute("SELECT amount_cents, status FROM refund_requests").fetchall() == [(100_000, "pending_approval")]
    second = record_payment(alice, 200_000, date(2026, 11, 21), "wire", customer_id=2)
    allocate_payment(alice, second, [(4, 150_000)], 50_000, "overpaid", version=1)
    assert db["payments"].get(second)["unapplied_cents"] == 0
    third = record_payment(alice, 200_000, date(2026, 11, 21), "wire", customer_id=2)
    before = audit_actions(db)
    with pytest.raises(AuthorityError, match="mallory is not an active collector"):
        allocate_payment(as_user("mallory"), third, [(4, 100)], 100, "", version=1)
    assert audit_actions(db) == before
    allocate_payment(as_user("lead"), third, (), 200_000, "duplicate wire", version=1)  # within the lead's limit
    assert audit_actions(db)[-5:] == [
        "payment.apply_and_refund_request",
        "payment.record",
        "payment.apply_and_refund",
        "payment.record",
        "payment.refund",
    ]


def customer_version(db, customer_id=1):
    return db["customers"].get(customer_id)["version"]


def test_a_credit_limit_raise_within_authority_applies_at_once_and_a_larger_one_waits(db, as_user):
    alice, bob = as_user("alice"), as_user("bob")
    small = change_credit_limit(alice, 1, 5_050_000, "paid early all year", customer_version(db))
    assert db["credit_limit_changes"].get(small)["status"] == "applied"
    assert db["customers"].get(1)["credit_limit_cents"] == 5_050_000
    lower = change_credit_limit(alice, 1, 1_000_000, "two payments bounced", customer_version(db))
    assert db["credit_limit_changes"].get(lower)["status"] == "applied"  # lowering the risk is always allowed
    big = change_credit_limit(alice, 1, 2_000_000, "new contract", customer_version(db))
    assert (db["credit_limit_changes"].get(big)["status"], db["customers"].get(1)["credit_limit_cents"]) == (
        "pending_approval",
        1_000_000,
    )
    with pytest.raises(AuthorityError, match="nobody approves their own credit-limit raise"):
        approve_credit_limit(alice, big, 1)
    with pytest.raises(AuthorityError, match=r"credit-limit raise of \$10,000.00 is above bob's limit of \$5,000.00"):
        approve_credit_limit(bob, big, 1)
    approve_credit_limit(as_user("lead"), big, 1, "contract seen")
    assert db["customers"].get(1)["credit_limit_cents"] == 2_000_000
    assert db["credit_limit_changes"].get(big)["decided_by"] == "lead"
    assert audit_actions(db)[-4:] == ["credit_limit.request"] * 3 + ["credit_limit.approve"]


def test_a_credit_limit_change_is_refused_when_stale_or_not_a_change(db, as_user):
    alice, lead = as_user("alice"), as_user("lead")
    with pytest.raises(InvalidInput, match=r"C001's limit is \$50,000.00 already"):
        change_credit_limit(alice, 1, 5_000_000, "same", customer_version(db))
    with pytest.raises(InvalidInput, match="note: is required"):
        change_credit_limit(alice, 1, 6_000_000, "", customer_version(db))
    waiting = change_credit_limit(alice, 1, 6_000_000, "new contract", customer_version(db))
    change_credit_limit(lead, 1, 4_000_000, "risk review", customer_version(db))  # meanwhile, applied at once
    with pytest.raises(StaleEdit, match="C001's credit limit was changed by lead .* since this change was asked for"):
        approve_credit_limit(lead, waiting, 1)
    with pytest.raises(AuthorityError, match="alice asked for this credit-limit raise: another collector decides"):
        reject_credit_limit(alice, waiting, 1, "withdrawn")
    reject_credit_limit(lead, waiting, 1, "ask again after the review")
    assert db["credit_limit_changes"].get(waiting)["status"] == "rejected"
    with pytest.raises(InvalidInput, match="credit-limit change: 1 is rejected, not pending approval"):
        approve_credit_limit(lead, waiting, 2)
    assert db["customers"].get(1)["credit_limit_cents"] == 4_000_000
