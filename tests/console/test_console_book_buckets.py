"""The console with a book's own aging buckets (0/15/30/60/90/120): the queue's columns and
bucket filter, the client header's aging, the invoice list's bucket column and filter."""

from datetime import date

import pytest

from arctui.console import cells
from arctui.console.screens.client import ClientScreen
from arctui.console.screens.help import HelpScreen
from arctui.console.screens.invoices import InvoicesScreen
from arctui.console.widgets.client_header import ClientHeader
from arctui.console.widgets.filter_bar import FilterBar
from arctui.services.aging import set_aging_buckets
from arctui.services.context import Context, fixed_clock
from arctui.services.queue import build_queue
from tests.console.console_helpers import TODAY, context, keys, make_app, settle, shown, table_lines, until
from tests.enrol import enrol

NAMES = ("current", "1-15", "16-30", "31-60", "61-90", "91-120", "120+")
BOUNDS = (0, 15, 30, 60, 90, 120)


def bucket_of(days: int) -> str:
    for name, high in zip(NAMES, BOUNDS):
        if days <= high:
            return name
    return NAMES[-1]


@pytest.fixture
def custom(book):
    """The small book with its buckets set to 0/15/30/60/90/120 by a manager."""
    db = context(book).db
    enrol(db, "mia", "Mia Manager", role="manager")
    set_aging_buckets(Context(db, "mia", fixed_clock(TODAY)), "0,15,30,60,90,120")
    db.close()
    return book


def aging(db, customer_id: int) -> dict[str, int]:
    """The account's open cents per bucket, added up here from its invoices."""
    totals = dict.fromkeys(NAMES, 0)
    for due, cents in db.execute(
        "SELECT due_date, open_cents FROM invoices WHERE customer_id = ? AND open_cents <> 0", [customer_id]
    ):
        totals[bucket_of((TODAY - date.fromisoformat(due)).days)] += cents
    return totals


async def test_the_queue_shows_and_filters_by_the_books_buckets(custom):
    db = context(custom).db
    queue = build_queue(db, TODAY, "alice")
    app = make_app(custom)
    async with app.run_test(size=(170, 40)) as pilot:
        await settle(pilot)
        table = app.screen.table
        lines = table_lines(table)
        assert lines[0].split()[:10] == ["Customer", "Account", "PastDue", "0", *NAMES[1:]]
        for n, row in enumerate(queue[:8]):
            amounts = aging(db, row.customer_id)
            assert sum(amounts.values()) == row.exposure_cents
            key, shown_cells = table.row(n)
            assert key == row.customer_id
            assert {name: shown_cells[name] for name in NAMES} == {
                name: cells.compact_money(cents, row.currency) for name, cents in amounts.items()
            }
        await pilot.press("slash")
        app.screen.query_one(FilterBar).insert_text_at_cursor("b:16-30")
        await pilot.press("enter")
        want = [r.customer_id for r in queue if aging(db, r.customer_id)["16-30"]]
        assert 0 < len(want) < len(queue)
        await until(pilot, lambda: keys(table) == want)
        await pilot.press("escape")
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert "1-15 … 120+" in shown(app.screen.query_one("#help Static"))


async def test_the_client_header_shows_the_accounts_aging_in_the_books_buckets(custom):
    db = context(custom).db
    chosen = next(r for r in build_queue(db, TODAY, "alice") if aging(db, r.customer_id)["16-30"])
    app = make_app(custom)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        app.open_client(chosen.customer_id)
        await until(pilot, lambda: isinstance(app.screen, ClientScreen))
        await settle(pilot)
        header = " ".join(shown(app.screen.query_one(ClientHeader)).replace("│", " ").split())
        amounts = aging(db, chosen.customer_id)
        want = " · ".join(f"{name} {cells.money(cents, chosen.currency)}" for name, cents in amounts.items() if cents)
        assert f"aging {want}" in header
        assert "16-30" in want


async def test_the_invoice_list_shows_and_filters_by_the_books_buckets(custom):
    app = make_app(custom)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, InvoicesScreen))
        table = app.screen.table
        await pilot.press("slash")
        app.screen.query_one(FilterBar).insert_text_at_cursor("b:91-120")
        await pilot.press("enter")
        await settle(pilot)
        db = context(custom).db
        want = db.execute(
            "SELECT count(*) FROM invoices i JOIN customers c ON c.id = i.customer_id"
            " WHERE c.owner = 'alice' AND i.open_cents <> 0 AND i.due_date BETWEEN ? AND ?",
            [
                date.fromordinal(TODAY.toordinal() - 120).isoformat(),
                date.fromordinal(TODAY.toordinal() - 91).isoformat(),
            ],
        ).fetchone()[0]
        assert table.row_count == want > 0
        rows = [line for line in table_lines(table)[1:] if line.strip()]
        assert rows and all(" 91-120 " in line for line in rows)
        await pilot.press("slash")
        app.screen.query_one(FilterBar).clear()
        app.screen.query_one(FilterBar).insert_text_at_cursor("b:1-30")
        await pilot.press("enter")
        status = " ".join(shown(app.screen.query_one("#status")).split())
        assert "bucket: 1-30 is not one of current, 1-15, 16-30, 31-60, 61-90, 91-120, 120+" in status


async def test_open_screens_follow_buckets_a_manager_changes_meanwhile(book):
    db = context(book).db
    enrol(db, "mia", "Mia Manager", role="manager")
    app = make_app(book)
    async with app.run_test(size=(170, 40)) as pilot:
        await settle(pilot)
        queue = app.screen
        assert table_lines(queue.table)[0].split()[3:8] == ["0", "1-30", "31-60", "61-90", "90+"]
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, InvoicesScreen))
        await pilot.press("slash")
        app.screen.query_one(FilterBar).insert_text_at_cursor("b:1-30")
        await pilot.press("enter")
        set_aging_buckets(Context(db, "mia", fixed_clock(TODAY)), "0,15,30,60,90,120")
        app.check_for_changes()
        await settle(pilot)
        status = " ".join(shown(app.screen.query_one("#status")).split())
        assert "bucket: 1-30 is not one of current, 1-15, 16-30" in status
        assert (
            app.screen.table.row_count
            == context(book)
            .db.execute(
                "SELECT count(*) FROM invoices i JOIN customers c ON c.id = i.customer_id"
                " WHERE c.owner = 'alice' AND i.open_cents <> 0"
            )
            .fetchone()[0]
        )
        await pilot.press("escape", "escape")
        await until(pilot, lambda: app.screen is queue)
        await settle(pilot)
        assert table_lines(queue.table)[0].split()[3:10] == ["0", *NAMES[1:]]
