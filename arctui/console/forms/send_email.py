"""Send a templated email to one of the account's contacts, with a preview of exactly what
goes out. It is queued in the outbox (once per account, template and day) and, if asked,
sent at once through the configured sender."""
from textual.app import ComposeResult
from textual.widgets import Select, Static

from arctui.console.forms import fields, lookups
from arctui.console.forms.base import ActionForm, options
from arctui.services.correspondence import Draft, already_today, draft_email, queue_draft
from arctui.services.email import open_transport, send_queued
from arctui.services.errors import ServiceError
from arctui.services.templates import TEMPLATE_NAMES, Templates

_DELIVERY = [("queue for the next send run", "queue"), ("send now", "send")]


class NotSent(ServiceError):
    """The email is in the outbox but the sender did not take it now."""


class SendEmailForm(ActionForm):
    FORM_TITLE = "Send email"

    def __init__(self, ctx, customer_id):
        super().__init__(ctx, customer_id)
        self.templates = Templates()
        self.draft: Draft | None = None
        self.draft_problem = "Choose a template and a contact to see the email."

    def compose_fields(self) -> ComposeResult:
        self.contacts = {c["id"]: c for c in lookups.contacts(self.ctx.db, self.customer_id) if c["email"]}
        choices = [(f"{c['name']} <{c['email']}>", c["id"]) for c in self.contacts.values()]
        first = choices[0][1] if choices else Select.NULL
        yield self.field("Template", Select(options(TEMPLATE_NAMES), id="template"), fields.choice)
        yield self.choice_field("To", "contact", choices, "the account has no contact with an email address",
                                value=first)
        yield self.field("Delivery", Select(_DELIVERY, value="queue", allow_blank=False, id="delivery"),
                         fields.choice)
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
        return draft_email(self.ctx.db, self.templates, self.customer_id, template, self.ctx.today(),
                           contact["id"])

    def cross_check(self, values: dict) -> str | None:
        return None if self.draft else self.draft_problem

    def save(self, values: dict) -> None:
        transport = open_transport() if values["delivery"] == "send" else None
        row = already_today(self.ctx, self.draft)
        # sending now what is already queued for this address is the one repeat that helps
        if row and (transport is None or row["status"] == "sent" or row["to_addr"] != self.draft.to_addr):
            done = "sent" if row["status"] == "sent" else "queued"
            raise NotSent(f"{self.draft.template} was already {done} to {row['to_addr']} today"
                          f" (email {row['id']}); an account gets each email once a day")
        outbox_id = row["id"] if row else queue_draft(self.ctx, self.draft)
        if transport is None:
            return
        report = send_queued(self.ctx, transport, ids=[outbox_id])
        if outbox_id not in report.sent:
            why = "; ".join(error for _, error in report.failed + report.in_doubt) or "not sendable now"
            raise NotSent(f"email {outbox_id} is in the outbox but {transport.name} did not send it: {why}")
