"""The account's contacts: pick "New contact" or one of them, then type their name, role,
email and phone and say whether they are the primary contact (one per account: the one
before steps down as this one is saved). "Retire this contact" keeps them for the account's
history; they are no longer offered for email or for a call."""

from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, Input

from arctui.console.forms import fields
from arctui.console.forms.base import ActionForm
from arctui.console.forms.widgets import Choice
from arctui.services.contacts import add_contact, edit_contact, retire_contact
from arctui.store.read.contacts import active_contacts

NEW = 0
"""The contact picker's value for a contact not yet saved."""
_DETAILS = ("name", "role", "email", "phone")


class ContactForm(ActionForm):
    FORM_TITLE = "Contacts"

    def __init__(self, ctx, customer_id):
        super().__init__(ctx, customer_id)
        self.contact: dict | None = None

    def compose_fields(self) -> ComposeResult:
        choices = self.contact_choices()
        yield self.field("Contact", Choice(choices, value=NEW, allow_blank=False, id="contact"), lambda raw: raw)
        yield self.field("Name", Input(id="name"), fields.required_text)
        yield self.field("Role", Input(id="role"), fields.optional_text)
        yield self.field("Email", Input(id="email"), fields.optional_text)
        yield self.field("Phone", Input(id="phone"), fields.optional_text)
        primary = Choice(
            [("no", 0), ("yes: the account's primary contact", 1)], value=0, allow_blank=False, id="primary"
        )
        yield self.field("Primary", primary, lambda raw: bool(raw))
        yield Button("Retire this contact", id="retire", variant="error", compact=True)

    def contact_choices(self) -> list[tuple[str, int]]:
        self.contacts = {c["id"]: c for c in active_contacts(self.ctx.db, self.customer_id)}
        return [("New contact", NEW)] + [
            (" ".join(p for p in (c["name"], c["role"] and f"({c['role']})", c["is_primary"] and "primary") if p), i)
            for i, c in self.contacts.items()
        ]

    def on_mount(self) -> None:
        super().on_mount()
        self.load_contact(NEW)

    def field_changed(self, name: str | None) -> None:
        if name == "contact" and self.raw("contact") != (self.contact["id"] if self.contact else NEW):
            self.load_contact(self.raw("contact"))

    def load_contact(self, contact_id: int) -> None:
        """Show a contact as saved (keeping its version), or empty fields for a new one."""
        self.contact = self.contacts.get(contact_id)
        shown = self.contact or {}
        for name in _DETAILS:
            self.query_one(f"#{name}", Input).value = shown.get(name) or ""
        self.query_one("#primary", Choice).value = 1 if shown.get("is_primary") else 0
        self.query_one("#retire").display = self.contact is not None
        self.remember_initial()

    def save(self, values: dict) -> None:
        details = {name: values[name] for name in _DETAILS}
        if self.contact is None:
            add_contact(self.ctx, self.customer_id, primary=values["primary"], **details)
        else:
            edit_contact(self.ctx, self.contact["id"], self.contact["version"], primary=values["primary"], **details)

    @on(Button.Pressed, "#retire")
    async def _retire(self) -> None:
        await self.attempt(lambda: retire_contact(self.ctx, self.contact["id"], self.contact["version"]))

    async def reload(self) -> None:
        await super().reload()
        contact_id = self.contact["id"] if self.contact else NEW
        self.refill_select("contact", self.contact_choices())
        self.load_contact(contact_id if contact_id in self.contacts else NEW)
