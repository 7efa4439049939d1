"""Every open invoice of the portfolio: virtual (only the rows on screen are queried),
sortable and filterable; ``w`` proposes writing off the invoice under the cursor."""

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from arctui.console import cells
from arctui.console.filter_query import parse_filter
from arctui.console.widgets.filter_bar import FilterBar
from arctui.console.widgets.virtual_table import Column, VirtualTable
from arctui.store.read import invoices as read_invoices
from arctui.store.read.invoices import SORTS, InvoiceFilter

COLUMNS = [
    Column("number", "Invoice", 12),
    Column("customer", "Customer"),
    Column("account", "Account", 8, priority=4),
    Column("issued", "Issued", 10, priority=2),
    Column("due", "Due", 10),
    Column("days", "Days", 5, right=True),
    Column("bucket", "Bucket", 7, priority=1),
    Column("amount", "Amount", 13, right=True, priority=3),
    Column("open", "Open", 13, right=True),
]
# sort key -> (what, ascending order in words, descending order in words)
SORT_LABELS = {
    "due": ("due date", "oldest first", "newest first"),
    "amount": ("open amount", "smallest first", "largest first"),
    "customer": ("customer", "A to Z", "Z to A"),
    "number": ("invoice number", "lowest first", "highest first"),
    "issued": ("issue date", "oldest first", "newest first"),
}


class InvoiceSource:
    """Open invoices under a filter and a sort, fetched one window at a time."""

    def __init__(self, db, today, flt: InvoiceFilter, sort: str, descending: bool):
        self.db, self.today, self.flt = db, today, flt
        self.sort, self.descending = sort, descending
        self.total: int | None = None

    def count(self) -> int:
        self.total = read_invoices.count_open(self.db, self.today, self.flt)
        return self.total

    def index_of(self, key) -> int | None:
        return read_invoices.position_of(
            self.db, self.today, key[0], self.flt, sort=self.sort, descending=self.descending
        )

    def fetch(self, offset: int, limit: int):
        rows = read_invoices.open_invoices(
            self.db,
            self.today,
            self.flt,
            sort=self.sort,
            descending=self.descending,
            offset=offset,
            limit=limit,
            total=self.total,
        )
        return [
            (
                (row.id, row.customer_id),
                {
                    "number": row.number,
                    "customer": row.customer_name,
                    "account": row.account_no,
                    "issued": row.issue_date,
                    "due": row.due_date,
                    "days": str(row.days_past_due),
                    "bucket": row.bucket,
                    "amount": cells.money(row.amount_cents, row.currency),
                    "open": cells.money(row.open_cents, row.currency),
                },
            )
            for row in rows
        ]


class InvoicesScreen(Screen):
    BINDINGS = [
        Binding("slash", "filter", "Filter"),
        Binding("s", "next_sort", "Sort"),
        Binding("r", "reverse", "Reverse"),
        Binding("w", "write_off", "Write off"),
        Binding("escape", "back", "Back"),
        Binding("q", "back", "Back", show=False),
    ]

    def __init__(self, collector: str | None):
        super().__init__()
        self.base = InvoiceFilter(collector=collector)
        self.flt = self.base
        self.sort, self.descending = "due", False

    def compose(self) -> ComposeResult:
        yield Header()
        yield FilterBar(id="filter")
        yield Static(id="status")
        yield VirtualTable(COLUMNS, id="invoices", empty_text="No open invoices match.")
        yield Footer()

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#invoices", VirtualTable)

    def on_mount(self) -> None:
        self.query_one("#filter").display = False
        who = self.base.collector
        self.title = f"arctui: open invoices · {who or 'whole team'}"
        self.sub_title = self.app.ctx.today().isoformat()
        self._set_source()
        self.table.focus()

    def _set_source(self, problems: list[str] = ()) -> None:
        ctx = self.app.ctx
        self.table.set_source(InvoiceSource(ctx.db, ctx.today(), self.flt, self.sort, self.descending))
        self._show_status(problems)

    def reload_data(self) -> None:
        if self.flt.bucket and self.flt.bucket not in read_invoices.filter_choices(self.app.ctx.db)["bucket"]:
            self._apply_filter(self.query_one(FilterBar).value)  # a manager changed the book's buckets
            return
        self.table.reload()
        self._show_status()

    def _show_status(self, problems: list[str] = ()) -> None:
        what, ascending, descending = SORT_LABELS[self.sort]
        text = (
            f"{self.table.row_count:,} open invoices · sorted by {what}, {descending if self.descending else ascending}"
        )
        if self.query_one(FilterBar).value:
            text += f" · filter: {self.query_one(FilterBar).value}"
        if problems:
            text += " · " + "; ".join(problems)
        self.query_one("#status", Static).update(text)

    def action_next_sort(self) -> None:
        names = list(SORTS)
        self.sort = names[(names.index(self.sort) + 1) % len(names)]
        self._set_source()

    def action_reverse(self) -> None:
        self.descending = not self.descending
        self._set_source()

    def action_filter(self) -> None:
        self.query_one(FilterBar).open()

    @on(FilterBar.Edited)
    def _filter_changed(self, event: FilterBar.Edited) -> None:
        self._apply_filter(event.text)

    def _apply_filter(self, text: str) -> None:
        choices = read_invoices.filter_choices(self.app.ctx.db)
        self.flt, problems = parse_filter(text, choices, self.base)
        self._set_source(problems)

    @on(FilterBar.Done)
    def _filter_done(self) -> None:
        self.table.focus()

    def action_back(self) -> None:
        if self.query_one(FilterBar).value:
            self.query_one(FilterBar).action_clear_filter()
        else:
            self.app.pop_screen()

    def action_write_off(self) -> None:
        from arctui.console.forms.write_off import WriteOffForm

        key = self.table.cursor_key
        if key is None:
            self.notify("No invoice selected.", severity="warning")
            return
        invoice_id, customer_id = key
        self.app.push_screen(WriteOffForm(self.app.ctx, customer_id, invoice_id), self.app.after_action)

    @on(VirtualTable.Selected, "#invoices")
    def _open_client(self, event: VirtualTable.Selected) -> None:
        self.app.open_client(event.key[1])
