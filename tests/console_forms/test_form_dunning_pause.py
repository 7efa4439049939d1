"""Pausing an account's reminders from the console."""

from arctui.console.forms.dunning_pause import DunningPauseForm


async def test_pauses_the_reminders_and_a_second_pause_replaces_the_first(world, open_form):
    async with open_form(DunningPauseForm(world.ann, world.acme)) as ui:
        assert ui.text("#pause-status") == "The account is reminded as its strategy says."
        await ui.fill("#until", "2026-11-22")
        assert ui.text("#until-msg") == "must be on or after 2026-11-23"
        await ui.fill("#until", "2026-12-31")
        await ui.save()
        assert ui.text("#reason-msg") == "required"
        await ui.fill("#reason", "customer's year-end close")
        await ui.save()
        assert ui.results == [True]
    async with open_form(DunningPauseForm(world.ann, world.acme)) as ui:
        assert ui.text("#pause-status") == (
            "Reminders are paused until 2026-12-31 (customer's year-end close); a new pause replaces the date."
        )
        await ui.fill("#until", "2026-12-05")
        await ui.fill("#reason", "pays on the 5th")
        await ui.save()
        assert ui.results == [True]
    assert world.rows("SELECT until_date, reason, created_by, ended_by FROM dunning_pauses ORDER BY id") == [
        ("2026-12-31", "customer's year-end close", "ann", "ann"),
        ("2026-12-05", "pays on the 5th", "ann", None),
    ]
    assert world.audit_actions()[-2:] == ["dunning.pause", "dunning.pause"]
