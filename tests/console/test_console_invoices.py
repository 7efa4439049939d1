"""The invoice view: every open invoice, virtual, sortable, filterable; enter opens the client."""

from arctui.console.screens.client import ClientScreen
from arctui.console.screens.invoices import InvoicesScreen
from arctui.console.widgets.filter_bar import FilterBar
from arctui.store.read import invoices as read_invoices
from arctui.store.read.invoices import InvoiceFilter
from tests.console.console_helpers import TODAY, context, make_app, shown, table_lines, until


async def test_invoice_view_pages_sorts_and_filters(book):
    db = context(book).db
    mine = InvoiceFilter(collector="alice")
    app = make_app(book)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InvoicesScreen)
        table = screen.table
        total = read_invoices.count_open(db, TODAY, mine)
        assert table.row_count == total
        assert f"{total:,} open invoices" in shown(screen.query_one("#status"))
        oldest = read_invoices.open_invoices(db, TODAY, mine, limit=1)[0]
        assert table_lines(table)[1].startswith(oldest.number)
        assert len(table._pages) == 1  # only the first window was read
        await pilot.press("G")
        newest = read_invoices.open_invoices(db, TODAY, mine, offset=total - 1, limit=1)[0]
        assert table.cursor_key == (newest.id, newest.customer_id)
        assert newest.number in "\n".join(table_lines(table))
        await pilot.press("s")  # by open amount, smallest first
        smallest = read_invoices.open_invoices(db, TODAY, mine, sort="amount", limit=1)[0]
        assert table.cursor == 0 and table.cursor_key[0] == smallest.id
        await pilot.press("r")
        largest = read_invoices.open_invoices(db, TODAY, mine, sort="amount", descending=True, limit=1)[0]
        assert table.cursor_key[0] == largest.id
        assert "largest first" in shown(screen.query_one("#status"))
        await pilot.press("slash")
        screen.query_one(FilterBar).insert_text_at_cursor(oldest.number)
        await pilot.press("enter")
        assert table.row_count == 1 and table.cursor_key[0] == oldest.id
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen)
        assert app.screen.customer_id == oldest.customer_id


async def test_escape_clears_the_filter_first_then_goes_back(book):
    app = make_app(book)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        table = app.screen.table
        everything = table.row_count
        await pilot.press("slash")
        app.screen.query_one(FilterBar).insert_text_at_cursor("b:90+")
        await pilot.press("enter")  # keep the filter, back to the table
        assert 0 < table.row_count < everything
        assert app.focused is table
        await pilot.press("escape")
        await until(pilot, lambda: table.row_count == everything)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, InvoicesScreen)
