"""The cash workbench in the console (issue 11): ``C`` from the queue lists every receipt with
unapplied money, oldest first (with no customer too); a collector assigns a customer to a
receipt nobody could place, then applies it split across two invoices, and the rows land."""

from arctui.console.screens.cash import CashPrompt, CashScreen
from arctui.services.cash import record_payment
from arctui.store.read import first, rows
from tests.console.console_helpers import TODAY, context, make_app, shown, until, workbench_at


def _unknown_receipt(path) -> tuple[dict, list[dict], int]:
    """Two owed invoices of one account and a receipt of their open amounts with no customer."""
    ctx = context(path)
    account = first(
        ctx.db,
        "SELECT c.id, c.account_no FROM customers c JOIN invoices i ON i.customer_id = c.id"
        " WHERE i.open_cents > 0 AND i.currency = 'USD' GROUP BY c.id HAVING count(*) >= 2 ORDER BY c.id LIMIT 1",
    )
    invoices = rows(
        ctx.db,
        "SELECT id, number, open_cents FROM invoices WHERE customer_id = ? AND open_cents > 0 ORDER BY due_date, id"
        " LIMIT 2",
        [account["id"]],
    )
    total = sum(i["open_cents"] for i in invoices)
    payment_id = record_payment(ctx, total, TODAY, "wire", remittance="WIRE FROM SOMEONE NOBODY KNOWS")
    return account, invoices, payment_id


async def test_assign_a_customer_then_apply_split_across_two_invoices(book):
    account, invoices, payment_id = _unknown_receipt(book)
    app = make_app(book)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("C")
        await until(pilot, lambda: isinstance(app.screen, CashScreen))
        screen = app.screen
        assert any(r["id"] == payment_id and r["customer_id"] is None for r in screen.rows)
        received = [r["received_date"] for r in screen.rows]
        assert received == sorted(received)  # oldest first
        table = screen.query_one("#cash")
        table.cursor = next(i for i, r in enumerate(screen.rows) if r["id"] == payment_id)
        await pilot.pause()
        assert f"Payment {payment_id}" in shown(screen.query_one("#cash-detail"))
        assert "no customer" in shown(screen.query_one("#status"))

        await pilot.press("c")  # assign a customer
        await until(pilot, lambda: isinstance(app.screen, CashPrompt))
        app.screen.query_one("#cash-account").value = account["account_no"]
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CashScreen))
        assert screen.current()["id"] == payment_id and screen.current()["account_no"] == account["account_no"]
        # the combined open amounts of the account are suggested now it is known
        assert any(s["kind"] == "combined_amount" for s in screen.current()["suggestions"])

        await pilot.press("a")  # apply, split across the two invoices
        await until(pilot, lambda: isinstance(app.screen, CashPrompt))
        first_part = invoices[0]["open_cents"] - 1 if invoices[0]["open_cents"] > 1 else 1
        second_part = 1 if invoices[0]["open_cents"] > 1 else invoices[1]["open_cents"]
        typed = f"{invoices[0]['number']}={first_part / 100:.2f}, {invoices[1]['number']}={second_part / 100:.2f}"
        app.screen.query_one("#cash-invoices").value = typed
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CashScreen))

    db = context(book).db
    payment = first(db, "SELECT * FROM payments WHERE id = ?", [payment_id])
    assert payment["customer_id"] == account["id"]
    applied = rows(
        db,
        "SELECT invoice_id, amount_cents, kind, applied_by FROM payment_applications WHERE payment_id = ? ORDER BY id",
        [payment_id],
    )
    assert applied == [
        {"invoice_id": invoices[0]["id"], "amount_cents": first_part, "kind": "apply", "applied_by": "alice"},
        {"invoice_id": invoices[1]["id"], "amount_cents": second_part, "kind": "apply", "applied_by": "alice"},
    ]
    assert payment["unapplied_cents"] == payment["amount_cents"] - first_part - second_part
    opened = {i["id"]: i["open_cents"] for i in rows(db, "SELECT id, open_cents FROM invoices")}
    assert opened[invoices[0]["id"]] == invoices[0]["open_cents"] - first_part
    steps = [
        r["action"]
        for r in rows(db, "SELECT action FROM audit WHERE entity = 'payments' AND entity_id = ?", [str(payment_id)])
    ]
    assert steps[-2:] == ["payment.assign", "payment.apply"]


async def test_a_refusal_is_said_in_the_prompt_and_nothing_lands(book):
    account, invoices, payment_id = _unknown_receipt(book)
    app = make_app(book)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await workbench_at(pilot, payment_id)
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, CashPrompt))
        await pilot.press("enter")  # no note
        await pilot.pause()
        assert "say why the receipt is parked" in shown(app.screen.query_one("#cash-message"))
        app.screen.query_one("#cash-note").value = "asked the bank for the payer's name"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CashScreen))
        assert screen.current()["parked"]["note"] == "asked the bank for the payer's name"
        assert "parked" in shown(screen.query_one("#cash"))
