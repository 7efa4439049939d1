"""Days late over the account's recent paid invoices, as a sparkline with its average."""

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Sparkline, Static

from arctui.store.read.invoices import PaymentTrend


def _late(days: float) -> str:
    return f"{days:g} days late" if days >= 0 else f"{-days:g} days early"


class PaymentTrendView(Vertical):
    def compose(self) -> ComposeResult:
        yield Static(id="trend-label")
        yield Sparkline([], id="trend-line")

    def show(self, trend: PaymentTrend) -> None:
        label = self.query_one("#trend-label", Static)
        if trend.average is None:
            label.update("No paid invoices yet")
        else:
            label.update(
                f"Avg {_late(trend.average)} over last {len(trend.days_late)} paid"
                f" (latest {_late(trend.days_late[-1])})"
            )
        line = self.query_one(Sparkline)
        line.display = len(trend.days_late) > 1  # one point draws no trend
        line.data = trend.days_late
