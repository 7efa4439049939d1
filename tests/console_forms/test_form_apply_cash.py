from arctui.console.forms.apply_cash import ApplyCashForm
from arctui.services.cash import refund_payment
from tests.console_forms.conftest import BOTH_BACKENDS

pytestmark = BOTH_BACKENDS


async def test_prefills_from_the_remittance_and_applies_with_a_refund(world, open_form):
    inv2, inv3 = world.invoices["INV-1002"], world.invoices["INV-1003"]
    async with open_form(ApplyCashForm(world.ann, world.acme)) as ui:
        assert ui.text("#remittance") == "Remittance: INV-1002 part payment"
        assert ui.value("#apply_to") == [inv2]
        assert ui.value(f"#alloc-{inv2}") == "$1,500.00"
        assert ui.text("#form-check") == (
            "Unapplied $1,500.00 − applied $1,500.00 − refunded $0.00 = $0.00 left unapplied"
        )
        await ui.fill(f"#alloc-{inv2}", "1,000")
        await ui.toggle("#apply_to", inv3)
        await ui.press()
        assert ui.value(f"#alloc-{inv3}") == "$500.00"  # what is left of the payment
        await ui.fill(f"#alloc-{inv3}", "300")
        await ui.fill("#refund", "200")
        assert ui.text("#form-check") == (
            "Unapplied $1,500.00 − applied $1,300.00 − refunded $200.00 = $0.00 left unapplied"
        )
        await ui.fill("#note", "overpaid freight")
        await ui.save()
        assert ui.results == [True]
    assert world.rows("SELECT invoice_id, kind, amount_cents FROM payment_applications ORDER BY kind, invoice_id") == [
        (inv2, "apply", 100_000),
        (inv3, "apply", 30_000),
        (None, "refund", 20_000),
    ]
    assert world.rows("SELECT unapplied_cents, version FROM payments") == [(0, 2)]  # one save
    assert world.rows("SELECT number, open_cents FROM invoices WHERE id IN (?, ?) ORDER BY id", [inv2, inv3]) == [
        ("INV-1002", 150_000),
        ("INV-1003", 370_000),
    ]
    actions = world.audit_actions()
    assert actions[-1] == "payment.apply_and_refund" and "payment.refund" not in actions


async def test_more_than_the_unapplied_cash_is_refused_live(world, open_form):
    before = world.audit_actions()
    inv1 = world.invoices["INV-1001"]
    async with open_form(ApplyCashForm(world.ann, world.acme)) as ui:
        await ui.toggle("#apply_to", inv1)
        await ui.press()
        assert ui.value(f"#alloc-{inv1}") == ""  # nothing of the payment is left for it
        await ui.fill(f"#alloc-{inv1}", "1,000.01")
        assert ui.text(f"#alloc-{inv1}-msg") == "above the open balance of INV-1001 of $1,000.00"
        await ui.fill(f"#alloc-{inv1}", "1,000")
        assert ui.text("#form-check") == "$2,500.00 is more than the payment's unapplied $1,500.00."
        assert ui.form.query_one("#save").disabled
        await ui.save()
        assert ui.is_open
    assert world.audit_actions() == before
    assert world.rows("SELECT count(*) FROM payment_applications") == [(0,)]


async def test_a_payment_changed_meanwhile_is_refused_and_reloaded(world, open_form):
    async with open_form(ApplyCashForm(world.ann, world.acme)) as ui:
        refund_payment(world.as_user("bob"), world.payment, 100_000, note="bob refunded", version=1)
        await ui.save()
        assert ui.text("#form-status").startswith(f"payment {world.payment} was changed by bob")
        assert ui.text("#form-check") == ("$1,500.00 is more than the payment's unapplied $500.00.")
        assert ui.is_open
    assert world.rows("SELECT count(*) FROM payment_applications WHERE kind = 'apply'") == [(0,)]
