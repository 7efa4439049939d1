"""Contacts: add, edit, retire; one primary per account, kept by the service and the schema."""

import pytest

from arctui.services.contacts import add_contact, edit_contact, retire_contact
from arctui.services.errors import InvalidInput, StaleEdit
from arctui.store.read.contacts import active_contacts, primary_contact
from arctui.store.read.email import mail_contacts
from tests.services.conftest import INTEGRITY_ERRORS, audit_actions


def test_add_contact_writes_the_row_and_one_audit_entry(db, as_user):
    cid = add_contact(as_user("alice"), 1, " Dana Diaz ", role="AP clerk", email="dana@northwind.example", primary=True)
    row = db["contacts"].get(cid)
    assert (row["name"], row["role"], row["email"], row["is_primary"], row["updated_by"]) == (
        "Dana Diaz",
        "AP clerk",
        "dana@northwind.example",
        1,
        "alice",
    )
    assert audit_actions(db)[-1] == "contact.add"


def test_a_new_primary_takes_the_role_from_the_old_one_in_one_action(db, as_user):
    ctx = as_user("alice")
    first = add_contact(ctx, 1, "Dana Diaz", primary=True)
    audit_rows = db["audit"].count
    second = add_contact(ctx, 1, "Eli Evans", primary=True)
    assert primary_contact(db, 1)["id"] == second
    assert db["contacts"].get(first)["is_primary"] == 0
    assert db["audit"].count == audit_rows + 1


def test_edit_moves_the_primary_and_changes_only_what_is_named(db, as_user):
    ctx = as_user("alice")
    first = add_contact(ctx, 1, "Dana Diaz", phone="555-0100", primary=True)
    second = add_contact(ctx, 1, "Eli Evans")
    edit_contact(ctx, second, 1, primary=True, email="eli@northwind.example")
    assert primary_contact(db, 1)["id"] == second
    assert db["contacts"].get(first)["phone"] == "555-0100"
    edit_contact(ctx, first, db["contacts"].get(first)["version"], phone="")
    assert db["contacts"].get(first)["phone"] is None


def test_the_schema_refuses_a_second_primary_written_behind_the_service(db, as_user):
    add_contact(as_user("alice"), 1, "Dana Diaz", primary=True)
    with pytest.raises(INTEGRITY_ERRORS, match="contacts"):
        db.execute("INSERT INTO contacts (customer_id, name, is_primary) VALUES (1, 'Sneaky', 1)")


def test_retired_contact_is_kept_but_no_longer_offered_nor_primary(db, as_user):
    ctx = as_user("alice")
    dana = add_contact(ctx, 1, "Dana Diaz", email="dana@northwind.example", primary=True)
    eli = add_contact(ctx, 1, "Eli Evans", email="eli@northwind.example")
    retire_contact(ctx, dana, db["contacts"].get(dana)["version"])
    row = db["contacts"].get(dana)
    assert row["retired_at"] == "2026-11-23T09:00:00Z" and row["is_primary"] == 0
    assert [c["id"] for c in active_contacts(db, 1)] == [eli]
    assert [c["id"] for c in mail_contacts(db, 1)] == [eli]
    assert audit_actions(db)[-1] == "contact.retire"
    with pytest.raises(InvalidInput, match="retired on 2026-11-23"):
        edit_contact(ctx, dana, row["version"], primary=True)


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"name": "  "}, "name"),
        ({"email": "dana"}, "email"),
        ({"email": "dana@localhost"}, "email"),
        ({"role": "AP\x1b[31m"}, "role"),
    ],
)
def test_bad_fields_are_refused_naming_the_field_and_nothing_is_written(db, as_user, kwargs, field):
    before = db["audit"].count
    with pytest.raises(InvalidInput) as err:
        add_contact(as_user("alice"), 1, **{"name": "Dana Diaz", **kwargs})
    assert err.value.field == field
    assert db["contacts"].count == 0 and db["audit"].count == before


def test_a_stale_edit_is_refused(db, as_user):
    dana = add_contact(as_user("alice"), 1, "Dana Diaz")
    edit_contact(as_user("bob"), dana, 1, role="Controller")
    with pytest.raises(StaleEdit, match="changed by bob"):
        edit_contact(as_user("alice"), dana, 1, role="AP")
    assert db["contacts"].get(dana)["role"] == "Controller"
