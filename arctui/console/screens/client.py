"""One account: header, payment trend, timeline (newest first) and open invoices with aging."""

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Header

from arctui.console import cells
from arctui.console.actions import action_bindings
from arctui.console.commands import FOOTER_ACTIONS, in_footer
from arctui.console.screens import invoices
from arctui.console.screens.account_actions import MOVE_KEYS, AccountActionsScreen
from arctui.console.screens.invoices import InvoiceSource
from arctui.console.widgets.client_header import ClientHeader
from arctui.console.widgets.payment_trend import PaymentTrendView
from arctui.console.widgets.virtual_table import Column, VirtualTable
from arctui.domain.control_chars import visible
from arctui.services.dunning import account_outlook, outlook_line
from arctui.services.errors import ServiceError
from arctui.store.read import invoices as read_invoices
from arctui.store.read import timeline
from arctui.store.read.aging import account_aging, book_buckets
from arctui.store.read.invoices import InvoiceFilter

TIMELINE_COLUMNS = [
    Column("at", "When", 10),
    Column("kind", "What", 11),
    Column("summary", "Detail"),
    Column("amount", "Amount", 13, right=True),
    Column("by", "By", 8, priority=1),
]
INVOICE_COLUMNS = [c for c in invoices.COLUMNS if c.key not in ("customer", "account")]
NAV_KEYS = MOVE_KEYS | {"tab", "shift+tab"}


class TimelineSource:
    def __init__(self, db, customer_id: int, currency: str):
        self.db, self.customer_id, self.currency = db, customer_id, currency

    def count(self) -> int:
        return timeline.count_events(self.db, self.customer_id)

    def fetch(self, offset: int, limit: int):
        events = timeline.timeline(self.db, self.customer_id, offset=offset, limit=limit)
        return [
            (
                (e.kind, e.ref),
                {
                    "at": e.at[:10],
                    "kind": e.kind.replace("_", " "),
                    "summary": e.summary,
                    "amount": cells.money(e.amount_cents, e.currency or self.currency),
                    "by": e.by or "",
                },
            )
            for e in events
        ]


class ClientScreen(AccountActionsScreen):
    NAV_KEYS = NAV_KEYS
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("q", "back", "Back", show=False),
        Binding("tab", "app.focus_next", "Next pane", show=False),
        *in_footer(action_bindings(NAV_KEYS), FOOTER_ACTIONS),  # the footer fits 80 columns
    ]

    def __init__(self, customer_id: int):
        super().__init__()
        self.customer_id = customer_id

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="client-top"):
            yield ClientHeader(id="client-header")
            yield PaymentTrendView(id="trend")
        yield VirtualTable(TIMELINE_COLUMNS, id="timeline", empty_text="Nothing has happened yet.")
        yield VirtualTable(INVOICE_COLUMNS, id="client-invoices", empty_text="No open invoices.")
        yield Footer()

    def on_mount(self) -> None:
        ctx = self.app.ctx
        summary = timeline.account_summary(ctx.db, self.customer_id)
        currency = summary.customer["currency"]
        self.query_one("#timeline", VirtualTable).set_source(TimelineSource(ctx.db, self.customer_id, currency))
        self.query_one("#client-invoices", VirtualTable).set_source(
            InvoiceSource(ctx.db, ctx.today(), InvoiceFilter(customer_id=self.customer_id), "due", False)
        )
        self.query_one("#timeline").border_title = "Timeline"
        self.query_one("#client-invoices").border_title = "Open invoices"
        self._show_summary(summary)
        self.query_one("#timeline").focus()

    def _show_summary(self, summary) -> None:
        c = summary.customer
        self.title = f"arctui: {c['name']} ({c['account_no']})"
        self.sub_title = f"{self.app.ctx.user} · {self.app.ctx.today().isoformat()}"
        header = self.query_one(ClientHeader)
        ctx = self.app.ctx
        buckets = book_buckets(ctx.db)
        aging = account_aging(ctx.db, ctx.today(), [self.customer_id], buckets)
        header.show(summary, aging.get(self.customer_id, dict.fromkeys(buckets.names, 0)))
        header.border_subtitle = Text(visible(self._outlook()))
        trend = read_invoices.payment_trend(self.app.ctx.db, self.customer_id)
        self.query_one(PaymentTrendView).show(trend)

    def _outlook(self) -> str:
        """The account's collection strategy and its next dunning step, as today's run sees them."""
        try:
            return outlook_line(account_outlook(self.app.ctx, self.customer_id))
        except ServiceError as exc:
            return f"strategy: {exc}"

    def reload_data(self) -> None:
        self._show_summary(timeline.account_summary(self.app.ctx.db, self.customer_id))
        for table in self.query(VirtualTable):
            table.reload()

    def current_customer_id(self) -> int:
        return self.customer_id

    def action_back(self) -> None:
        self.app.pop_screen()
