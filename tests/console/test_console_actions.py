"""The actions are wired: keys on the queue and client screens, help, the palette. A call and a
promise, saved as a collector does every day, on a SQLite file and on a PostgreSQL book."""

import pytest
from textual.widgets import Input, Select

from arctui.console.actions import ACTIONS
from arctui.console.screens.client import ClientScreen
from arctui.console.screens.help import HelpScreen
from arctui.console.screens.queue import QueueScreen
from tests.console.console_helpers import (
    BOTH_BACKENDS,
    context,
    make_app,
    pick_in_palette,
    settle,
    shown,
    table_lines,
    until,
)


def test_the_forms_package_lists_actions():
    assert ACTIONS, "the forms package lists no actions"
    assert len({a.key for a in ACTIONS}) == len(ACTIONS)


@pytest.mark.parametrize("action", ACTIONS, ids=[a.label for a in ACTIONS])
async def test_each_action_key_opens_its_form_on_the_highlighted_account(book, action):
    app = make_app(book)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("j")
        customer_id = app.screen.table.cursor_key
        await pilot.press(action.key)
        await pilot.pause()
        assert type(app.screen) is action.form, action.label
        assert app.screen.customer_id == customer_id
        app.screen.dismiss(False)
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)


@BOTH_BACKENDS
async def test_logging_a_call_from_the_client_screen_lands_and_shows(book):
    app = make_app(book)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        customer_id = app.screen.table.cursor_key
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen)
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        form.query_one("#outcome", Select).value = "PIP"
        form.query_one("#note", Input).value = "cheque in the post"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen)
        row = (
            context(book)
            .db.execute(
                "SELECT kind, outcome_code, note, by FROM touchpoints WHERE customer_id = ? ORDER BY id DESC LIMIT 1",
                [customer_id],
            )
            .fetchone()
        )
        assert row == ("call", "PIP", "cheque in the post", "alice")
        assert "PIP: cheque in the post" in table_lines(app.screen.query_one("#timeline"))[1]
        await pilot.press("escape")
        await settle(pilot)
        queue = app.screen
        row = next(r for r in queue.rows if r.customer_id == customer_id)
        assert row.days_since_contact == 0  # the queue was reloaded after the save


@BOTH_BACKENDS
async def test_a_promise_recorded_from_the_queue_lands_and_the_queue_shows_it_next(book):
    from datetime import date

    app = make_app(book)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        queue = app.screen
        row = next(r for r in queue.rows if r.currency == "USD" and not r.next_action.startswith("promise"))
        queue.table.cursor = queue.table.source.index_of(row.customer_id)
        await pilot.press("p")
        await until(pilot, lambda: type(app.screen) is next(a.form for a in ACTIONS if a.key == "p"))
        form = app.screen
        form.query_one("#amount", Input).value = "250"
        form.query_one("#date", Input).value = "2026-11-24"  # tomorrow: before any follow-up planned
        form.query_one("#note", Input).value = "CFO confirmed"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is queue)
        await settle(pilot)
        shown_row = next(r for r in queue.rows if r.customer_id == row.customer_id)
        assert (shown_row.next_action_date, shown_row.next_action) == (date(2026, 11, 24), "promise $250.00")
    promise = (
        context(book)
        .db.execute(
            "SELECT amount_cents, promised_date, status, note, created_by FROM promises"
            " WHERE customer_id = ? ORDER BY id DESC LIMIT 1",
            [row.customer_id],
        )
        .fetchone()
    )
    assert promise == (25_000, "2026-11-24", "open", "CFO confirmed", "alice")
    last = context(book).db.execute("SELECT action, actor FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    assert last == ("promise.record", "alice")


async def test_help_lists_every_key_of_the_screen_including_actions(book):
    app = make_app(book)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = shown(app.screen.query_one("#help Static"))
        for label in ("Filter", "Invoices", "Whose queue", "Down", "Open", "Help", "Quit", *(a.label for a in ACTIONS)):
            assert label in text, label
        down = next(line for line in text.splitlines() if line.rstrip().endswith("Down"))
        assert "j" in down.split()[1] or "j" in down.split()[0]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)


async def test_palette_runs_an_action_by_name(book):
    app = make_app(book)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        customer_id = app.screen.table.cursor_key
        await pilot.press("ctrl+p")
        await pick_in_palette(pilot, "promise to pay")
        promise = next(a for a in ACTIONS if a.label == "Promise to pay")
        await until(pilot, lambda: type(app.screen) is promise.form)
        assert app.screen.customer_id == customer_id
