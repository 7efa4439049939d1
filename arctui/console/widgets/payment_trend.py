"""Days late over the account's recent paid invoices, as a sparkline with its average."""
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Sparkline, Static

from arctui.services.invoice_list import PaymentTrend


class PaymentTrendView(Vertical):
    def compose(self) -> ComposeResult:
        yield Static(id="trend-label")
        yield Sparkline([], id="trend-line")

    def show(self, trend: PaymentTrend) -> None:
        label = self.query_one("#trend-label", Static)
        if trend.average is None:
            label.update("No paid invoices yet")
        else:
            label.update(f"Avg {trend.average:g} days late over last {len(trend.days_late)} paid"
                         f" (latest {trend.days_late[-1]})")
        line = self.query_one(Sparkline)
        line.display = bool(trend.days_late)
        line.data = [max(0, d) for d in trend.days_late]
