"""The statement from the console's email form: open invoices, unapplied cash and the balance."""

from arctui.console.forms.send_email import SendEmailForm


async def test_the_statement_previewed_in_the_email_form_nets_the_unapplied_cash(world, open_form):
    async with open_form(SendEmailForm(world.ann, world.acme)) as ui:
        await ui.choose("#template", "statement")
        preview = ui.text("#preview")
    assert "Open invoices:\n  INV-1003  issued 2026-07-01  due 2026-08-01  $4,000.00  open $4,000.00" in preview
    assert "Payments received, not yet applied:\n  2026-11-20  ACH-77  -$1,500.00" in preview
    assert "Total open:    $7,500.00\nUnapplied:     -$1,500.00\nBalance:       $6,000.00" in preview
