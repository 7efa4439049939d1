"""The client screen: header, payment trend, timeline newest first, open invoices; on a SQLite
file and on a PostgreSQL book."""

from arctui.console.screens.client import ClientScreen
from arctui.console.widgets.client_header import ClientHeader
from arctui.domain.money import format_money
from arctui.services import touchpoints
from arctui.store.read import invoices as read_invoices
from arctui.store.read import timeline
from tests.console.console_helpers import BOTH_BACKENDS, TODAY, context, make_app, shown, table_lines

pytestmark = BOTH_BACKENDS


async def test_client_screen_shows_header_trend_timeline_and_invoices(book):
    ctx = context(book)
    customer_id = ctx.db.execute(
        "SELECT customer_id FROM invoices WHERE open_cents = 0 AND customer_id IN"
        " (SELECT id FROM customers WHERE owner = 'alice') GROUP BY 1 ORDER BY count(*) DESC"
    ).fetchone()[0]
    touchpoints.log_touchpoint(ctx, customer_id, "call", "LVM", "left a message for AP")
    summary = timeline.account_summary(ctx.db, customer_id)
    app = make_app(book)
    async with app.run_test(size=(140, 44)) as pilot:
        await pilot.pause()
        app.open_client(customer_id)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClientScreen)
        header = shown(screen.query_one(ClientHeader))
        c = summary.customer
        assert f"{c['account_no']} {c['name']}" in header
        assert f"Net {c['terms_days']}" in header
        assert f"exposure {format_money(summary.exposure_cents, c['currency'])}" in header
        trend = read_invoices.payment_trend(ctx.db, customer_id)
        avg = trend.average
        expected = f"Avg {avg:g} days late" if avg >= 0 else f"Avg {-avg:g} days early"
        assert expected in shown(screen.query_one("#trend-label"))
        assert list(screen.query_one("#trend-line").data) == trend.days_late
        lines = table_lines(screen.query_one("#timeline"))
        assert lines[1].startswith(f"{TODAY.isoformat()} call")
        assert "LVM: left a message for AP" in lines[1]
        assert screen.query_one("#timeline").row_count == timeline.count_events(ctx.db, customer_id)
        invoices = screen.query_one("#client-invoices")
        assert invoices.row_count == summary.open_invoices
        first = read_invoices.open_invoices(
            ctx.db, TODAY, read_invoices.InvoiceFilter(customer_id=customer_id), limit=1
        )
        if first:
            assert table_lines(invoices)[1].startswith(first[0].number)
        await pilot.press("tab")
        assert app.focused is invoices
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ClientScreen)
