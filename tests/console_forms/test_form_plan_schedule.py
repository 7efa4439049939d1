"""Defect 1 (issue 13): a plan never saves fewer instalments than the form shows. The schedule
follows Instalments, Total, Frequency and First due as they change; a form whose rows do not
match the count refuses to save."""

from datetime import date

from arctui.console.forms.payment_plan import PaymentPlanForm
from arctui.domain.plans import Instalment
from arctui.services.plans import create_plan


async def test_six_typed_in_instalments_saves_six_without_ctrl_g(world, open_form):
    async with open_form(PaymentPlanForm(world.ann, world.acme)) as ui:
        assert ui.value("#count") == "3"
        await ui.fill("#count", "6")
        assert [ui.value(f"#due-{n}") for n in range(1, 7)] == [
            "2026-11-30",
            "2026-12-30",
            "2027-01-30",
            "2027-02-28",
            "2027-03-30",
            "2027-04-30",
        ]
        assert ui.text("#form-check") == "Σ $6,500.00 of $6,500.00 — matches to the cent"
        await ui.save()
        assert ui.results == [True]
    assert world.rows("SELECT count(*), sum(amount_cents) FROM plan_instalments") == [(6, 650_000)]


async def test_the_schedule_follows_total_frequency_and_first_date(world, open_form):
    async with open_form(PaymentPlanForm(world.ann, world.acme)) as ui:
        await ui.fill("#total", "3000")
        assert [ui.value(f"#amt-{n}") for n in (1, 2, 3)] == ["$1,000.00"] * 3
        await ui.choose("#frequency", "weekly")
        await ui.fill("#first", "2026-12-01")
        assert [ui.value(f"#due-{n}") for n in (1, 2, 3)] == ["2026-12-01", "2026-12-08", "2026-12-15"]
        await ui.fill("#count", "abc")  # not a count: the rows stay, the save is refused
        assert ui.form.rows == 3
        assert ui.form.query_one("#save").disabled


async def test_rows_edited_by_hand_stay_until_a_field_they_come_from_changes(world, open_form):
    async with open_form(PaymentPlanForm(world.ann, world.acme)) as ui:
        await ui.fill("#amt-1", "1,000")
        await ui.fill("#amt-3", "3,333.34")
        await ui.fill("#note", "first month small")
        assert ui.value("#amt-1") == "$1,000.00"  # the note is not a field the schedule comes from
        await ui.save()
        assert ui.results == [True]
    assert world.rows("SELECT amount_cents FROM plan_instalments ORDER BY seq") == [
        (100_000,),
        (216_666,),
        (333_334,),
    ]


async def test_a_schedule_that_does_not_match_the_count_is_refused(world, open_form):
    """Should the rows ever lag the count (here they are kept from following it), the save
    says so and nothing is written."""
    async with open_form(PaymentPlanForm(world.ann, world.acme)) as ui:

        async def stay() -> None:
            return None

        ui.form.follow_fields = stay
        await ui.fill("#count", "6")
        assert ui.form.rows == 3
        assert ui.text("#form-check") == "Instalments says 6 but the schedule has 3 rows: ctrl+g generates 6."
        await ui.save()
        assert ui.is_open
        await ui.press("ctrl+g")
        assert ui.form.rows == 6
    assert world.rows("SELECT count(*) FROM payment_plans") == [(0,)]


async def test_an_opened_plan_keeps_its_own_schedule(world, open_form):
    """Loading a saved plan whose rows are not equal does not remake them."""
    plan = create_plan(
        world.bob,
        world.acme,
        300_000,
        [Instalment(1, date(2026, 12, 1), 100_000), Instalment(2, date(2027, 1, 1), 200_000)],
        "monthly",
        invoice_ids=[world.invoices["INV-1003"]],
    )
    async with open_form(PaymentPlanForm(world.ann, world.acme, plan_id=plan)) as ui:
        await ui.press()
        assert [ui.value(f"#amt-{n}") for n in (1, 2)] == ["$1,000.00", "$2,000.00"]
