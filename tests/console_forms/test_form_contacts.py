"""The contacts form (issue 14, item 5): add, edit and retire a contact on the client screen's
account; one primary per account; a retired contact is kept but offered no more."""

from arctui.console.forms.contacts import NEW, ContactForm
from arctui.console.forms.touchpoint import TouchpointForm
from arctui.services.contacts import edit_contact


def contacts(world):
    return world.rows("SELECT name, role, email, is_primary, retired_at IS NOT NULL FROM contacts ORDER BY id")


async def test_adds_a_primary_contact_and_the_one_before_steps_down(world, open_form):
    async with open_form(ContactForm(world.ann, world.acme)) as ui:
        assert ui.value("#contact") == NEW and not ui.form.query_one("#retire").display
        await ui.fill("#name", "Eli Evans")
        await ui.fill("#role", "Controller")
        await ui.fill("#email", "eli@acme.example")
        await ui.choose("#primary", 1)
        await ui.save()
        assert ui.results == [True]
    assert contacts(world) == [
        ("Dana Diaz", "AP manager", "dana@acme.example", 0, 0),
        ("Eli Evans", "Controller", "eli@acme.example", 1, 0),
    ]
    assert world.audit_actions()[-1] == "contact.add"


async def test_edits_a_contact_shown_as_saved(world, open_form):
    dana = world.rows("SELECT id FROM contacts")[0][0]
    async with open_form(ContactForm(world.ann, world.acme)) as ui:
        await ui.choose("#contact", dana)
        assert (ui.value("#name"), ui.value("#email"), ui.value("#primary")) == ("Dana Diaz", "dana@acme.example", 1)
        assert ui.form.query_one("#retire").display
        await ui.fill("#phone", "555-0101")
        await ui.save()
        assert ui.results == [True]
    assert world.rows("SELECT phone, version, updated_by FROM contacts WHERE id = ?", [dana]) == [
        ("555-0101", 2, "ann")
    ]


async def test_a_bad_email_is_the_services_refusal_and_nothing_is_saved(world, open_form):
    async with open_form(ContactForm(world.ann, world.acme)) as ui:
        await ui.fill("#name", "Eli Evans")
        await ui.fill("#email", "eli at acme")
        await ui.save()
        assert ui.text("#form-status").startswith("email: 'eli at acme' is not an email address")
        assert ui.is_open
    assert len(contacts(world)) == 1


async def test_an_edit_over_a_newer_change_is_refused_and_the_form_shows_it(world, open_form):
    dana = world.rows("SELECT id FROM contacts")[0][0]
    async with open_form(ContactForm(world.ann, world.acme)) as ui:
        await ui.choose("#contact", dana)
        await ui.fill("#role", "AP lead")
        edit_contact(world.as_user("bob"), dana, 1, role="Treasurer")
        await ui.save()
        assert "was changed by bob" in ui.text("#form-status") and ui.is_open
        assert ui.value("#role") == "Treasurer"
    assert world.rows("SELECT role FROM contacts") == [("Treasurer",)]


async def test_retiring_keeps_the_contact_but_a_call_no_longer_offers_them(world, open_form):
    dana = world.rows("SELECT id FROM contacts")[0][0]
    async with open_form(TouchpointForm(world.ann, world.acme)) as ui:
        assert dana in [value for _, value in ui.form.query_one("#contact")._options]
    async with open_form(ContactForm(world.ann, world.acme)) as ui:
        await ui.choose("#contact", dana)
        await ui.focus("#retire")
        await ui.press("enter")
        assert ui.results == [True]
    assert contacts(world) == [("Dana Diaz", "AP manager", "dana@acme.example", 0, 1)]
    assert world.audit_actions()[-1] == "contact.retire"
    async with open_form(TouchpointForm(world.ann, world.acme)) as ui:
        assert dana not in [value for _, value in ui.form.query_one("#contact")._options]
    async with open_form(ContactForm(world.ann, world.acme)) as ui:
        assert [value for _, value in ui.form.query_one("#contact")._options] == [NEW]
