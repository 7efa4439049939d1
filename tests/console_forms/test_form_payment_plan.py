from datetime import date

from arctui.console.forms.payment_plan import PaymentPlanForm
from arctui.domain.plans import equal_schedule
from arctui.services.plans import create_plan, edit_plan


async def test_a_new_plan_defaults_to_the_past_due_invoices_and_saves_when_it_sums(world, open_form):
    async with open_form(PaymentPlanForm(world.ann, world.acme)) as ui:
        assert sorted(ui.value("invoices")) == [world.invoices["INV-1002"], world.invoices["INV-1003"]]
        assert ui.value("#total") == "$6,500.00"
        assert [ui.value(f"#amt-{n}") for n in (1, 2, 3)] == ["$2,166.66", "$2,166.66", "$2,166.68"]
        assert [ui.value(f"#due-{n}") for n in (1, 2, 3)] == ["2026-11-30", "2026-12-30", "2027-01-30"]
        assert ui.text("#form-check") == "Σ $6,500.00 of $6,500.00 — matches to the cent"
        await ui.fill("#amt-2", "2,000")
        assert ui.text("#form-check") == (
            "Σ $6,333.34 of $6,500.00 — $166.66 short: the schedule must add up to the total to save."
        )
        assert ui.form.query_one("#save").disabled
        await ui.save()
        assert ui.is_open
        assert world.rows("SELECT count(*) FROM payment_plans") == [(0,)]
        await ui.fill("#amt-3", "2,333.35")
        assert ui.text("#form-check").startswith("Σ $6,500.01 of $6,500.00 — $0.01 over")
        await ui.fill("#amt-3", "2,333.34")
        assert ui.text("#form-check") == "Σ $6,500.00 of $6,500.00 — matches to the cent"
        await ui.save()
        assert ui.results == [True]
    assert world.rows("SELECT total_cents, frequency, status, created_by FROM payment_plans") == [
        (650_000, "monthly", "active", "ann")
    ]
    assert world.rows("SELECT seq, due_date, amount_cents FROM plan_instalments ORDER BY seq") == [
        (1, "2026-11-30", 216_666),
        (2, "2026-12-30", 200_000),
        (3, "2027-01-30", 233_334),
    ]
    assert world.rows("SELECT invoice_id FROM plan_invoices ORDER BY invoice_id") == [
        (world.invoices["INV-1002"],),
        (world.invoices["INV-1003"],),
    ]
    assert world.audit_actions()[-1] == "plan.create"


async def test_regenerates_from_count_frequency_and_first_date(world, open_form):
    async with open_form(PaymentPlanForm(world.ann, world.acme)) as ui:
        assert not ui.form.query_one("#cancel-plan").display
        await ui.toggle("#invoices", world.invoices["INV-1003"])
        assert ui.value("#total") == "$2,500.00"
        await ui.fill("#count", "4")
        await ui.choose("#frequency", "biweekly")
        await ui.fill("#first", "2026-12-01")
        await ui.press("ctrl+g")
        assert [ui.value(f"#due-{n}") for n in (1, 2, 3, 4)] == ["2026-12-01", "2026-12-15", "2026-12-29", "2027-01-12"]
        assert [ui.value(f"#amt-{n}") for n in (1, 2, 3, 4)] == ["$625.00"] * 4
        assert ui.text("#form-check") == "Σ $2,500.00 of $2,500.00 — matches to the cent"


async def test_dates_out_of_order_and_a_past_first_date_are_refused(world, open_form):
    async with open_form(PaymentPlanForm(world.ann, world.acme)) as ui:
        await ui.fill("#due-3", "2026-12-10")
        assert ui.text("#form-check") == ("instalment 3 is due 2026-12-10, not after instalment 2 due 2026-12-30.")
        assert ui.form.query_one("#save").disabled
        await ui.fill("#first", "2026-11-01")
        assert ui.text("#first-msg") == "must be on or after 2026-11-23"
        await ui.press("ctrl+g")
        assert ui.text("#form-status") == "Fix the fields marked above to generate a schedule."
        assert ui.value("#due-1") == "2026-11-30"
    assert world.rows("SELECT count(*) FROM payment_plans") == [(0,)]


async def test_a_new_plan_leaves_out_invoices_an_active_plan_covers(world, open_form):
    inv3 = world.invoices["INV-1003"]
    create_plan(
        world.bob,
        world.acme,
        300_000,
        equal_schedule(300_000, 2, date(2026, 12, 1), "monthly"),
        "monthly",
        invoice_ids=[inv3],
    )
    async with open_form(PaymentPlanForm(world.ann, world.acme)) as ui:
        await ui.choose("#plan", 0)
        await ui.press()
        assert ui.value("#invoices") == [world.invoices["INV-1002"]]
        assert ui.value("#total") == "$2,500.00"
        assert not ui.form.query_one("#cancel-plan").display


async def test_editing_a_plan_someone_changed_is_refused_and_reloaded(world, open_form):
    inv3 = world.invoices["INV-1003"]
    plan = create_plan(
        world.bob,
        world.acme,
        300_000,
        equal_schedule(300_000, 2, date(2026, 12, 1), "monthly"),
        "monthly",
        invoice_ids=[inv3],
    )
    async with open_form(PaymentPlanForm(world.ann, world.acme, plan_id=plan)) as ui:
        assert [ui.value(f"#amt-{n}") for n in (1, 2)] == ["$1,500.00", "$1,500.00"]
        assert ui.form.query_one("#invoices").read_only  # shown where a new plan has them, not changed
        await ui.fill("#amt-1", "1,000")
        await ui.fill("#amt-2", "2,000")
        edit_plan(
            world.as_user("bob"),
            plan,
            1,
            300_000,
            equal_schedule(300_000, 3, date(2026, 12, 1), "monthly"),
            note="three months",
        )
        await ui.save()
        assert ui.text("#form-status").startswith(f"payment plan {plan} was changed by bob")
        await ui.press()
        assert [ui.value(f"#amt-{n}") for n in (1, 2, 3)] == ["$1,000.00", "$1,000.00", "$1,000.00"]
        assert ui.value("#note") == "three months"
        assert ui.is_open
        await ui.fill("#amt-3", "800")
        await ui.fill("#amt-1", "1,200")
        await ui.save()
        assert ui.results == [True]
    assert world.rows("SELECT version, updated_by FROM payment_plans") == [(3, "ann")]
    assert world.rows("SELECT amount_cents FROM plan_instalments ORDER BY seq") == [(120_000,), (100_000,), (80_000,)]


async def test_cancels_a_plan(world, open_form):
    plan = create_plan(
        world.bob, world.acme, 100_000, equal_schedule(100_000, 2, date(2026, 12, 1), "weekly"), "weekly"
    )
    async with open_form(PaymentPlanForm(world.ann, world.acme)) as ui:
        assert ui.value("#plan") == plan  # the account's active plan opens by default
        assert ui.value("#total") == "$1,000.00"
        assert ui.form.query_one("#cancel-plan").display
        await ui.fill("#note", "customer asked to stop")
        await ui.focus("#cancel-plan")
        await ui.press("enter")
        assert ui.results == [True]
    assert world.rows("SELECT status, note FROM payment_plans") == [("cancelled", "customer asked to stop")]
    assert world.audit_actions()[-1] == "plan.cancel"
