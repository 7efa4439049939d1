from dataclasses import replace

from arctui.config import Settings
from arctui.console.forms.credit_memo import CreditMemoForm
from arctui.console.forms.memo_approval import MemoApprovalForm
from arctui.services.credit_memos import Coder, Proposal
from tests.console_forms.conftest import BOTH_BACKENDS


def pricing_coder(context):
    if "price" in context.hint.lower():
        return Proposal("PRICE", "4100", f"the hint mentions a price on {context.invoice['number']}")
    return None


async def test_coder_proposes_reason_and_gl_and_a_memo_within_the_limit_is_approved(world, open_form, memo_coders):
    memo_coders(Coder("house_rules", pricing_coder))
    async with open_form(CreditMemoForm(world.ann, world.acme)) as ui:
        assert ui.text("#proposal") == "No coder proposed a coding: enter the reason and GL code."
        await ui.choose("#invoice", world.invoices["INV-1002"])
        await ui.fill("#amount", "120")
        assert ui.text("#form-check") == "Within your limit of $500.00: approved when saved."
        await ui.fill("#hint", "price agreed in PO")
        assert ui.value("#reason") == "PRICE" and ui.value("#gl") == "4100"
        assert ui.text("#proposal") == (
            "Proposed by house_rules: PRICE / GL 4100 (the hint mentions a price on INV-1002)"
        )
        await ui.save()
        assert ui.results == [True]
    assert world.rows(
        "SELECT amount_cents, reason_code, gl_code, status, prepared_by FROM credit_memos WHERE id <> ?", [world.memo]
    ) == [(12_000, "PRICE", "4100", "approved", "ann")]
    assert world.audit_actions()[-1] == "memo.prepare"


async def test_over_the_limit_says_who_must_approve_and_typed_coding_is_kept(world, open_form, memo_coders):
    memo_coders(Coder("house_rules", pricing_coder))
    async with open_form(CreditMemoForm(world.ann, world.acme)) as ui:
        await ui.choose("#invoice", world.invoices["INV-1003"])
        await ui.fill("#reason", "GOODWILL")
        await ui.fill("#gl", "4200")
        await ui.fill("#hint", "price")
        assert (ui.value("#reason"), ui.value("#gl")) == ("GOODWILL", "4200")
        await ui.fill("#amount", "600")
        assert ui.text("#form-check") == (
            "Above your limit of $500.00: needs approval by a collector whose limit covers $600.00."
        )
        await ui.save()
    assert world.rows("SELECT reason_code, gl_code, status FROM credit_memos WHERE id <> ?", [world.memo]) == [
        ("GOODWILL", "4200", "pending_approval")
    ]


async def test_without_coders_the_coding_is_required(world, open_form, memo_coders):
    before = world.audit_actions()
    async with open_form(CreditMemoForm(world.ann, world.acme)) as ui:
        await ui.choose("#invoice", world.invoices["INV-1001"])
        await ui.fill("#amount", "1,000.01")
        assert ui.text("#amount-msg") == "above the open balance of INV-1001 of $1,000.00"
        await ui.save()
        assert ui.text("#reason-msg") == "required" and ui.text("#gl-msg") == "required"
        assert ui.is_open
    assert world.audit_actions() == before


async def test_the_bundled_rule_coder_proposes_from_the_teams_rule_table(world, open_form, tmp_path):
    rules = tmp_path / "rules.csv"
    rules.write_text("reason_code,gl_code,label,keywords\nfreight,4600,Freight refund,freight;shipping\n")
    ann = replace(world.ann, settings=Settings({"credit_memos": {"rules": str(rules)}}))
    async with open_form(CreditMemoForm(ann, world.acme)) as ui:
        await ui.fill("#hint", "freight charged twice")
        assert (ui.value("#reason"), ui.value("#gl")) == ("freight", "4600")
        assert ui.text("#proposal").startswith("Proposed by rules: freight / GL 4600 (Freight refund")


def broken_coder(context):
    raise KeyError("gl_account")


async def test_a_failing_coder_is_reported_by_plugin_and_the_memo_saves_with_a_manual_coding(
    world, open_form, memo_coders
):
    memo_coders(Coder("house_rules", pricing_coder), Coder("broken", broken_coder))
    async with open_form(CreditMemoForm(world.ann, world.acme)) as ui:
        await ui.choose("#invoice", world.invoices["INV-1002"])
        await ui.fill("#amount", "120")
        await ui.fill("#hint", "damaged in transit")
        assert ui.text("#proposal") == "No coder proposed a coding: enter the reason and GL code."
        assert world.ann.plugins.take_problems()[-1] == (
            "plugin test_coders_0: credit memo coder broken failed: 'gl_account'"
        )
        await ui.fill("#reason", "DAMAGED")
        await ui.fill("#gl", "4300")
        await ui.save()
        assert ui.results == [True]
    assert world.rows("SELECT reason_code, gl_code, status FROM credit_memos WHERE id <> ?", [world.memo]) == [
        ("DAMAGED", "4300", "approved")
    ]


