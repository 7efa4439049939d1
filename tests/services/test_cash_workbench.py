"""The cash workbench's services (issue 11): every receipt with unapplied money oldest first,
each suggestion kind (invoice numbers in the remittance, one exact open amount, two or three
of one account adding up, payer name against account names and past payers), never across
currencies or accounts; each step (assign, apply, refund within authority, park) one audited
action, refused with nothing written."""

from datetime import date

import pytest

from arctui.domain.authority import AuthorityError
from arctui.services.cash import (
    allocations_from_text,
    apply_payment,
    assign_payment,
    name_tokens,
    park_payment,
    record_payment,
    refund_unapplied,
    unapplied_cash,
    unapplied_cash_aging,
    unapplied_receipt,
)
from arctui.services.errors import InvalidInput, StaleEdit
from tests.services.conftest import TODAY, audit_actions


def _receipt(db, payment_id):
    return unapplied_receipt(db, payment_id, TODAY)


def _kinds(receipt) -> list[tuple[str, str, list[str]]]:
    return [(s["kind"], s["account_no"], [i["number"] for i in s["invoices"]]) for s in receipt["suggestions"]]


def test_every_receipt_with_unapplied_money_oldest_first_with_no_customer_too(db, as_user):
    alice = as_user("alice")
    late = record_payment(alice, 1_000, date(2026, 11, 20), "ach", customer_id=1)
    unknown = record_payment(alice, 2_000, date(2026, 10, 1), "wire", remittance="SOMEONE")
    spent = record_payment(alice, 250_000, date(2026, 9, 1), "check", customer_id=1)
    apply_payment(alice, spent, [(3, 250_000)], 1)
    listed = unapplied_cash(db, TODAY)
    assert [r["id"] for r in listed] == [unknown, late]  # the applied one is gone
    assert listed[0]["customer_id"] is None and listed[0]["account_no"] is None
    assert (listed[0]["days"], listed[1]["days"]) == (53, 3)
    assert listed[1]["account_no"] == "C001" and listed[1]["customer_name"] == "Northwind Supply"


def test_invoice_numbers_in_the_remittance_are_suggested(db, as_user):
    alice = as_user("alice")
    pay = record_payment(alice, 1_300_000, TODAY, "wire", remittance="PAYMENT FOR inv-2001 AND INV-9999")
    assert _kinds(_receipt(db, pay))[0] == ("remittance", "C002", ["INV-2001"])
    assert _receipt(db, pay)["suggestions"][0]["allocations"] == [(4, 1_200_000)]
    # a receipt of another account does not take this account's invoice
    other = record_payment(alice, 1_000, TODAY, "wire", customer_id=1, remittance="INV-2001")
    assert not [s for s in _receipt(db, other)["suggestions"] if s["kind"] == "remittance"]


def test_one_open_invoice_of_exactly_the_amount_is_suggested(db, as_user):
    pay = record_payment(as_user("alice"), 900_000, TODAY, "ach")
    assert ("exact_amount", "C003", ["INV-3001"]) in _kinds(_receipt(db, pay))


def test_two_or_three_open_invoices_of_one_account_adding_up_are_suggested(db, as_user):
    alice = as_user("alice")
    two = record_payment(alice, 650_000, TODAY, "ach")  # INV-1002 + INV-1003
    assert ("combined_amount", "C001", ["INV-1002", "INV-1003"]) in _kinds(_receipt(db, two))
    three = record_payment(alice, 2_150_000, TODAY, "ach")  # all three of C001
    assert ("combined_amount", "C001", ["INV-1001", "INV-1002", "INV-1003"]) in _kinds(_receipt(db, three))
    across = record_payment(alice, 1_600_000, TODAY, "ach")  # INV-1002 (C001) + INV-2001 (C002): two accounts
    assert not [k for k in _kinds(_receipt(db, across)) if k[0] == "combined_amount"]


