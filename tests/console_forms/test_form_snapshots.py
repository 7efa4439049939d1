"""Snapshots of every action form at 80×24 and 160×48, as it opens on the forms' small ledger
(``conftest.world``, today 2026-11-23) in the console's own theme; plus a plan refused over a
newer save (the collector's values beside the current ones) and an open list over the buttons.
Review changed SVGs in the report before accepting them with ``--snapshot-update``."""

from dataclasses import replace
from datetime import date

import pytest

from arctui.console.forms import ACTIONS
from arctui.console.forms.payment_plan import PaymentPlanForm
from arctui.console.forms.touchpoint import TouchpointForm
from arctui.console.theme_files import load_themes
from arctui.domain.plans import equal_schedule
from arctui.locations import BUNDLED_THEMES
from arctui.plugins import PluginHost
from arctui.services.disputes import open_dispute
from arctui.services.plans import create_plan, edit_plan
from tests.console_forms.conftest import Host

SIZES = {"80x24": (80, 24), "160x48": (160, 48)}
FORMS = {form.__name__: form for _, _, form in ACTIONS}


class ThemedHost(Host):
    """The form over an empty screen, in the console's default theme."""

    def on_mount(self) -> None:
        themes, _ = load_themes([BUNDLED_THEMES], PluginHost(entry_points=False))
        for theme in themes.values():
            self.register_theme(theme)
        self.theme = "arctui-dark"
        super().on_mount()


@pytest.fixture
def quiet(world, monkeypatch):
    """Colour on, and no installed plugin (coders, templates) in what the forms show."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    host = PluginHost(entry_points=False)
    for name in ("ann", "bob"):
        setattr(world, name, replace(getattr(world, name), plugins=host))
    open_dispute(world.bob, world.invoices["INV-1002"], 50_000, "pricing", "unit price disputed")
    return world


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("form", FORMS)
def test_form_as_it_opens(quiet, snap_compare, form, size):
    user = quiet.bob if form == "MemoApprovalForm" else quiet.ann  # ann prepared the memo waiting
    assert snap_compare(ThemedHost(FORMS[form](user, quiet.acme)), terminal_size=SIZES[size])


@pytest.mark.parametrize("size", SIZES)
def test_plan_refused_over_a_newer_save_keeps_the_collectors_values(quiet, snap_compare, size):
    plan = create_plan(
        quiet.bob,
        quiet.acme,
        300_000,
        equal_schedule(300_000, 2, date(2026, 12, 1), "monthly"),
        "monthly",
        invoice_ids=[quiet.invoices["INV-1003"]],
    )
    form = PaymentPlanForm(quiet.ann, quiet.acme, plan_id=plan)

    async def conflict(pilot) -> None:
        await pilot.pause()
        for selector, text in (("#amt-1", "1,000"), ("#amt-2", "2,000"), ("#note", "smaller first month")):
            form.query_one(selector).value = text
        await pilot.pause()
        edit_plan(quiet.as_user("bob"), plan, 1, 300_000, equal_schedule(300_000, 3, date(2026, 12, 1), "monthly"))
        await form.action_save()
        await pilot.pause()

    assert snap_compare(ThemedHost(form), run_before=conflict, terminal_size=SIZES[size])


@pytest.mark.parametrize("size", SIZES)
def test_an_open_outcome_list_over_the_buttons(quiet, snap_compare, size):
    form = TouchpointForm(quiet.ann, quiet.acme)

    async def open_list(pilot) -> None:
        await pilot.pause()
        form.query_one("#outcome").focus()
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(ThemedHost(form), run_before=open_list, terminal_size=SIZES[size])
