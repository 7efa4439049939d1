"""Why is this account where it is in the queue: every score component with its reason."""

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from arctui.domain.control_chars import visible
from arctui.services.queue import QueueRow


class WhyPanel(Static):
    def show(self, row: QueueRow | None) -> None:
        if row is None:
            self.update("")
            return
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(justify="right", width=6, no_wrap=True)
        table.add_column(ratio=1)
        for component in row.score.components:
            table.add_row(f"{component.points:+.1f}", Text(visible(f"{component.name}: {component.reason}")))
        if not row.score.components:
            table.add_row("0", "nothing past due or due today")
        table.add_row(Text(f"{row.score.total:.1f}", style="bold"), Text("total", style="bold"))
        self.border_title = Text(visible(f"Why {row.account_no}"))
        self.update(table)
