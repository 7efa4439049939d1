"""A lead's inbox (issue 13, defect 9): ``I`` from the queue lists what waits for a lead's
decision, each line opens its account, where ``M`` approves a memo; a collector is told the
inbox is for leads. On a SQLite file and on a PostgreSQL book."""

import pytest

from arctui.console.screens.client import ClientScreen
from arctui.console.screens.inbox import InboxScreen
from arctui.console.screens.queue import QueueScreen
from arctui.services import credit_memos
from arctui.services.context import Context, fixed_clock
from arctui.store.connection import connect
from arctui.store.read import first
from tests.console.conftest import book_copy
from tests.console.console_helpers import BOTH_BACKENDS, make_app, pick_in_palette, shown, table_lines, until
from tests.console.inbox_book import add_inbox_items
from tests.console.snapshot_book import TODAY, make_snapshot_book


@pytest.fixture(scope="module")
def lead_book(tmp_path_factory):
    path = tmp_path_factory.mktemp("inbox") / "book.db"
    make_snapshot_book(path)
    add_inbox_items(path)
    return path


@pytest.fixture
def book(lead_book, tmp_path, monkeypatch, request):
    monkeypatch.setenv("ARCTUI_STATE_DIR", str(tmp_path / "state"))
    return book_copy(lead_book, request, tmp_path)


@BOTH_BACKENDS
async def test_a_lead_sees_each_kind_and_enter_opens_the_account(book):
    app = make_app(book, user="lead")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("I")
        await until(pilot, lambda: isinstance(app.screen, InboxScreen))
        table = app.screen.query_one("#inbox")
        lines = table_lines(table)[1 : table.row_count + 1]
        assert [line[:14].strip() for line in lines] == [
            "Approve memo",
            "Dispute due",
            "Escalated",
            "Broken promise",
        ]
        assert [line[15:22] for line in lines] == ["C000004", "C000008", "C000005", "C000006"]
        assert "CM-" in lines[0] and "by alice" in lines[0]
        assert "open 45 days" in lines[1] and "wants an agency" in lines[2] and "nothing paid" in lines[3]
        status = shown(app.screen.query_one("#status"))
        assert "1 memo to approve" in status and "1 broken promise" in status
        await pilot.press("j", "j", "enter")  # the escalation
        await until(pilot, lambda: isinstance(app.screen, ClientScreen))
        assert (
            app.screen.customer_id == first(app.ctx.db, "SELECT id FROM customers WHERE account_no = 'C000005'")["id"]
        )
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, InboxScreen))
        assert app.screen.query_one("#inbox").cursor == 2


@BOTH_BACKENDS
async def test_a_lead_approves_the_memo_from_the_inbox_and_it_leaves_the_inbox(book):
    from textual.widgets import Input

    from arctui.console.forms.memo_approval import MemoApprovalForm
    from arctui.services.accounts import save_collector
    from tests.enrol import enrol

    manager = Context(connect(book), "maria", fixed_clock(TODAY))  # gives the lead a $5,000 limit
    enrol(manager.db, "maria", "Maria Manager", role="manager", memo_limit_cents=10_000_000)
    save_collector(manager, "lead", "Lee Lead", role="lead", memo_limit_cents=500_000, version=1)
    manager.db.close()
    app = make_app(book, user="lead")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("I")
        await until(pilot, lambda: isinstance(app.screen, InboxScreen))
        await pilot.press("enter")  # the memo, first
        await until(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.press("M")
        await until(pilot, lambda: isinstance(app.screen, MemoApprovalForm))
        form = app.screen
        memo = first(app.ctx.db, "SELECT id, customer_id FROM credit_memos WHERE status = 'pending_approval'")
        assert form.raw("memo") == memo["id"] and form.customer_id == memo["customer_id"]
        form.query_one("#decision").value = "approve"
        form.query_one("#note", Input).value = "price list error confirmed"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, InboxScreen))
        table = app.screen.query_one("#inbox")
        await until(pilot, lambda: table.row_count == 3)
        assert "Approve memo" not in "\n".join(table_lines(table))
    decided = first(
        app.ctx.db, "SELECT status, approved_by, decision_note FROM credit_memos WHERE id = ?", [memo["id"]]
    )
    assert decided == {"status": "approved", "approved_by": "lead", "decision_note": "price list error confirmed"}
    last = first(app.ctx.db, "SELECT action, actor FROM audit ORDER BY id DESC LIMIT 1")
    assert last == {"action": "memo.approve", "actor": "lead"}


@BOTH_BACKENDS
async def test_a_memo_decided_elsewhere_leaves_the_inbox(book):
    app = make_app(book, user="lead")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("I")
        await until(pilot, lambda: isinstance(app.screen, InboxScreen))
        table = app.screen.query_one("#inbox")
        assert table.row_count == 4
        other = connect(book)
        memo = first(other, "SELECT id, version FROM credit_memos WHERE status = 'pending_approval'")
        credit_memos.reject_memo(Context(other, "lead", fixed_clock(TODAY)), memo["id"], memo["version"], "no proof")
        other.close()
        app.check_for_changes()  # the refresh tick: another connection committed
        await until(pilot, lambda: table.row_count == 3)
        assert "Approve memo" not in "\n".join(table_lines(table))


@BOTH_BACKENDS
async def test_a_collector_is_told_the_inbox_is_for_leads(book):
    app = make_app(book, user="alice")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("I")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
        (warning,) = [n for n in app._notifications if n.severity == "warning"]
        assert "lead" in warning.message and "alice" in warning.message


async def test_the_palette_finds_the_inbox(book):
    app = make_app(book, user="lead")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pick_in_palette(pilot, "inbox")
        await until(pilot, lambda: isinstance(app.screen, InboxScreen))


async def test_nothing_waiting_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("ARCTUI_STATE_DIR", str(tmp_path / "state"))
    make_snapshot_book(tmp_path / "book.db")
    app = make_app(tmp_path / "book.db", user="lead")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("I")
        await until(pilot, lambda: isinstance(app.screen, InboxScreen))
        assert "Nothing waits" in shown(app.screen.query_one("#status"))
        assert "Nothing waits" in table_lines(app.screen.query_one("#inbox"))[1]
