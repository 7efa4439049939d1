"""The queue: ranked accounts, the why panel, moving, filtering, a lead's switch; on a SQLite file
and on a PostgreSQL book."""

from arctui.console.screens.client import ClientScreen
from arctui.console.screens.queue import QueueScreen
from arctui.console.widgets.filter_bar import FilterBar
from arctui.console.widgets.why_panel import WhyPanel, factor_name
from arctui.services.queue import build_queue
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


async def test_queue_lists_my_accounts_by_score_with_why(book):
    db = context(book).db
    expected = build_queue(db, TODAY, "alice")
    app = make_app(book)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        table = screen.table
        assert keys(table) == [r.customer_id for r in expected]
        lines = table_lines(table)
        assert lines[0].split() == [
            "Customer",
            "PastDue",
            "0",
            "1-30",
            "31-60",
            "61-90",
            "90+",
            "Old",
            "Cont",
            "Next",
            "Score",
        ]
        top = expected[0]
        assert top.name[:15] in lines[1] and f"{top.score.total:.1f}" in lines[1]
        why = shown(screen.query_one(WhyPanel))
        for component in top.score.components:
            assert f"{component.points:+.1f} {factor_name(component.name)}" in why  # in words (issue 13)
        assert f"{top.score.total:.1f} total" in why
        await pilot.press("j")
        why = shown(screen.query_one(WhyPanel))
        assert expected[1].account_no in screen.query_one(WhyPanel).border_title
        assert f"{expected[1].score.total:.1f}" in why
        assert "accounts" in shown(screen.query_one("#status"))


async def test_keys_move_and_enter_opens_the_client_and_esc_returns(book):
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        table = app.screen.table
        await pilot.press("G")
        assert table.cursor == table.row_count - 1
        await pilot.press("g", "j", "j", "k")
        assert table.cursor == 1
        chosen = table.cursor_key
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen)
        assert app.screen.customer_id == chosen
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
        assert app.screen.table.cursor_key == chosen


async def test_filter_as_you_type_and_by_bucket_then_esc_clears(book):
    db = context(book).db
    everyone = build_queue(db, TODAY, "alice")
    target = everyone[3]
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        table = app.screen.table
        word = target.name.split()[0]
        await pilot.press("slash")
        app.screen.query_one(FilterBar).insert_text_at_cursor(word)
        await until(pilot, lambda: table.row_count < len(everyone))
        found = keys(table)
        assert target.customer_id in found and len(found) < len(everyone)
        assert found == [r.customer_id for r in everyone if word.lower() in r.name.lower()]
        await pilot.press(*" b:90+", "enter")  # enter applies the filter at once
        assert keys(table) == [r.customer_id for r in everyone if r.buckets["90+"] and word.lower() in r.name.lower()]
        await pilot.press("escape")
        await until(pilot, lambda: table.row_count == len(everyone))
        assert keys(table) == [r.customer_id for r in everyone]
        assert app.focused is table


async def test_filter_reports_an_unknown_field_and_value(book):
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        app.screen.query_one(FilterBar).insert_text_at_cursor("colour:red region:mars")
        await pilot.press("enter")
        status = shown(app.screen.query_one("#status"))
        assert "colour: not a filter" in status
        assert "region: mars is not one of" in status


async def test_a_lead_switches_to_the_whole_team_and_a_collector_may_not(book):
    db = context(book).db
    app = make_app(book, user="lead")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert app.screen.collector is None  # the lead owns no accounts: the team is shown
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("j", "j", "enter")  # Whole team, then the collectors by name
        await settle(pilot)
        chosen = app.screen.collector
        assert chosen in {"alice", "bob", "carol"}
        assert keys(app.screen.table) == [r.customer_id for r in build_queue(db, TODAY, chosen)]
        assert app.screen.title.endswith(f"{chosen}'s queue")
    app = make_app(book, user="alice")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
        assert any("team lead" in n.message for n in app._notifications)


async def test_the_mouse_works_a_click_moves_and_a_double_click_opens(book):
    app = make_app(book)
    async with app.run_test(size=(140, 36)) as pilot:
        await pilot.pause()
        table = app.screen.table
        await pilot.click("#queue", offset=(5, 3))  # header is line 0: row index 2
        assert table.cursor == 2
        chosen = table.cursor_key
        await pilot.click("#queue", offset=(5, 3), times=2)
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen) and app.screen.customer_id == chosen


async def test_a_login_that_is_no_collector_sees_the_team_with_a_warning(book):
    db = context(book).db
    app = make_app(book, user="visitor")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert app.screen.collector is None
        assert keys(app.screen.table) == [r.customer_id for r in build_queue(db, TODAY, None)]
        (warning,) = [n for n in app._notifications if n.severity == "warning"]
        assert "visitor is not a collector here" in warning.message


async def test_a_plan_for_the_whole_past_due_balance_shows_in_the_why_panel(book):
    """Issue 13, defect 7: a colleague's plan for the top account's past-due invoices moves it
    down the queue and the why-panel says it is on a plan."""
    from arctui.domain.plans import equal_schedule
    from arctui.services.plans import create_plan
    from arctui.store.read import rows

    app = make_app(book, refresh_seconds=0.2)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        top = screen.table.cursor_key
        assert "On a payment plan" not in shown(screen.query_one(WhyPanel))
        colleague = context(book)
        past_due = rows(
            colleague.db,
            "SELECT id, open_cents FROM invoices WHERE customer_id = ? AND open_cents > 0 AND due_date < ?",
            [top, TODAY.isoformat()],
        )
        total = sum(r["open_cents"] for r in past_due)
        schedule = equal_schedule(total, 6, TODAY.replace(day=28), "monthly")
        create_plan(colleague, top, total, schedule, "monthly", invoice_ids=[r["id"] for r in past_due])
        await until(
            pilot, lambda: screen.table.cursor_key != top or "On a payment plan" in shown(screen.query_one(WhyPanel))
        )
        rank = keys(screen.table).index(top)
        assert rank > 0, "the account on a plan is no longer first"
        screen.table.cursor = rank
        await settle(pilot)
        assert "-30.0 On a payment plan" in shown(screen.query_one(WhyPanel))
