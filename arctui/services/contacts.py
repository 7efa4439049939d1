"""Add, edit and retire an account's contacts.

One primary per account (schema 6 holds the book to it): making a contact primary takes the
role from the one who held it, in the same action and audit row. A retired contact keeps its
history (calls, emails) but is no longer offered, and is never the primary.
"""

from arctui.services import validate
from arctui.services.context import Context
from arctui.services.email import address
from arctui.services.errors import InvalidInput
from arctui.services.records import Action, action
from arctui.store.read.contacts import primary_contact

EDITABLE = ("name", "role", "email", "phone", "primary")
"""What ``edit_contact`` may change."""


def add_contact(
    ctx: Context,
    customer_id: int,
    name: str,
    role: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    primary: bool = False,
) -> int:
    """A new contact of the account; ``primary`` makes them its primary contact."""
    values = {"name": validate.required("name", name), **_details(role=role, email=email, phone=phone)}
    with action(ctx, "contact.add", "contacts") as act:
        act.get("customers", customer_id)
        if primary:
            _step_down(act, customer_id)
        return act.insert("contacts", {"customer_id": customer_id, **values, "is_primary": int(bool(primary))})


def edit_contact(ctx: Context, contact_id: int, version: int | None, **changes) -> None:
    """Change what ``changes`` names (of ``EDITABLE``; a blank role, email or phone clears it)
    on the contact as loaded at ``version``."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise InvalidInput(unknown[0], f"is not something a contact has (one of {', '.join(EDITABLE)})")
    primary = changes.pop("primary", None)
    values = _details(**{k: v for k, v in changes.items() if k != "name"})
    if "name" in changes:
        values["name"] = validate.required("name", changes["name"])
    with action(ctx, "contact.edit", "contacts", contact_id) as act:
        contact = act.get("contacts", contact_id)
        act.require_version("contacts", contact, version)
        _not_retired(contact)
        if primary is not None:
            if primary:
                _step_down(act, contact["customer_id"], keep=contact_id)
            values["is_primary"] = int(bool(primary))
        act.update("contacts", contact_id, values, version)


def retire_contact(ctx: Context, contact_id: int, version: int | None) -> None:
    """The contact no longer speaks for the account: kept for its history, offered no more,
    and no longer its primary."""
    with action(ctx, "contact.retire", "contacts", contact_id) as act:
        contact = act.get("contacts", contact_id)
        act.require_version("contacts", contact, version)
        _not_retired(contact)
        act.update("contacts", contact_id, {"retired_at": ctx.now(), "is_primary": 0}, version)


def _details(**given) -> dict:
    """role, email and phone as given (blank: none); the email must be an address."""
    values = {name: validate.optional(name, text) for name, text in given.items()}
    if values.get("email"):
        values["email"] = validate.identifier("email", values["email"])
        address("email", values["email"])
        if "." not in values["email"].rpartition("@")[2]:
            raise InvalidInput("email", f"{values['email']!r} is not an email address (its domain has no dot)")
    return values


def _step_down(act: Action, customer_id: int, keep: int | None = None) -> None:
    current = primary_contact(act.db, customer_id)
    if current is not None and current["id"] != keep:
        act.update("contacts", current["id"], {"is_primary": 0})


def _not_retired(contact: dict) -> None:
    if contact["retired_at"] is not None:
        raise InvalidInput(
            "contact", f"{contact['name']} (contact {contact['id']}) was retired on {contact['retired_at'][:10]}"
        )