def test_amounts_never_match_across_currencies(db, as_user):
    db["invoices"].insert(
        {
            "id": 6,
            "customer_id": 2,
            "number": "EU-6001",
            "issue_date": "2026-10-01",
            "due_date": "2026-10-31",
            "currency": "EUR",
            "amount_cents": 650_000,
            "open_cents": 650_000,
        }
    )
    alice = as_user("alice")
    usd = record_payment(alice, 650_000, TODAY, "ach")
    assert "EU-6001" not in str(_kinds(_receipt(db, usd)))  # the USD combination of C001 only
    eur = record_payment(alice, 650_000, TODAY, "ach", currency="EUR")
    assert _kinds(_receipt(db, eur)) == [("exact_amount", "C002", ["EU-6001"])]
    aging = unapplied_cash_aging(db, TODAY)
    assert [(r["currency"], r["total"]) for r in aging] == [("EUR", 650_000), ("USD", 650_000)]


def test_payer_name_against_account_names_is_suggested(db, as_user):
    alice = as_user("alice")
    exact = record_payment(alice, 1_234, TODAY, "ach", remittance="NORTHWIND SUPPLY CO ACH PMT")
    assert _kinds(_receipt(db, exact))[0] == ("customer_name", "C001", [])
    typo = record_payment(alice, 1_235, TODAY, "ach", remittance="Nortwind Suply Inc")
    assert ("customer_name", "C001", []) in _kinds(_receipt(db, typo))
    accents = record_payment(alice, 1_236, TODAY, "ach", remittance="BLUÉBIRD LOGISTICS GMBH")
    assert ("customer_name", "C002", []) in _kinds(_receipt(db, accents))
    nobody = record_payment(alice, 1_237, TODAY, "ach", remittance="ORIG CO NAME UNKNOWN PAYMENT")
    assert _receipt(db, nobody)["suggestions"] == []
    assert name_tokens("Northwind Supply Co. INV-1001 12345") == {"northwind"}


def test_past_payers_are_suggested(db, as_user):
    alice = as_user("alice")
    record_payment(alice, 5_000, date(2026, 6, 1), "wire", customer_id=3, remittance="ACME TREASURY SVCS")
    pay = record_payment(alice, 7_000, TODAY, "wire", remittance="ACME TREASURY SVCS REF 7731")
    assert ("past_payer", "C003", []) in _kinds(_receipt(db, pay))
    known = record_payment(alice, 7_001, TODAY, "wire", customer_id=1, remittance="ACME TREASURY SVCS")
    assert not [k for k in _kinds(_receipt(db, known)) if k[0] in ("past_payer", "customer_name")]


def test_assign_a_customer_is_one_audited_action_and_refuses_what_it_must(db, as_user):
    alice = as_user("alice")
    pay = record_payment(alice, 650_000, TODAY, "wire")
    with pytest.raises(InvalidInput, match="needs the version you loaded"):
        assign_payment(alice, pay, "C001", None)
    with pytest.raises(InvalidInput, match="no account C999"):
        assign_payment(alice, pay, "C999", 1)
    assert assign_payment(alice, pay, "C001", 1) == 1
    assert db["payments"].get(pay)["customer_id"] == 1 and audit_actions(db)[-1] == "payment.assign"
    with pytest.raises(StaleEdit):
        assign_payment(alice, pay, "C002", 1)
    apply_payment(alice, pay, [(2, 400_000)], 2)
    with pytest.raises(InvalidInput, match="already applied or refunded on its account"):
        assign_payment(alice, pay, "C002", 3)
    assert db["payments"].get(pay)["customer_id"] == 1 and audit_actions(db)[-1] == "payment.apply"


def test_apply_split_across_invoices_through_the_text_the_prompt_takes(db, as_user):
    alice = as_user("alice")
    pay = record_payment(alice, 700_000, TODAY, "wire")
    payment = db["payments"].get(pay)
    allocations = allocations_from_text(db, payment, "INV-1002=1,000.00, inv-1003")
    assert allocations == [(2, 100_000), (3, 250_000)]
    apply_payment(alice, pay, allocations, 1)
    payment = db["payments"].get(pay)
    assert (payment["customer_id"], payment["unapplied_cents"]) == (1, 350_000)
    assert db["invoices"].get(3)["open_cents"] == 0 and db["invoices"].get(2)["open_cents"] == 300_000
    with pytest.raises(InvalidInput, match="no invoice INV-0000"):
        allocations_from_text(db, payment, "INV-0000=1")
    with pytest.raises(InvalidInput, match="INV-1002: 'ten' is not an amount"):
        allocations_from_text(db, payment, "INV-1002=ten")
    with pytest.raises(InvalidInput, match="INV-2001 belongs to another account"):
        apply_payment(alice, pay, allocations_from_text(db, payment, "INV-2001=1"), payment["version"])
    assert db["payment_applications"].count == 2


