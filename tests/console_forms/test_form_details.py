"""Defect 8 (issue 13), the forms' part, and the keys that make the tasks short: the same start
for a new and a saved plan, ticks that read without colour, esc that asks before throwing input
away, ``?`` inside a form, the primary contact chosen, a call back with its date, an open list
that never half-covers a button, type-to-select in a closed list, tick all / past due."""

from datetime import date

import pytest
from textual.widgets import Button
from textual.widgets._select import SelectOverlay

from arctui.console.forms.keys import FormKeys
from arctui.console.forms.payment_plan import PaymentPlanForm
from arctui.console.forms.promise import PromiseForm
from arctui.console.forms.touchpoint import TouchpointForm
from arctui.domain.plans import equal_schedule
from arctui.services.plans import create_plan
from tests.console_forms.conftest import _insert


async def tab_order(ui, count: int) -> list[str]:
    order = [ui.form.focused.id]
    for _ in range(count):
        await ui.press("tab")
        order.append(ui.form.focused.id)
    return order


async def test_a_saved_plan_starts_where_a_new_one_does_and_tabs_the_same_way(world, open_form):
    async with open_form(PaymentPlanForm(world.ann, world.acme)) as ui:
        new = await tab_order(ui, 5)
    plan = create_plan(
        world.bob,
        world.acme,
        300_000,
        equal_schedule(300_000, 2, date(2026, 12, 1), "monthly"),
        "monthly",
        invoice_ids=[world.invoices["INV-1003"]],
    )
    async with open_form(PaymentPlanForm(world.ann, world.acme, plan_id=plan)) as ui:
        saved = await tab_order(ui, 5)
        assert ui.text("#plan-note").startswith("A saved plan keeps its invoices and frequency")
        await ui.focus("#invoices")
        await ui.press("a")  # read-only: nothing changes
        assert ui.value("#invoices") == [world.invoices["INV-1003"]]
    assert new == saved == ["plan", "invoices", "total", "count", "frequency", "first"]


async def test_ticks_show_as_a_mark_not_only_as_a_colour(world, open_form, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    async with open_form(PromiseForm(world.ann, world.acme)) as ui:
        await ui.toggle("#invoices", world.invoices["INV-1002"])
        checklist = ui.form.query_one("#invoices")
        lines = [checklist.render_line(y).text for y in range(3)]
    assert [line[:3] for line in lines] == ["[ ]", "[x]", "[ ]"]
    assert "INV-1002" in lines[1]


async def test_a_and_p_tick_all_and_the_past_due_invoices(world, open_form):
    async with open_form(PromiseForm(world.ann, world.acme)) as ui:
        await ui.focus("#invoices")
        await ui.press("a")
        assert sorted(ui.value("#invoices")) == sorted(world.invoices[n] for n in ("INV-1001", "INV-1002", "INV-1003"))
        await ui.press("a")
        assert ui.value("#invoices") == []
        await ui.press("p")
        assert sorted(ui.value("#invoices")) == sorted(world.invoices[n] for n in ("INV-1002", "INV-1003"))


async def test_esc_on_an_untouched_form_closes_it(world, open_form):
    async with open_form(PromiseForm(world.ann, world.acme)) as ui:
        await ui.press("escape")
        assert ui.results == [False]


async def test_esc_on_a_filled_form_asks_once(world, open_form):
    async with open_form(PromiseForm(world.ann, world.acme)) as ui:
        await ui.fill("#amount", "500")
        await ui.press("escape")
        assert ui.is_open
        assert ui.text("#form-status") == "Discard what you typed? esc again discards it; ctrl+s saves it."
        assert ui.value("#amount") == "$500.00"
        await ui.press("escape")
        assert ui.results == [False]
    assert world.rows("SELECT count(*) FROM promises") == [(0,)]


async def test_question_mark_shows_the_forms_keys(world, open_form):
    async with open_form(PaymentPlanForm(world.ann, world.acme)) as ui:
        await ui.press("question_mark")
        keys = ui.pilot.app.screen
        assert isinstance(keys, FormKeys)
        listed = dict(keys.keys)
        assert listed["ctrl+g"] == "new schedule"
        assert listed["a / p"].startswith("in a list of invoices: tick all")
        assert listed["ctrl+s"] == "save"
        await ui.press("escape")
        assert ui.pilot.app.screen is ui.form and ui.is_open


async def test_the_log_call_contact_is_the_primary_one(world, open_form):
    async with open_form(TouchpointForm(world.ann, world.acme)) as ui:
        assert ui.value("#contact") == world.rows("SELECT id FROM contacts WHERE name = 'Dana Diaz'")[0][0]


@pytest.mark.parametrize(("contacts", "chosen"), [(["Eve"], "Eve"), (["Eve", "Finn"], None)])
async def test_a_lone_contact_is_chosen_and_of_several_without_a_primary_none(world, open_form, contacts, chosen):
    ids = {name: _insert(world.ann, "contacts", {"customer_id": world.birch, "name": name}) for name in contacts}
    async with open_form(TouchpointForm(world.ann, world.birch)) as ui:
        assert ui.value("#contact") == (ids[chosen] if chosen else None)


async def test_a_call_back_needs_its_follow_up_date(world, open_form):
    async with open_form(TouchpointForm(world.ann, world.acme)) as ui:
        await ui.focus("#outcome")
        await ui.press("C", "B")
        assert ui.value("#outcome") == "CB"
        await ui.fill("#note", "call Friday")
        assert ui.text("#form-check") == "Call back requested: give the follow-up date to call back on."
        assert ui.form.query_one("#save").disabled
        await ui.save()
        assert ui.is_open
        await ui.fill("#follow_up", "2026-11-27")
        await ui.save()
        assert ui.results == [True]
    assert world.rows("SELECT outcome_code, follow_up_date FROM touchpoints") == [("CB", "2026-11-27")]


@pytest.mark.parametrize(("typed", "chosen"), [("N", "NA"), ("NO", "NOTE"), ("P", "PTP"), ("PI", "PIP"), ("R", "RTP")])
async def test_a_closed_outcome_list_takes_the_code_typed(world, open_form, typed, chosen):
    async with open_form(TouchpointForm(world.ann, world.acme)) as ui:
        await ui.focus("#outcome")
        await ui.press(*typed)
        assert ui.value("#outcome") == chosen
        assert ui.form.focused.id == "outcome"  # the list stayed closed
        await ui.press("tab")
        assert ui.form.focused.id == "note"  # the note follows the outcome


@pytest.mark.parametrize("size", [(120, 45), (80, 24)])
async def test_an_open_list_covers_the_buttons_whole_or_not_at_all(world, size):
    from tests.console_forms.conftest import Host

    app = Host(TouchpointForm(world.ann, world.acme))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.form.query_one("#outcome").focus()
        await pilot.press("enter")
        await pilot.pause()
        overlay = app.form.query_one("#outcome").query_one(SelectOverlay)
        assert overlay.display and overlay.has_focus
        for button in app.form.query_one("#form-buttons").query(Button):
            shared = button.region.intersection(overlay.region)
            assert shared.area in (0, button.region.area), f"{button.id}: {shared} of {button.region}"
