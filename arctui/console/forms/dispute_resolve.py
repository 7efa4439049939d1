"""Resolve one of the account's open disputes."""

from textual.app import ComposeResult
from textual.widgets import Input

from arctui.console.forms import fields
from arctui.console.forms.base import ActionForm, options
from arctui.console.forms.widgets import Choice
from arctui.services.disputes import RESOLUTIONS, resolve_dispute
from arctui.store.read.disputes import open_disputes


class DisputeResolveForm(ActionForm):
    FORM_TITLE = "Resolve dispute"

    def compose_fields(self) -> ComposeResult:
        yield self.choice_field("Dispute", "dispute", self.dispute_choices(), "the account has no open dispute")
        yield self.field("Resolution", Choice(options(RESOLUTIONS), id="resolution"), fields.choice)
        yield self.field("Note", Input(id="note"), fields.optional_text)

    def dispute_choices(self) -> list[tuple[str, int]]:
        self.disputes = {d["id"]: d for d in open_disputes(self.ctx.db, self.customer_id)}
        return [
            (
                f"{d['invoice_number']}  {self.money(d['amount_cents'])}  {d['reason']}"
                f"  opened {d['opened_at'][:10]} by {d['opened_by']}",
                d["id"],
            )
            for d in self.disputes.values()
        ]

    def save(self, values: dict) -> None:
        dispute = self.disputes[values["dispute"]]
        resolve_dispute(self.ctx, dispute["id"], dispute["version"], values["resolution"], note=values["note"])

    async def reload(self) -> None:
        await super().reload()
        self.refill_select("dispute", self.dispute_choices())