def test_refund_within_authority_with_a_note(db, as_user):
    alice, lead = as_user("alice"), as_user("lead")  # alice's limit: $500.00
    pay = record_payment(alice, 200_000, TODAY, "wire", customer_id=2)
    with pytest.raises(InvalidInput, match="say why"):
        refund_unapplied(alice, pay, 100, "  ", 1)
    with pytest.raises(AuthorityError, match="not an active collector"):
        refund_unapplied(as_user("mallory"), pay, 100, "mine now", 1)
    assert db["payment_applications"].count == 0
    refund_unapplied(alice, pay, 50_000, "overpaid, back to their bank", 1)
    refund_unapplied(lead, pay, 150_000, "the rest: duplicate wire", 2)
    assert db["payments"].get(pay)["unapplied_cents"] == 0
    assert audit_actions(db)[-2:] == ["payment.refund", "payment.refund"]
    eur = record_payment(alice, 1_000, TODAY, "wire", customer_id=2, currency="EUR")
    refund_unapplied(alice, eur, 1_000, "overpaid", 1)  # in another currency: a lead or manager decides
    assert db["payments"].get(eur)["unapplied_cents"] == 1_000 and audit_actions(db)[-1] == "payment.refund_request"


def test_park_with_a_note_holds_until_the_next_step(db, as_user):
    alice = as_user("alice")
    pay = record_payment(alice, 900_000, TODAY, "wire")
    with pytest.raises(InvalidInput, match="say why the receipt is parked"):
        park_payment(alice, pay, "", 1)
    park_payment(alice, pay, "asked the bank who sent it", 1)
    receipt = _receipt(db, pay)
    assert receipt["parked"] == {"note": "asked the bank who sent it", "by": "alice", "at": "2026-11-23T09:00:00Z"}
    assert receipt["version"] == 2 and audit_actions(db)[-1] == "payment.park"
    with pytest.raises(StaleEdit):
        park_payment(alice, pay, "again", 1)
    assign_payment(alice, pay, "C003", 2)
    assert _receipt(db, pay)["parked"] is None  # worked on since: no longer parked


def test_aging_of_unapplied_receipts_per_currency_and_payer(db, as_user):
    alice = as_user("alice")
    record_payment(alice, 1_000, date(2026, 11, 1), "ach")  # 22 days
    record_payment(alice, 2_000, date(2026, 9, 30), "ach")  # 54 days
    record_payment(alice, 3_000, date(2026, 8, 1), "ach", customer_id=1)  # 114 days
    record_payment(alice, 4_000, date(2026, 10, 1), "ach", customer_id=1, currency="CAD")  # 53 days
    rows = {(r["currency"], r["payer_known"]): r for r in unapplied_cash_aging(db, TODAY)}
    assert set(rows) == {("CAD", True), ("USD", False), ("USD", True)}
    assert (rows["USD", False]["0-30"], rows["USD", False]["31-60"], rows["USD", False]["total"]) == (
        1_000,
        2_000,
        3_000,
    )
    assert (rows["USD", True]["90+"], rows["USD", True]["receipts"]) == (3_000, 1)
    assert (rows["CAD", True]["31-60"], rows["CAD", True]["oldest"]) == (4_000, "2026-10-01")


def test_aging_as_of_a_past_day_counts_what_was_unapplied_then(db, as_user):
    alice = as_user("alice")
    pay = record_payment(alice, 500_000, date(2026, 9, 1), "ach", customer_id=1)
    apply_payment(as_user("alice", date(2026, 10, 15)), pay, [(2, 400_000)], 1)  # applied on 2026-10-15
    record_payment(alice, 7_000, date(2026, 11, 1), "ach")  # received after the day asked
    then = unapplied_cash_aging(db, date(2026, 10, 1), as_of=True)
    assert [(r["payer_known"], r["0-30"], r["total"]) for r in then] == [(True, 500_000, 500_000)]  # 30 days
    later = unapplied_cash_aging(db, date(2026, 10, 31), as_of=True)
    assert [(r["payer_known"], r["total"]) for r in later] == [(True, 100_000)]
    assert [r["total"] for r in unapplied_cash_aging(db, TODAY)] == [7_000, 100_000]
