"""Escalate an account to management or sales, or recommend suspension, outside collections
(with the agency and the amount placed) or legal, or recommend reinstating an escalation in
force: a lead or manager decides on the recommendations (``E``, or from the inbox ``I``)."""

from functools import partial

from textual.app import ComposeResult
from textual.widgets import Input

from arctui.console.forms import fields
from arctui.console.forms.base import ActionForm, options
from arctui.console.forms.widgets import Choice
from arctui.domain.statuses import ESCALATION_KINDS, RECOMMENDED_ESCALATIONS
from arctui.services.accounts import escalate
from arctui.services.escalations import recommend_escalation, recommend_reinstatement
from arctui.store.read.escalations import in_force
from arctui.store.read.invoices import owed_cents

REINSTATE = "reinstate:"
"""The value of a kind that recommends ending escalation N: ``reinstate:N``."""


class EscalateForm(ActionForm):
    FORM_TITLE = "Escalate"

    def compose_fields(self) -> ComposeResult:
        kinds = options(ESCALATION_KINDS) + [
            (f"reinstate: end {e['kind'].replace('_', ' ')} (since {e['decided_at'][:10]})", f"{REINSTATE}{e['id']}")
            for e in in_force(self.ctx.db, self.customer_id)
        ]
        yield self.field("Escalate to", Choice(kinds, id="kind"), fields.choice)
        yield self.field("Why", Input(id="note"), fields.required_text)
        yield self.field("Agency", Input(placeholder="outside collections only", id="agency"), fields.optional_text)
        owed = owed_cents(self.ctx.db, self.customer_id)
        yield self.field(
            "Amount placed",
            Input(placeholder=f"what the account owes ({self.money(owed)})", id="placed", classes="money"),
            partial(fields.amount, currency=self.currency, most=owed, what="what the account owes", optional=True),
        )

    def live_line(self, values: dict) -> str | None:
        kind = values.get("kind") or ""
        if kind in RECOMMENDED_ESCALATIONS or kind.startswith(REINSTATE):
            return "A recommendation: the account changes once a lead or manager other than you approves it."
        return None

    def cross_check(self, values: dict) -> str | None:
        placing = values["kind"] == "outside_collections"
        if placing and not values["agency"]:
            return "Outside collections names the agency the account is placed with."
        if not placing and (values["agency"] or values["placed"]):
            return "Only outside collections places the account with an agency."
        return None

    def save(self, values: dict) -> None:
        kind, note = values["kind"], values["note"]
        if kind.startswith(REINSTATE):
            recommend_reinstatement(self.ctx, int(kind.removeprefix(REINSTATE)), note)
        elif kind == "outside_collections":
            recommend_escalation(
                self.ctx,
                self.customer_id,
                kind,
                note,
                self.customer["version"],
                values["agency"],
                values["placed"] or None,
            )
        else:
            escalate(self.ctx, self.customer_id, kind, note=note, version=self.customer["version"])
