"""Refunds above authority in the console (issue 14, item 4): a collector's refund above their
limit from the cash workbench (``C``, ``r``) becomes a request and its money is held; the lead
finds it in the inbox (``I``), ``enter`` opens its decision, and approving makes the refund."""

from arctui.console.forms.refund_decision import RefundDecisionForm
from arctui.console.screens.cash import CashPrompt, CashScreen
from arctui.console.screens.inbox import InboxScreen
from arctui.services.cash import record_payment
from arctui.store.read import first, value
from tests.console.console_helpers import TODAY, context, make_app, shown, table_lines, until, workbench_at


def _receipt_above_alices_limit(path) -> tuple[int, int]:
    """A receipt on one of alice's dollar accounts of $100 more than her authority limit."""
    alice = context(path, "alice")
    limit = value(alice.db, "SELECT memo_limit_cents FROM collectors WHERE id = 'alice'")
    account = first(alice.db, "SELECT id FROM customers WHERE owner = 'alice' AND currency = 'USD' ORDER BY id")
    cents = limit + 10_000
    return record_payment(alice, cents, TODAY, "wire", customer_id=account["id"], remittance="OVERPAID"), cents


async def test_a_refund_above_the_limit_is_requested_in_the_workbench_and_approved_from_the_inbox(book):
    payment_id, cents = _receipt_above_alices_limit(book)
    app = make_app(book, user="alice")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await workbench_at(pilot, payment_id)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, CashPrompt))
        app.screen.query_one("#cash-note").value = "paid twice: back to their bank"
        await pilot.press("enter", "enter")  # the whole receipt, as prefilled; the note; saved
        await until(pilot, lambda: isinstance(app.screen, CashScreen))
        assert "held for a refund request waiting for a decision" in shown(screen.query_one("#cash-detail"))
    db = context(book).db
    request = first(db, "SELECT id, amount_cents, status, requested_by FROM refund_requests")
    assert request == {"id": 1, "amount_cents": cents, "status": "pending_approval", "requested_by": "alice"}
    assert value(db, "SELECT count(*) FROM payment_applications WHERE payment_id = ?", [payment_id]) == 0

    app = make_app(book, user="lead")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("I")
        await until(pilot, lambda: isinstance(app.screen, InboxScreen))
        inbox = app.screen
        assert "1 refund to approve" in shown(inbox.query_one("#status"))
        row = next(i for i, item in enumerate(inbox.items) if item["key"] == ("refund", 1))
        inbox.query_one("#inbox").cursor = row
        await pilot.pause()
        line = next(t for t in table_lines(inbox.query_one("#inbox")) if t.startswith("Refund"))
        assert f"payment {payment_id} by alice: paid twice" in line
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, RefundDecisionForm))
        form = app.screen
        assert form.raw("request") == 1  # the line's request, chosen already
        form.query_one("#decision").value = "approve"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, InboxScreen))
        assert all(item["kind"] != "refund" for item in inbox.items)
    assert db.execute(
        "SELECT kind, amount_cents, applied_date, applied_by FROM payment_applications WHERE payment_id = ?",
        [payment_id],
    ).fetchall() == [("refund", cents, TODAY.isoformat(), "lead")]
    assert db.execute("SELECT status, decided_by FROM refund_requests").fetchall() == [("refunded", "lead")]
    assert value(db, "SELECT action FROM audit ORDER BY id DESC LIMIT 1") == "refund.approve"
