"""Controls in the console (issue 14, item 4). Write-offs: ``w`` on the invoice list proposes
one for the invoice under the cursor, coded from the book's chart; above the proposer's limit it
waits in a lead's or manager's inbox (``I``), where ``enter`` opens the account and ``M``
approves it. Credit limits: ``L`` on the account asks for a new one; a raise above the asker's
limit waits in the inbox the same way and ``L`` there approves it."""

import shutil

import pytest
from textual.widgets import Input

from arctui.console.forms.credit_limit import CreditLimitForm
from arctui.console.forms.memo_approval import MemoApprovalForm
from arctui.console.forms.write_off import WriteOffForm
from arctui.console.screens.client import ClientScreen
from arctui.console.screens.inbox import InboxScreen
from arctui.console.screens.invoices import InvoicesScreen
from arctui.services.codes import add_code
from arctui.services.write_offs import propose_write_off
from arctui.store.read import invoices as read_invoices
from arctui.store.read.invoices import InvoiceFilter
from tests.console.console_helpers import TODAY, context, make_app, shown, table_lines, until
from tests.console.snapshot_book import make_snapshot_book
from tests.enrol import enrol


@pytest.fixture(scope="module")
def chart_book(tmp_path_factory):
    """The snapshot book with a manager, maria ($100,000 limit), and her chart of codes."""
    path = tmp_path_factory.mktemp("write_offs") / "book.db"
    make_snapshot_book(path)
    maria = context(path, "maria")
    enrol(maria.db, "maria", "Maria Manager", role="manager", memo_limit_cents=10_000_000)
    add_code(maria, "reason", "bad_debt", "Uncollectable")
    add_code(maria, "gl", "6800", "Bad debt expense")
    maria.db.close()
    return path


@pytest.fixture
def book(chart_book, tmp_path, monkeypatch):
    monkeypatch.setenv("ARCTUI_STATE_DIR", str(tmp_path / "state"))
    shutil.copy(chart_book, tmp_path / "book.db")
    return tmp_path / "book.db"


async def type_into(pilot, field: str, text: str) -> None:
    widget = pilot.app.screen.query_one(f"#{field}", Input)
    widget.focus()
    widget.value = ""
    await pilot.press(*text)


async def test_w_on_the_invoice_list_proposes_a_write_off_of_that_invoice(book):
    db = context(book).db
    oldest = read_invoices.open_invoices(db, TODAY, InvoiceFilter(collector="alice"), limit=1)[0]
    app = make_app(book)
    async with app.run_test(size=(140, 44)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, InvoicesScreen))
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, WriteOffForm))
        form = app.screen
        assert form.raw("invoice") == oldest.id  # the invoice under the cursor, chosen already
        await type_into(pilot, "amount", "150")
        await type_into(pilot, "reason", "dunno")
        await type_into(pilot, "gl", "6800")
        await type_into(pilot, "note", "in administration")
        assert "Above your limit of $0.00: needs approval" in shown(form.query_one("#form-check"))
        await pilot.press("ctrl+s")
        status = lambda: " ".join(shown(form.query_one("#form-status")).split())  # noqa: E731
        await until(pilot, lambda: "Nothing was saved" in status())
        assert status().startswith("reason code: dunno is not in the chart")
        await type_into(pilot, "reason", "bad_debt")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, InvoicesScreen))
    row = db.execute(
        "SELECT kind, number, invoice_id, amount_cents, reason_code, gl_code, status, prepared_by, note"
        " FROM credit_memos"
    ).fetchall()
    assert row == [
        (
            "write_off",
            "WO-000001",
            oldest.id,
            15_000,
            "bad_debt",
            "6800",
            "pending_approval",
            "alice",
            "in administration",
        )
    ]
    assert db.execute("SELECT action FROM audit ORDER BY id DESC LIMIT 1").fetchone()[0] == "write_off.prepare"


async def test_a_manager_approves_a_write_off_from_the_inbox(book):
    alice = context(book, "alice")
    invoice = read_invoices.open_invoices(alice.db, TODAY, InvoiceFilter(collector="alice"), limit=1)[0]
    wo = propose_write_off(alice, invoice.id, 15_000, "bad_debt", "6800", "in administration")
    app = make_app(book, user="maria")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("I")
        await until(pilot, lambda: isinstance(app.screen, InboxScreen))
        lines = table_lines(app.screen.query_one("#inbox"))[1:2]
        assert lines[0].startswith("Write-off") and "WO-000001 bad_debt by alice" in lines[0]
        assert "1 write-off to approve" in shown(app.screen.query_one("#status"))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.press("M")
        await until(pilot, lambda: isinstance(app.screen, MemoApprovalForm))
        form = app.screen
        assert form.raw("memo") == wo  # the only one waiting, chosen already
        form.query_one("#decision").value = "approve"
        await type_into(pilot, "note", "confirmed with legal")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ClientScreen))
    assert alice.db.execute("SELECT status, approved_by, decision_note FROM credit_memos").fetchall() == [
        ("approved", "maria", "confirmed with legal")
    ]
    assert alice.db.execute("SELECT action, actor FROM audit ORDER BY id DESC LIMIT 1").fetchone() == (
        "write_off.approve",
        "maria",
    )


async def test_a_credit_limit_raise_asked_on_the_account_is_approved_from_the_inbox(book):
    db = context(book).db
    account = db.execute(
        "SELECT id, account_no, credit_limit_cents FROM customers WHERE owner = 'alice' LIMIT 1"
    ).fetchone()
    app = make_app(book)
    async with app.run_test(size=(140, 44)) as pilot:
        await pilot.pause()
        app.open_client(account[0])
        await until(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.press("L")
        await until(pilot, lambda: isinstance(app.screen, CreditLimitForm))
        form = app.screen
        assert shown(form.query_one("#limit-status")).strip().startswith(f"Credit limit: ${account[2] // 100:,}.00.")
        await type_into(pilot, "limit", "99,000")
        await type_into(pilot, "note", "new contract")
        assert "is above your limit of $0.00: it waits for approval" in " ".join(
            shown(form.query_one("#form-check")).split()
        )
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ClientScreen))
    assert db.execute("SELECT status, to_cents, requested_by FROM credit_limit_changes").fetchall() == [
        ("pending_approval", 9_900_000, "alice")
    ]
    app = make_app(book, user="maria")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("I")
        await until(pilot, lambda: isinstance(app.screen, InboxScreen))
        line = table_lines(app.screen.query_one("#inbox"))[1]
        assert line.startswith("Credit limit") and account[1] in line and "by alice: new contract" in line
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.press("L")
        await until(pilot, lambda: isinstance(app.screen, CreditLimitForm))
        app.screen.query_one("#step").value = "approve"
        await type_into(pilot, "note", "contract seen")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ClientScreen))
    assert db.execute("SELECT credit_limit_cents FROM customers WHERE id = ?", [account[0]]).fetchone() == (9_900_000,)
    assert db.execute("SELECT action, actor FROM audit ORDER BY id DESC LIMIT 1").fetchone() == (
        "credit_limit.approve",
        "maria",
    )
