"""Escalations with a decision in the console: a collector recommends from the client screen
(``e``), the lead finds it in the inbox (``I``), opens the account and decides (``E``); the
account's status changes only then."""

import pytest
from textual.widgets import Input, Select

from arctui.console.forms.escalate import EscalateForm
from arctui.console.forms.escalation_decision import EscalationDecisionForm
from arctui.console.screens.client import ClientScreen
from arctui.console.screens.inbox import InboxScreen
from arctui.store.read import first
from tests.console.console_helpers import make_app, shown, table_lines, until
from tests.console.snapshot_book import make_snapshot_book


@pytest.fixture
def book(tmp_path, monkeypatch):
    monkeypatch.setenv("ARCTUI_STATE_DIR", str(tmp_path / "state"))
    path = tmp_path / "book.db"
    make_snapshot_book(path)
    return path


def header(app) -> str:
    return shown(app.screen.query_one("#client-header"))


def status_of(app, customer_id: int) -> str:
    return first(app.ctx.db, "SELECT status FROM customers WHERE id = ?", [customer_id])["status"]


async def test_a_recommendation_made_on_the_client_screen_is_decided_from_the_leads_inbox(book):
    app = make_app(book, user="alice")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        customer_id = app.screen.table.cursor_key
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, EscalateForm))
        app.screen.query_one("#kind", Select).value = "suspension"
        app.screen.query_one("#note", Input).value = "six broken promises"
        await pilot.pause()
        assert "A recommendation" in shown(app.screen.query_one("#form-check"))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ClientScreen))
        assert status_of(app, customer_id) == "active"
        await until(pilot, lambda: "suspension recommended by alice" in header(app))

    app = make_app(book, user="lead")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("I")
        await until(pilot, lambda: isinstance(app.screen, InboxScreen))
        table = app.screen.query_one("#inbox")
        lines = table_lines(table)[1 : table.row_count + 1]
        (at,) = [i for i, line in enumerate(lines) if line.startswith("Decide")]
        assert "suspension by alice: six broken promises" in lines[at]
        assert "1 escalation to decide" in shown(app.screen.query_one("#status"))
        await pilot.press(*["j"] * at, "enter")
        await until(pilot, lambda: isinstance(app.screen, ClientScreen))
        assert app.screen.customer_id == customer_id
        await pilot.press("E")
        await until(pilot, lambda: isinstance(app.screen, EscalationDecisionForm))
        app.screen.query_one("#decision", Select).value = "approve"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ClientScreen))
        assert status_of(app, customer_id) == "suspended"
        await until(pilot, lambda: "suspended · suspension since 2026-11-23" in header(app))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, InboxScreen))
        await until(pilot, lambda: not any(line.startswith("Decide") for line in table_lines(table)))


async def test_an_agency_recovery_is_recorded_from_the_client_screen(book):
    """``A`` on an account placed with an agency records what it recovered; more than is left
    of the placement is refused on the field, before anything is saved."""
    from arctui.console.forms.agency_recovery import AgencyRecoveryForm
    from arctui.services.escalations import decide_escalation, recommend_escalation
    from tests.console.console_helpers import context

    app = make_app(book, user="alice")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        customer_id = app.screen.table.cursor_key
    alice, lead = context(book, "alice"), context(book, "lead")
    version = first(alice.db, "SELECT version FROM customers WHERE id = ?", [customer_id])["version"]
    placed = recommend_escalation(
        alice, customer_id, "outside_collections", "no answer", version, "Acme Agency", 50_000
    )
    decide_escalation(lead, placed, 1, True, "")

    app = make_app(book, user="alice")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.press("A")
        await until(pilot, lambda: isinstance(app.screen, AgencyRecoveryForm))
        form = app.screen
        assert form.query_one("#placement", Select).value == placed
        form.query_one("#amount", Input).value = "600"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert (
            " ".join(shown(form.query_one("#amount-msg")).split()) == "above what is left of the placement of $500.00"
        )
        form.query_one("#amount", Input).value = "120"
        form.query_one("#note", Input).value = "first cheque from the agency"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ClientScreen))
    rows = alice.db.execute("SELECT escalation_id, amount_cents, received_date, recorded_by FROM agency_recoveries")
    assert rows.fetchall() == [(placed, 12_000, "2026-11-23", "alice")]
