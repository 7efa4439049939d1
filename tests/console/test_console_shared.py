"""A shared book (a file, or a PostgreSQL database): other collectors' commits show up without
losing the cursor or a form."""

from arctui.console.actions import ACTIONS
from arctui.console.screens.queue import QueueScreen
from arctui.services import touchpoints
from tests.console.console_helpers import (
    BOTH_BACKENDS,
    TODAY,
    context,
    keys,
    make_app,
    settle,
    shown,
    table_lines,
    until,
)

pytestmark = BOTH_BACKENDS


def contact_cell(table, customer_id) -> str:
    """The "Cont" (days since contact) column of the account's row."""
    header = table_lines(table)[0]
    start = header.index("Cont")
    for key, line in zip(keys(table), table_lines(table)[1:]):
        if key == customer_id:
            return line[start - 2 : start + 4].strip()
    raise AssertionError(f"account {customer_id} is not on screen")


async def test_another_collectors_commit_refreshes_the_queue_and_keeps_cursor_and_form(book):
    app = make_app(book, refresh_seconds=0.1)
    async with app.run_test(size=(160, 36)) as pilot:
        await pilot.pause()
        queue = app.screen
        table = queue.table
        await pilot.press("j", "j", "j")
        kept = table.cursor_key
        stale = next(r for r in queue.rows[:10] if r.days_since_contact != 0)
        assert contact_cell(table, stale.customer_id) != "0"
        app.push_screen(ACTIONS[0].form(app.ctx, kept))
        await pilot.pause()
        form = app.screen
        # bob, in another console on the same file, calls that account
        touchpoints.log_touchpoint(context(book, "bob"), stale.customer_id, "call", "PIP")
        await settle(pilot, 0.3)
        assert app.screen is form  # the open form is untouched
        assert contact_cell(table, stale.customer_id) == "0"  # contacted today
        assert table.cursor_key == kept  # the cursor stayed on its account
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)


async def test_saving_over_a_newer_change_is_refused_and_the_screens_reload(book):
    from textual.widgets import Input

    from arctui.services import accounts

    app = make_app(book, refresh_seconds=0.1)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        queue = app.screen
        customer_id = next(r.customer_id for r in queue.rows if r.status == "active")
        queue.table.cursor = queue.table.source.index_of(customer_id)
        await pilot.press("h")  # credit hold / release
        await pilot.pause()
        form = app.screen
        form.query_one("#note", Input).value = "over limit"
        await pilot.pause()
        # meanwhile the lead moves the account to bob's portfolio from another console
        accounts.assign_accounts(context(book, "lead"), [customer_id], "bob")
        await pilot.press("ctrl+s")
        await settle(pilot, 0.3)
        assert app.screen is form  # refused: the form stays open with the reason
        assert "changed by lead" in shown(form.query_one("#form-status"))
        (status,) = context(book).db.execute("SELECT status FROM customers WHERE id = ?", [customer_id]).fetchone()
        assert status == "active"  # nothing was saved over the newer version
        assert customer_id not in keys(queue.table)  # the queue behind has reloaded


async def test_the_invoice_view_keeps_its_cursor_on_the_same_invoice(book):
    from arctui.services import cash

    app = make_app(book, refresh_seconds=0.1)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        table = app.screen.table
        await pilot.press(*"jjjjj")
        kept = table.cursor_key
        first_id, customer_id = keys(table)[0]
        (open_cents,) = context(book).db.execute("SELECT open_cents FROM invoices WHERE id = ?", [first_id]).fetchone()
        # bob, elsewhere, applies a payment that closes the oldest invoice of the list
        bob = context(book, "bob")
        payment = cash.record_payment(bob, open_cents, TODAY, "wire", customer_id=customer_id)
        cash.apply_payment(bob, payment, [(first_id, open_cents)], 1)
        await until(pilot, lambda: table.cursor == 4)
        assert table.cursor_key == kept
        assert first_id not in [key[0] for key in keys(table)]
