"""Why is this account where it is in the queue: every score component, named in words,
with its reason; what "age-weighted" means under the past-due line."""

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from arctui.domain.control_chars import visible
from arctui.domain.score import AGE_WEIGHTS
from arctui.services.queue import QueueRow

FACTORS = {
    "past_due": "Past due",
    "broken_promise": "Broken promise",
    "promise_due": "Promise due",
    "no_contact": "No contact",
    "follow_up_due": "Follow-up due",
    "disputed": "Disputed",
    "on_plan": "On a payment plan",
    "over_limit": "Over credit limit",
    "missed_instalment": "Missed instalment",
}
AGE_WEIGHTED = (
    "age-weighted: older debt weighs more, "
    + ", ".join(f"×{weight} at {bucket}" for bucket, weight in AGE_WEIGHTS.items())
    + " days late"
)


def factor_name(name: str) -> str:
    """A score component's name in words ("broken_promise" → "Broken promise")."""
    return FACTORS.get(name) or name.replace("_", " ").capitalize()


class WhyPanel(Static):
    def show(self, row: QueueRow | None) -> None:
        if row is None:
            self.update("")
            return
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(justify="right", width=6, no_wrap=True)
        table.add_column(ratio=1)
        for component in row.score.components:
            table.add_row(
                f"{component.points:+.1f}", Text(visible(f"{factor_name(component.name)}: {component.reason}"))
            )
            if component.name == "past_due":
                table.add_row("", Text(AGE_WEIGHTED, style="italic"))
        if not row.score.components:
            table.add_row("0", "nothing past due or due today")
        table.add_row(Text(f"{row.score.total:.1f}", style="bold"), Text("total", style="bold"))
        self.border_title = Text(visible(f"Why {row.account_no}"))
        self.update(table)
