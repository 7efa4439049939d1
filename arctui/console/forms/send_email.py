"""Send a templated email to one of the account's contacts, with a preview of exactly what
goes out. Saving is one call of ``send_account_email``: it queues the email (an account gets
each email once a day) and, if asked, sends it at once through the configured sender."""

from textual.app import ComposeResult
from textual.widgets import Select, Static

from arctui.console.forms import fields
from arctui.console.forms.base import ActionForm, options
from arctui.console.forms.widgets import Choice
from arctui.services.correspondence import Draft, draft_email, send_account_email
from arctui.services.errors import ServiceError
from arctui.services.templates import TEMPLATE_NAMES, Templates
from arctui.store.read import email as read

_DELIVERY = [("queue for the next send run", "queue"), ("send now", "send")]


class SendEmailForm(ActionForm):
    FORM_TITLE = "Send email"

    def __init__(self, ctx, customer_id):
        super().__init__(ctx, customer_id)
        self.templates = Templates.from_settings(ctx.settings)
        self.draft: Draft | None = None
        self.draft_problem = "Choose a template and a contact to see the email."

    def compose_fields(self) -> ComposeResult:
        self.contacts = {c["id"]: c for c in read.mail_contacts(self.ctx.db, self.customer_id)}
        choices = [(f"{c['name']} <{c['email']}>", c["id"]) for c in self.contacts.values()]
        first = choices[0][1] if choices else Select.NULL
        yield self.field("Template", Choice(options(TEMPLATE_NAMES), id="template"), fields.choice)
        yield self.choice_field(
            "To", "contact", choices, "the account has no contact with an email address", value=first
        )
        yield self.field("Delivery", Choice(_DELIVERY, value="queue", allow_blank=False, id="delivery"), fields.choice)
        yield Static("", id="preview", markup=False)

    def field_changed(self, name: str | None) -> None:
        if name in ("template", "contact"):
            self.render_preview()

    def render_preview(self) -> None:
        template, contact = self.raw("template"), self.contacts.get(self.raw("contact"))
        self.draft = None
        if template is None or contact is None:
            return
        try:
            self.draft = self.draft_for(template, contact)
        except ServiceError as exc:
            self.draft_problem = f"Cannot write this email: {exc}"
            self.show("preview", "")
            return
        self.show("preview", f"To: {self.draft.to_addr}\nSubject: {self.draft.subject}\n\n{self.draft.body}")

    def draft_for(self, template: str, contact: dict) -> Draft:
        """The template rendered for the account, addressed to ``contact``."""
        return draft_email(self.ctx.db, self.templates, self.customer_id, template, self.ctx.today(), contact["id"])

    def cross_check(self, values: dict) -> str | None:
        return None if self.draft else self.draft_problem

    def save(self, values: dict) -> None:
        send_account_email(
            self.ctx,
            self.customer_id,
            values["template"],
            values["contact"],
            send_now=values["delivery"] == "send",
            templates=self.templates,
        )
