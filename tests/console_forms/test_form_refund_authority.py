"""The apply-cash form's refund is held to the refunder's authority limit (issue 14, item 4),
through the one service every refund takes: ann ($500 limit) cannot refund $600 beside an
application, and nothing of the action is written."""

from arctui.console.forms.apply_cash import ApplyCashForm


async def test_a_refund_above_the_limit_is_refused_with_its_application(world, open_form):
    before = world.audit_actions()
    inv2 = world.invoices["INV-1002"]
    async with open_form(ApplyCashForm(world.ann, world.acme)) as ui:
        await ui.fill(f"#alloc-{inv2}", "900")
        await ui.fill("#refund", "600")
        await ui.fill("#note", "overpaid twice")
        await ui.save()
        assert ui.text("#form-status") == (
            "a refund of $600.00 is above ann's limit of $500.00: a lead or manager refunds it. Nothing was saved."
        )
        assert ui.is_open
    assert world.audit_actions() == before
    assert world.rows("SELECT count(*) FROM payment_applications") == [(0,)]
    assert world.rows("SELECT unapplied_cents FROM payments") == [(150_000,)]
