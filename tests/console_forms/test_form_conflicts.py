"""Defect 4 (issue 13): no edit is lost on a conflict. Whatever the form, a save over a change
someone made since the form loaded says who changed it and when, shows the record as it now
is, and keeps the collector's own unsaved text beside the current values; ctrl+r puts it back."""

import re
from datetime import date

from arctui.console.forms.credit_hold import CreditHoldForm
from arctui.console.forms.dispute_resolve import DisputeResolveForm
from arctui.console.forms.memo_approval import MemoApprovalForm
from arctui.console.forms.payment_plan import PaymentPlanForm
from arctui.domain.plans import equal_schedule
from arctui.services.accounts import credit_hold
from arctui.services.credit_memos import reject_memo
from arctui.services.disputes import open_dispute, resolve_dispute
from arctui.services.plans import create_plan, edit_plan
from tests.console_forms.conftest import BOTH_BACKENDS

WHO_WHEN = re.compile(
    r"^(?P<what>.+) was changed by (?P<who>\w+) at 2026-11-23T09:00:00Z \(now version \d+, you edited version \d+\);"
    r" reload and try again\. Nothing was saved; the form now shows the current values: check them and save again\."
)

pytestmark = BOTH_BACKENDS


def said(ui) -> re.Match:
    match = WHO_WHEN.match(ui.text("#form-status"))
    assert match, ui.text("#form-status")
    return match


def a_plan(world) -> int:
    return create_plan(
        world.bob,
        world.acme,
        300_000,
        equal_schedule(300_000, 2, date(2026, 12, 1), "monthly"),
        "monthly",
        invoice_ids=[world.invoices["INV-1003"]],
    )


async def test_a_stale_plan_keeps_the_note_and_schedule_typed_and_ctrl_r_puts_them_back(world, open_form):
    plan = a_plan(world)
    async with open_form(PaymentPlanForm(world.ann, world.acme, plan_id=plan)) as ui:
        await ui.fill("#amt-1", "1,000")
        await ui.fill("#amt-2", "2,000")
        await ui.fill("#note", "customer asked for a smaller first month")
        edit_plan(
            world.as_user("bob"),
            plan,
            1,
            300_000,
            equal_schedule(300_000, 3, date(2026, 12, 1), "monthly"),
            note="three months",
        )
        await ui.save()
        assert said(ui)["who"] == "bob"
        assert ui.text("#form-status").endswith("Your own values are beside them: ctrl+r puts them back.")
        # the current values, and the collector's beside them
        assert [ui.value(f"#amt-{n}") for n in (1, 2, 3)] == ["$1,000.00"] * 3
        assert ui.value("#note") == "three months"
        assert ui.text("#note-msg") == "yours: customer asked for a smaller first month"
        assert ui.text("#amt-2-msg") == "yours: $2,000.00"
        assert ui.text("#count-msg") == "yours: 2"
        await ui.press("ctrl+r")
        assert ui.value("#note") == "customer asked for a smaller first month"
        assert [ui.value(f"#amt-{n}") for n in (1, 2)] == ["$1,000.00", "$2,000.00"]
        assert ui.value("#count") == "2" and not ui.form.query("#amt-3")
        assert ui.text("#note-msg") == ""
        await ui.save()  # saved over bob's version 2, knowingly
        assert ui.results == [True]
    assert world.rows("SELECT version, note FROM payment_plans") == [(3, "customer asked for a smaller first month")]
    assert world.rows("SELECT amount_cents FROM plan_instalments ORDER BY seq") == [(100_000,), (200_000,)]


async def test_a_stale_credit_hold_says_who_and_when_and_shows_the_account_as_it_is(world, open_form):
    """Bob held the account while Ann's form still showed it active: Ann is told who and when
    (not just "is credit hold"), the form now offers the release, and her reason is kept."""
    async with open_form(CreditHoldForm(world.ann, world.acme)) as ui:
        assert ui.text("#account-status") == "The account is active. Put on credit hold."
        await ui.fill("#note", "90+ past due")
        credit_hold(world.as_user("bob"), world.acme, 1, note="bob's hold")
        await ui.save()
        assert said(ui)["what"] == f"customer {world.acme}"
        assert said(ui)["who"] == "bob"
        assert ui.text("#account-status") == "The account is credit hold. Release the credit hold."
        assert ui.value("#note") == "90+ past due"
        assert ui.is_open
    assert world.rows("SELECT kind, by FROM account_events") == [("credit_hold", "bob")]


async def test_a_dispute_resolved_meanwhile_says_who_and_when_and_keeps_the_note(world, open_form):
    dispute = open_dispute(world.bob, world.invoices["INV-1002"], 50_000, "pricing")
    async with open_form(DisputeResolveForm(world.ann, world.acme)) as ui:
        await ui.choose("#resolution", "rejected")  # credited also asks for the memo's codes
        await ui.fill("#note", "memo CM-9 covers it")
        resolve_dispute(world.as_user("bob"), dispute, 1, "withdrawn")
        await ui.save()
        assert said(ui)["what"] == f"dispute {dispute}"
        assert ui.text("#dispute-msg") == "the account has no open dispute"
        assert ui.value("#note") == "memo CM-9 covers it"
    assert world.rows("SELECT resolution, resolved_by FROM disputes") == [("withdrawn", "bob")]


async def test_a_memo_decided_meanwhile_says_who_and_when(world, open_form):
    async with open_form(MemoApprovalForm(world.bob, world.acme)) as ui:
        await ui.choose("#decision", "approve")
        await ui.fill("#note", "fine by me")
        [(version,)] = world.rows("SELECT version FROM credit_memos")
        reject_memo(world.as_user("bob"), world.memo, version, "not agreed with sales")
        await ui.save()
        assert said(ui)["what"].startswith("credit memo")
        assert ui.text("#memo-msg") == "no credit memo of this account waits for approval or posting"
        assert ui.value("#note") == "fine by me"
    assert world.rows("SELECT status FROM credit_memos") == [("rejected",)]


async def test_a_cancelled_plan_cancelled_again_says_who_and_when(world, open_form):
    plan = a_plan(world)
    async with open_form(PaymentPlanForm(world.ann, world.acme, plan_id=plan)) as ui:
        await ui.fill("#note", "customer asked to stop")
        edit_plan(world.as_user("bob"), plan, 1, 300_000, equal_schedule(300_000, 2, date(2026, 12, 1), "monthly"))
        await ui.focus("#cancel-plan")
        await ui.press("enter")
        assert said(ui)["who"] == "bob"
        assert ui.text("#note-msg") == "yours: customer asked to stop"
        assert ui.is_open
    assert world.rows("SELECT status FROM payment_plans") == [("active",)]
