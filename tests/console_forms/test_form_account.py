from arctui.console.forms.credit_hold import CreditHoldForm
from arctui.console.forms.escalate import EscalateForm
from arctui.console.forms.escalation_decision import EscalationDecisionForm
from arctui.services.accounts import credit_hold, escalate, release_hold
from arctui.services.escalations import decide_escalation


async def test_puts_an_active_account_on_hold_then_releases_it(world, open_form):
    async with open_form(CreditHoldForm(world.ann, world.acme)) as ui:
        assert ui.text("#account-status") == "The account is active. Put on credit hold."
        await ui.fill("#note", "90+ past due")
        await ui.save()
        assert ui.results == [True]
    async with open_form(CreditHoldForm(world.ann, world.acme)) as ui:
        assert ui.text("#account-status") == "The account is credit hold. Release the credit hold."
        await ui.fill("#note", "paid INV-1003")
        await ui.save()
        assert ui.results == [True]
    assert world.rows("SELECT status, version FROM customers WHERE id = ?", [world.acme]) == [("active", 3)]
    assert world.rows("SELECT kind, note, by FROM account_events ORDER BY id") == [
        ("credit_hold", "90+ past due", "ann"),
        ("release", "paid INV-1003", "ann"),
    ]
    assert world.audit_actions()[-2:] == ["account.credit_hold", "account.release"]


async def test_a_hold_over_a_newer_change_is_refused_and_the_form_reloads(world, open_form):
    async with open_form(CreditHoldForm(world.ann, world.acme)) as ui:
        await ui.fill("#note", "90+ past due")
        bob = world.as_user("bob")
        credit_hold(bob, world.acme, 1, note="bob's hold")
        release_hold(bob, world.acme, 2, note="bob's release")
        await ui.save()
        status = ui.text("#form-status")
        assert status.startswith(
            "customer 1 was changed by bob at 2026-11-23T09:00:00Z (now version 3,"
            " you edited version 1); reload and try again."
        )
        assert status.endswith("Nothing was saved; the form now shows the current values: check them and save again.")
        assert ui.is_open
        await ui.save()  # the reloaded version saves
        assert ui.results == [True]
    assert world.rows("SELECT status, version FROM customers WHERE id = ?", [world.acme]) == [("credit_hold", 4)]
    assert world.rows("SELECT by, note FROM account_events ORDER BY id DESC LIMIT 1") == [("ann", "90+ past due")]


async def test_a_hold_needs_a_reason(world, open_form):
    async with open_form(CreditHoldForm(world.ann, world.acme)) as ui:
        await ui.save()
        assert ui.text("#note-msg") == "required"
        assert ui.is_open
    assert world.rows("SELECT count(*) FROM account_events") == [(0,)]


async def test_recommends_outside_collections_and_the_lead_approves_it(world, open_form):
    async with open_form(EscalateForm(world.ann, world.acme)) as ui:
        await ui.choose("#kind", "outside_collections")
        await ui.fill("#note", "no answer in 60 days")
        assert ui.text("#form-check") == "Outside collections names the agency the account is placed with."
        await ui.fill("#agency", "Acme Recovery")
        assert ui.text("#form-check") == (
            "A recommendation: the account changes once a lead or manager other than you approves it."
        )
        await ui.fill("#placed", "5000")
        await ui.save()
        assert ui.results == [True]
    assert world.rows("SELECT status FROM customers WHERE id = ?", [world.acme]) == [("active",)]
    assert world.rows("SELECT kind, agency, placed_cents, status FROM escalations") == [
        ("outside_collections", "Acme Recovery", 500_000, "recommended")
    ]
    assert world.audit_actions()[-1] == "escalation.recommend.outside_collections"
    async with open_form(EscalationDecisionForm(world.ann, world.acme)) as ui:
        await ui.choose("#decision", "approve")
        await ui.save()  # ann is no lead: refused in the form, nothing written
        assert ui.text("#form-status").startswith("ann is not a lead or manager")
    async with open_form(EscalationDecisionForm(world.bob, world.acme)) as ui:
        assert ui.value("#escalation") is not None  # the lone recommendation is chosen already
        await ui.choose("#decision", "approve")
        await ui.save()
        assert ui.results == [True]
    assert world.rows("SELECT status FROM customers WHERE id = ?", [world.acme]) == [("outside_collections",)]
    assert world.rows("SELECT status, decided_by FROM escalations") == [("approved", "bob")]


async def test_an_escalation_over_a_newer_change_is_refused_and_nothing_is_written(world, open_form):
    async with open_form(EscalateForm(world.ann, world.acme)) as ui:
        await ui.choose("#kind", "management")
        await ui.fill("#note", "promised twice, paid nothing")
        credit_hold(world.as_user("bob"), world.acme, 1, note="bob's hold")
        await ui.save()
        assert ui.text("#form-status").startswith("customer 1 was changed by bob")
        assert ui.is_open
    assert world.rows("SELECT kind FROM account_events") == [("credit_hold",)]


async def test_a_suspended_account_is_neither_held_nor_released(world, open_form):
    recommendation = escalate(world.ann, world.acme, "suspension", note="services stopped", version=1)
    decide_escalation(world.bob, recommendation, 1, approve=True)
    async with open_form(CreditHoldForm(world.ann, world.acme)) as ui:
        assert ui.text("#account-status") == "The account is suspended. Neither hold nor release applies."
        await ui.fill("#note", "try anyway")
        assert ui.text("#form-check") == "A suspended account is neither held nor released here."
        await ui.save()
        assert ui.is_open
    assert world.rows("SELECT kind FROM account_events") == [("escalation",)]
