"""The apply-cash form's refund is held to the refunder's authority limit (issue 14, item 4),
through the one service every refund takes: ann ($500 limit) refunding $600 beside an
application applies the cash and requests the refund, its money held for a lead or manager."""

from arctui.console.forms.apply_cash import ApplyCashForm


async def test_a_refund_above_the_limit_is_requested_beside_its_application(world, open_form):
    inv2 = world.invoices["INV-1002"]
    async with open_form(ApplyCashForm(world.ann, world.acme)) as ui:
        await ui.fill(f"#alloc-{inv2}", "900")
        await ui.fill("#refund", "600")
        await ui.fill("#note", "overpaid twice")
        await ui.save()
        assert not ui.is_open
    assert world.audit_actions()[-1] == "payment.apply_and_refund_request"
    assert world.rows("SELECT kind, amount_cents FROM payment_applications") == [("apply", 90_000)]
    assert world.rows("SELECT unapplied_cents FROM payments") == [(60_000,)]
    assert world.rows("SELECT amount_cents, status, requested_by FROM refund_requests") == [
        (60_000, "pending_approval", "ann")
    ]
