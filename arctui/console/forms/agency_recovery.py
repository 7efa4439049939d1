"""Record what an outside-collections agency recovered on the account's placement: never more in
all than was placed, on or after the day it was placed and not after today."""

from functools import partial

from textual.app import ComposeResult
from textual.widgets import Input

from arctui.console.forms import fields
from arctui.console.forms.base import ActionForm
from arctui.services.escalations import record_recovery
from arctui.store.read.escalations import placements


class AgencyRecoveryForm(ActionForm):
    FORM_TITLE = "Agency recovery"

    def compose_fields(self) -> ComposeResult:
        self.placements = {p["id"]: p for p in placements(self.ctx.db, self.customer_id)}
        choices = [
            (
                f"{p['agency']}: placed {self.money(p['placed_cents'])} on {p['placed_date']},"
                f" recovered {self.money(p['recovered_cents'])}",
                p["id"],
            )
            for p in self.placements.values()
        ]
        yield self.choice_field("Placement", "placement", choices, "the account is placed with no agency")
        yield self.field("Amount", Input(id="amount", classes="money"), self.parse_amount)
        yield self.field(
            "Received",
            Input(value=self.ctx.today().isoformat(), placeholder="YYYY-MM-DD", id="received"),
            partial(fields.iso_date),
        )
        yield self.field("Note", Input(id="note"), fields.optional_text)

    def parse_amount(self, raw: str) -> int:
        """The amount, checked early against what is left of the placement."""
        placement = self.placements.get(self.raw("placement"))
        left = placement["placed_cents"] - placement["recovered_cents"] if placement else None
        return fields.amount(raw, self.currency, most=left, what="what is left of the placement")

    def save(self, values: dict) -> None:
        record_recovery(self.ctx, values["placement"], values["amount"], values["received"], values["note"])
