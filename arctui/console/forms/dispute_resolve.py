"""Work one of the account's open disputes: add a note, give it to another owner (told by
email), or resolve it (credited: a credit memo for the disputed amount with the reason and GL
code given, approved within your limit, otherwise waiting for approval; rejected: the invoice
is reminded again)."""

from textual.app import ComposeResult
from textual.widgets import Input

from arctui.console.forms import fields
from arctui.console.forms.base import ActionForm, options
from arctui.console.forms.widgets import Choice
from arctui.services.disputes import RESOLUTIONS, add_dispute_note, assign_dispute, resolve_dispute
from arctui.store.read.disputes import dispute_notes, open_disputes

NOTE_ONLY = "note"
"""The choice that adds the note and leaves the dispute open."""
ASSIGN = "assign"
"""The choice that gives the open dispute to the owner typed (told by email)."""


class DisputeResolveForm(ActionForm):
    FORM_TITLE = "Dispute: note or resolve"

    def compose_fields(self) -> ComposeResult:
        yield self.choice_field("Dispute", "dispute", self.dispute_choices(), "the account has no open dispute")
        choices = [("add the note, keep it open", NOTE_ONLY), ("give it to another owner", ASSIGN)]
        yield self.field("Resolution", Choice(choices + options(RESOLUTIONS), id="resolution"), fields.choice)
        yield self.field("Note", Input(id="note"), fields.optional_text)
        yield self.field(
            "Owner", Input(placeholder="a login, sales or customer service", id="owner"), fields.optional_text
        )
        yield self.field(
            "Reason code", Input(placeholder="credited: the memo's", id="reason_code"), fields.optional_text
        )
        yield self.field("GL code", Input(placeholder="credited: the memo's", id="gl_code"), fields.optional_text)

    def dispute_choices(self) -> list[tuple[str, int]]:
        self.disputes = {d["id"]: d for d in open_disputes(self.ctx.db, self.customer_id)}
        return [
            (
                f"{d['invoice_number']}  {self.money(d['amount_cents'])}  {d['reason']}"
                f"  with {d['owner'] or d['opened_by']}, due {d['due_date'] or '-'}",
                d["id"],
            )
            for d in self.disputes.values()
        ]

    def live_line(self, values: dict) -> str | None:
        dispute = self.disputes.get(values.get("dispute"))
        if dispute is None:
            return None
        notes = dispute_notes(self.ctx.db, dispute["id"])
        last = f"; last note by {notes[-1]['by']}: {notes[-1]['note']}" if notes else ""
        return f"Opened {dispute['opened_at'][:10]} by {dispute['opened_by']}, {len(notes)} note(s){last}"

    def cross_check(self, values: dict) -> str | None:
        credited = values["resolution"] == "credited"
        if credited and not (values["reason_code"] and values["gl_code"]):
            return "Credited prepares a credit memo: give its reason code and GL code."
        if not credited and (values["reason_code"] or values["gl_code"]):
            return "Only a dispute resolved as credited has a credit memo."
        if values["resolution"] == NOTE_ONLY and not values["note"]:
            return "Write the note to add."
        if (values["resolution"] == ASSIGN) != bool(values["owner"]):
            return "Name the new owner to give it to (and only then)."
        return None

    def save(self, values: dict) -> None:
        dispute = self.disputes[values["dispute"]]
        if values["resolution"] == NOTE_ONLY:
            add_dispute_note(self.ctx, dispute["id"], values["note"])
            return
        if values["resolution"] == ASSIGN:
            assign_dispute(self.ctx, dispute["id"], dispute["version"], values["owner"], note=values["note"])
            return
        resolve_dispute(
            self.ctx,
            dispute["id"],
            dispute["version"],
            values["resolution"],
            note=values["note"],
            reason_code=values["reason_code"],
            gl_code=values["gl_code"],
        )

    async def reload(self) -> None:
        await super().reload()
        self.refill_select("dispute", self.dispute_choices())
