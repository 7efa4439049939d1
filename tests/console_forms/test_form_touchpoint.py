from arctui.console.forms.touchpoint import TouchpointForm
from tests.console_forms.conftest import BOTH_BACKENDS


@BOTH_BACKENDS
async def test_logs_a_call_with_outcome_contact_and_follow_up(world, open_form):
    async with open_form(TouchpointForm(world.ann, world.acme)) as ui:
        await ui.choose("#outcome", "PTP")
        await ui.choose("#contact", world.rows("SELECT id FROM contacts")[0][0])
        await ui.fill("#follow_up", "2026-11-30")
        await ui.fill("#note", "will pay Friday")
        await ui.save()
        assert ui.results == [True]
    assert world.rows("SELECT kind, outcome_code, note, follow_up_date, contact_id, by FROM touchpoints") == [
        ("call", "PTP", "will pay Friday", "2026-11-30", 1, "ann")
    ]
    assert world.audit_actions()[-1] == "touchpoint.call"


@BOTH_BACKENDS
async def test_bad_date_and_missing_outcome_are_shown_and_nothing_is_written(world, open_form):
    before = world.audit_actions()
    async with open_form(TouchpointForm(world.ann, world.acme)) as ui:
        await ui.fill("#follow_up", "30/11/2026")
        assert ui.text("#follow_up-msg") == "expected a date YYYY-MM-DD"
        await ui.fill("#follow_up", "2026-11-01")
        assert ui.text("#follow_up-msg") == "must be on or after 2026-11-23"
        assert ui.form.query_one("#save").disabled
        await ui.save()
        assert ui.text("#outcome-msg") == "choose one"
        assert "nothing was saved" in ui.text("#form-status")
        assert ui.is_open
    assert world.rows("SELECT count(*) FROM touchpoints") == [(0,)]
    assert world.audit_actions() == before


async def test_a_note_needs_its_text(world, open_form):
    async with open_form(TouchpointForm(world.ann, world.acme)) as ui:
        await ui.choose("#kind", "note")
        await ui.choose("#outcome", "NOTE")
        assert ui.text("#form-check") == "A note needs its text."
        await ui.save()
        assert ui.is_open
    assert world.rows("SELECT count(*) FROM touchpoints") == [(0,)]


async def test_escape_cancels(world, open_form):
    async with open_form(TouchpointForm(world.ann, world.acme)) as ui:
        await ui.press("escape")
        assert ui.results == [False]


async def test_keyboard_only_from_the_first_field(world, open_form):
    """The first field has the keyboard on open: tab to the outcome, pick it, past the note
    and the contact to the follow-up date, type, ctrl+s."""
    async with open_form(TouchpointForm(world.ann, world.acme)) as ui:
        assert ui.form.focused.id == "kind"
        await ui.press("tab", "enter", "down", "enter", "tab", "tab", "tab")
        await ui.press(*"2026-11-30")
        await ui.press("ctrl+s")
        assert ui.results == [True]
    kind, outcome, follow_up = world.rows("SELECT kind, outcome_code, follow_up_date FROM touchpoints")[0]
    assert (kind, follow_up) == ("call", "2026-11-30") and outcome