async def test_what_happened_is_kept_as_the_memos_note(world, open_form, memo_coders):
    async with open_form(CreditMemoForm(world.ann, world.acme)) as ui:
        await ui.choose("#invoice", world.invoices["INV-1002"])
        await ui.fill("#amount", "120")
        await ui.fill("#hint", "price agreed in PO 4471")
        await ui.fill("#reason", "PRICE")
        await ui.fill("#gl", "4100")
        await ui.fill("#note", "sales confirmed")
        await ui.save()
        assert ui.results == [True]
    assert world.rows("SELECT note FROM credit_memos WHERE id <> ?", [world.memo]) == [
        ("price agreed in PO 4471\nsales confirmed",)
    ]


@BOTH_BACKENDS
async def test_self_approval_is_refused_with_the_services_message(world, open_form):
    async with open_form(MemoApprovalForm(world.ann, world.acme)) as ui:
        assert ui.value("#memo") == world.memo  # the only memo waiting is chosen already
        await ui.choose("#decision", "approve")
        await ui.save()
        assert ui.text("#form-status") == (
            "ann prepared this credit memo: nobody approves their own credit memo. Nothing was saved."
        )
        assert ui.is_open
    assert world.rows("SELECT status, approved_by FROM credit_memos") == [("pending_approval", None)]


@BOTH_BACKENDS
async def test_another_collector_approves_or_rejects_with_a_note(world, open_form):
    async with open_form(MemoApprovalForm(world.bob, world.acme)) as ui:
        await ui.choose("#decision", "reject")
        assert ui.text("#form-check") == "A rejection needs a note saying why."
        assert ui.form.query_one("#save").disabled
        await ui.choose("#decision", "approve")
        await ui.fill("#note", "agreed with sales")
        await ui.save()
        assert ui.results == [True]
    assert world.rows("SELECT status, approved_by, decision_note FROM credit_memos") == [
        ("approved", "bob", "agreed with sales")
    ]
    assert world.audit_actions()[-1] == "memo.approve"


@BOTH_BACKENDS
async def test_an_approved_memo_is_posted_and_credits_the_invoice(world, open_form):
    async with open_form(MemoApprovalForm(world.bob, world.acme)) as ui:
        await ui.choose("#decision", "post")
        assert ui.text("#form-check") == "This memo is pending approval: it cannot be posted now."
        await ui.choose("#decision", "approve")
        await ui.save()
    open_before = world.rows("SELECT open_cents FROM invoices WHERE id = (SELECT invoice_id FROM credit_memos)")[0][0]
    async with open_form(MemoApprovalForm(world.bob, world.acme)) as ui:
        await ui.choose("#decision", "post")
        await ui.save()
        assert ui.results == [True]
    amount, status = world.rows("SELECT amount_cents, status FROM credit_memos")[0]
    assert status == "posted"
    assert world.rows("SELECT open_cents FROM invoices WHERE id = (SELECT invoice_id FROM credit_memos)") == [
        (open_before - amount,)
    ]
    assert world.audit_actions()[-1] == "memo.post"


async def test_what_happened_reaches_the_memo_and_its_audit_row_from_the_console_keys(world):
    """Issue 13, defect 3 (fixed before): typed through the console's m key, "What happened"
    lands in the memo's note and in the audit row of its preparation."""
    import json

    from tests.console_forms.conftest import KeyHost, burst, until_done

    app = KeyHost(world.ann, world.acme)
    async with app.run_test(size=(120, 45)) as pilot:
        await pilot.pause()
        burst(app, "m", *"1002", "tab", *"120", "tab", *"wrong unit price", "tab", *"PRICE", "tab", *"4100", "ctrl+s")
        await until_done(pilot, lambda: app.results)
    assert app.results == [True]
    [(memo, note)] = world.rows("SELECT id, note FROM credit_memos WHERE id <> ?", [world.memo])
    assert note == "wrong unit price"
    [(after,)] = world.rows("SELECT after FROM audit WHERE action = 'memo.prepare' AND entity_id = ?", [str(memo)])
    assert json.loads(after)[f"credit_memos/{memo}"]["note"] == "wrong unit price"
