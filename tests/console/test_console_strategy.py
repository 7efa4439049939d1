"""The client screen shows the account's collection strategy and its next dunning step; z pauses it."""

from textual import events
from textual.geometry import Region

from arctui.console.forms.dunning_pause import DunningPauseForm
from arctui.console.screens.client import ClientScreen
from arctui.console.widgets.client_header import ClientHeader
from arctui.services.dunning import account_outlook
from tests.console.console_helpers import context, make_app, table_lines


def framed(widget) -> str:
    """The widget as it is on screen with its frame: the outlook is in the bottom border."""
    lines = widget.render_lines(Region(0, 0, widget.outer_size.width, widget.outer_size.height))
    return "\n".join(line.text.rstrip() for line in lines)


async def test_the_client_screen_shows_the_strategy_and_next_step_and_a_pause(book):
    ctx = context(book)
    customer_id = ctx.db.execute(
        "SELECT c.id FROM customers c JOIN invoices i ON i.customer_id = c.id"
        " WHERE c.owner = 'alice' AND c.status = 'active' AND i.open_cents > 0 AND i.due_date < '2026-11-01'"
        " AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.customer_id = c.id AND d.status = 'open')"
        " AND NOT EXISTS (SELECT 1 FROM promises p WHERE p.customer_id = c.id AND p.status = 'open')"
        " AND NOT EXISTS (SELECT 1 FROM payment_plans p WHERE p.customer_id = c.id AND p.status = 'active')"
        " ORDER BY c.id LIMIT 1"
    ).fetchone()[0]
    app = make_app(book)
    async with app.run_test(size=(160, 44)) as pilot:
        await pilot.pause()
        app.open_client(customer_id)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClientScreen)
        header = framed(screen.query_one(ClientHeader))
        step = account_outlook(ctx, customer_id).decision.step  # the sample's account is due a step today
        assert f"strategy default · due now: {step} by email" in header
        await pilot.press("z")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DunningPauseForm)
        for field, text in (("#until", "2026-12-15"), ("#reason", "restructuring")):
            form.query_one(field).focus()
            await pilot.pause()
            form.query_one(field).post_message(events.Paste(text))
            await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        header = framed(screen.query_one(ClientHeader))
        assert "strategy default · no reminder: paused until 2026-12-15: restructuring" in header
        assert (
            "2026-11-23 pause       Reminders paused until 2026-12-15: restructuring"
            in table_lines(screen.query_one("#timeline"))[1]
        )
