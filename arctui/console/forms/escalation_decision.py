"""A lead's or manager's decision on the account's escalation recommendations (suspension,
outside collections, legal, reinstatement): approve, or reject saying why."""

from textual.app import ComposeResult
from textual.widgets import Input

from arctui.console.forms import fields
from arctui.console.forms.base import ActionForm
from arctui.console.forms.widgets import Choice
from arctui.domain.money import format_money
from arctui.services.escalations import decide_escalation
from arctui.store.read.escalations import pending

_DECISIONS = [("approve", "approve"), ("reject (say why)", "reject")]


class EscalationDecisionForm(ActionForm):
    FORM_TITLE = "Decide escalations"

    def compose_fields(self) -> ComposeResult:
        yield self.choice_field(
            "Recommendation", "escalation", self.choices(), "no escalation of this account waits for a decision"
        )
        yield self.field("Decision", Choice(_DECISIONS, id="decision"), fields.choice)
        yield self.field("Note", Input(id="note"), fields.optional_text)

    def choices(self) -> list[tuple[str, int]]:
        self.pending = {e["id"]: e for e in pending(self.ctx.db, self.customer_id)}
        return [(self.label(e), e["id"]) for e in self.pending.values()]

    @staticmethod
    def label(e: dict) -> str:
        what = e["kind"].replace("_", " ")
        if e["step"] == "reinstate":
            what = f"reinstate (end {what})"
        if e["agency"]:
            what += f" with {e['agency']}, {format_money(e['placed_cents'], e['currency'])}"
        return f"{what}: {e['note']}  by {e['recommended_by']} {e['recommended_at'][:10]}"

    def cross_check(self, values: dict) -> str | None:
        if values["decision"] == "reject" and not values["note"]:
            return "A rejection needs a note saying why."
        return None

    def save(self, values: dict) -> None:
        escalation = self.pending[values["escalation"]]
        approve = values["decision"] == "approve"
        decide_escalation(self.ctx, escalation["id"], escalation["version"], approve, values["note"])

    async def reload(self) -> None:
        await super().reload()
        self.refill_select("escalation", self.choices())
