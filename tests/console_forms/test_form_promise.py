from arctui.console.forms.promise import PromiseForm
from tests.console_forms.conftest import BOTH_BACKENDS

pytestmark = BOTH_BACKENDS


async def test_records_a_promise_on_chosen_invoices(world, open_form):
    async with open_form(PromiseForm(world.ann, world.acme)) as ui:
        await ui.toggle("#invoices", world.invoices["INV-1002"])
        await ui.fill("#amount", "2,600")
        assert ui.text("#amount-msg") == "above the open balance of the chosen invoices of $2,500.00"
        await ui.fill("#amount", "1000.5")
        assert ui.text("#amount-msg") == ""
        assert ui.value("#amount") == "$1,000.50"  # leaving the field writes it as money
        await ui.fill("#date", "2026-12-04")
        await ui.focus("#save")
        await ui.press("enter")
        assert ui.results == [True]
    assert world.rows("SELECT amount_cents, promised_date, status, created_by FROM promises") == [
        (100_050, "2026-12-04", "open", "ann")
    ]
    assert world.rows("SELECT invoice_id FROM promise_invoices") == [(world.invoices["INV-1002"],)]
    assert world.audit_actions()[-1] == "promise.record"


async def test_amount_is_checked_against_the_account_and_nothing_is_written(world, open_form):
    before = world.audit_actions()
    async with open_form(PromiseForm(world.ann, world.acme)) as ui:
        await ui.fill("#amount", "7,500.01")
        assert ui.text("#amount-msg") == "above the account's open balance of $7,500.00"
        await ui.fill("#amount", "12.345")
        assert ui.text("#amount-msg") == "12.345 has more than 2 decimal places for USD"
        await ui.fill("#date", "2026-11-22")
        assert ui.text("#date-msg") == "must be on or after 2026-11-23"
        await ui.save()
        assert ui.is_open
    assert world.rows("SELECT count(*) FROM promises") == [(0,)]
    assert world.audit_actions() == before
