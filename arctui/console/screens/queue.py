"""My queue: accounts ranked by priority score, with the "why" of the highlighted one."""

from concurrent.futures import Future
from dataclasses import replace
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Header, Static

from arctui.console import cells
from arctui.console.actions import action_bindings
from arctui.console.commands import FOOTER_ACTIONS, in_footer
from arctui.console.filter_query import parse_filter
from arctui.console.screens.account_actions import MOVE_KEYS, AccountActionsScreen
from arctui.console.screens.reports import ReportListScreen
from arctui.console.widgets.filter_bar import FilterBar
from arctui.console.widgets.virtual_table import Column, VirtualTable
from arctui.console.widgets.why_panel import WhyPanel
from arctui.domain.aging import STANDARD, AgingBuckets
from arctui.services.queue import QueueRow, build_queue, from_scratch_note
from arctui.store.read import invoices as read_invoices
from arctui.store.read.aging import account_aging, accounts_in_bucket, book_buckets
from arctui.store.read.invoices import InvoiceFilter


def queue_columns(buckets: AgingBuckets) -> list[Column]:
    """The queue's columns, one per bucket of the book's; narrow screens hide the young buckets
    first, the oldest always shows."""
    last = len(buckets.names) - 1
    labels = {b: "0" if b == "current" else b for b in buckets.names}
    return [
        Column("name", "Customer"),
        Column("account", "Account", 8, priority=6),
        Column("past_due", "PastDue", 7, right=True),
        *(
            Column(b, labels[b], max(6, len(labels[b])), right=True, priority=0 if n == last else last + 1 - n)
            for n, b in enumerate(buckets.names)
        ),
        Column("oldest", "Old", 4, right=True, priority=1),
        Column("contact", "Cont", 5, right=True, priority=1),
        Column("next", "Next", 18, priority=1),
        Column("score", "Score", 5, right=True),
    ]


NAV_KEYS = MOVE_KEYS | {"i", "w", "I", "R"}
FIRST_PAGE = 200
"""Rows of the queue read while the console starts: its top shows at once, the same for a
collector's queue and the whole team's; the whole queue (for the counts, the filter and
scrolling) is read behind it."""


class QueueSource:
    """Queue rows, made into cells only when shown, with the book's buckets of the rows shown
    (the ranking's facts keep the standard ones); the cursor follows an account across reloads."""

    def __init__(self, rows: list[QueueRow], today, db=None, buckets: AgingBuckets = STANDARD):
        self.rows, self.today, self.db, self.buckets = rows, today, db, buckets
        self.by_id = {row.customer_id: row for row in rows}
        self._index = {row.customer_id: i for i, row in enumerate(rows)}

    def count(self) -> int:
        return len(self.rows)

    def fetch(self, offset: int, limit: int):
        window = self.rows[offset : offset + limit]
        aging = account_aging(self.db, self.today, [row.customer_id for row in window], self.buckets) if window else {}
        return [(row.customer_id, self._cells(row, aging.get(row.customer_id, {}))) for row in window]

    def index_of(self, customer_id) -> int | None:
        return self._index.get(customer_id)

    def _cells(self, row: QueueRow, aging: dict[str, int]) -> dict[str, str]:
        money = lambda cents: cells.compact_money(cents, row.currency)  # noqa: E731
        nxt = row.next_action_date
        oldest = row.oldest_days_past_due
        return {
            "name": row.name,
            "account": row.account_no,
            "past_due": money(row.past_due_cents),
            **{b: money(aging.get(b, 0)) for b in self.buckets.names},
            "oldest": str(oldest) if oldest and oldest > 0 else "",
            "contact": cells.days(row.days_since_contact, "never"),
            "next": f"{cells.short_date(nxt, self.today)} {row.next_action}" if nxt else "",
            "score": f"{row.score.total:.1f}",
        }


class QueueScreen(AccountActionsScreen):
    """The first screen; a team lead may switch to another collector or the whole team."""

    NAV_KEYS = NAV_KEYS

    # the footer keeps what a collector needs most (it fits 80 columns); ``?`` lists the rest
    BINDINGS = [
        *in_footer(action_bindings(NAV_KEYS), FOOTER_ACTIONS),
        Binding("slash", "filter", "Filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("i", "invoices", "Invoices", show=False),
        Binding("w", "whose", "Whose queue", show=False),
        Binding("R", "reports", "Reports"),
        Binding("I", "inbox", "Inbox", tooltip="Inbox: what waits for a lead (leads and managers)"),
        Binding("C", "app.cash_workbench", "Cash", show=False, tooltip="Cash workbench: unapplied receipts"),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self, collector: str | None, first_rows: Future | None = None):
        super().__init__()
        self.collector = collector  # None: the whole team
        self._first_rows = first_rows  # the queue already being read, if any
        self.flt = InvoiceFilter()
        self.rows: list[QueueRow] = []
        self._reading_rest = False  # the rows are the top of the queue, the rest still being read
        self.buckets = STANDARD  # the book's, once mounted

    @property
    def HELP_LEGEND(self) -> dict:  # noqa: N802 (the name every screen's legend goes by)
        past_due = self.buckets.past_due
        return {
            "Queue columns": [
                ("PastDue", "everything past due; amounts in whole units, k thousands, M millions"),
                ("0", "current: open and not yet due"),
                (f"{past_due[0]} … {past_due[-1]}", "past due by that many days (the book's aging buckets)"),
                ("Old", "days the oldest open invoice is past due"),
                ("Cont", "days since the last contact (never: not contacted yet)"),
                ("Next", "the next thing planned: an open promise's date and amount, or a follow-up"),
                ("Score", "priority, highest first; the why panel shows each part of it"),
            ]
        }

    def compose(self) -> ComposeResult:
        self.buckets = book_buckets(self.app.ctx.db)
        yield Header()
        yield FilterBar(id="filter")
        yield Static(id="status")
        with Horizontal(id="queue-body"):
            yield VirtualTable(
                queue_columns(self.buckets), QueueSource([], None), id="queue", empty_text="No accounts in this queue."
            )
            yield WhyPanel(id="why")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#filter").display = False
        if self._first_rows is not None:  # the top of the queue, read while the app started
            first = self._first_rows.result()
            self._first_rows = None
            self._show_rows(self.collector, first, whole=len(first) < FIRST_PAGE)
            if len(first) == FIRST_PAGE:
                self.reload_data()
            if note := from_scratch_note(self.app.ctx.db, self.app.ctx.today()):
                self.notify(note, severity="warning", timeout=10)
        else:
            self.reload_data()
        self.query_one("#queue").focus()

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#queue", VirtualTable)

    def scope_label(self) -> str:
        if self.collector is None:
            return "whole team"
        return "my queue" if self.collector == self.app.ctx.user else f"{self.collector}'s queue"

    def reload_data(self) -> None:
        """Read the queue off the UI thread (a team's queue on a big book takes seconds)."""
        self.run_worker(partial(self._read_queue, self.collector), thread=True, exclusive=True, group="queue")

    def _read_queue(self, collector: str | None) -> None:
        rows = build_queue(self.app.reader, self.app.ctx.today(), collector)
        self.app.call_from_thread(self._show_rows, collector, rows)

    def _show_rows(self, collector: str | None, rows: list[QueueRow], whole: bool = True) -> None:
        """Show ``rows``; not ``whole``: the top of the queue, the rest being read."""
        if collector != self.collector:
            return  # read for a scope the user has since left
        if not (self.app.is_running and self.is_attached):
            return  # the read finished as the console closed: its widgets are gone
        ctx = self.app.ctx
        self.rows, self._reading_rest = rows, not whole
        self._follow_buckets()
        shown = self._filtered(self.rows)
        first_load = self.table.row_count == 0
        self.table.source = self._source(shown)
        self.table.reload(keep=not first_load)
        self.title = f"arctui: {self.scope_label()}"
        self.sub_title = f"{ctx.user} · {ctx.today().isoformat()}"
        self._show_status(shown)
        self._highlight()

    def _follow_buckets(self) -> None:
        """Columns (and the filter) for the book's buckets, should a manager have changed them."""
        buckets = book_buckets(self.app.ctx.db)
        if buckets != self.buckets:
            self.buckets = buckets
            self.table.columns = queue_columns(buckets)
            if self.flt.bucket not in (None, *buckets.names):
                self.flt = replace(self.flt, bucket=None)

    def _source(self, rows: list[QueueRow]) -> QueueSource:
        return QueueSource(rows, self.app.ctx.today(), self.app.ctx.db, self.buckets)

    def _filtered(self, rows: list[QueueRow]) -> list[QueueRow]:
        flt, db, today = self.flt, self.app.ctx.db, self.app.ctx.today()
        keep = None
        if flt.text.strip():
            keep = read_invoices.customers_matching(db, flt.text)
        in_bucket = accounts_in_bucket(db, today, flt.bucket, self.buckets) if flt.bucket else None
        return [
            r
            for r in rows
            if (keep is None or r.customer_id in keep)
            and (in_bucket is None or r.customer_id in in_bucket)
            and (not flt.region or r.region == flt.region)
            and (not flt.status or r.status == flt.status)
            and (not flt.collector or r.owner == flt.collector)
        ]

    def _show_status(self, shown: list[QueueRow], problems: list[str] = ()) -> None:
        totals: dict[str, int] = {}  # the rows shown, per currency (never added across)
        for r in shown:
            totals[r.currency] = totals.get(r.currency, 0) + r.past_due_cents
        past_due = " + ".join(cells.money(cents, currency) for currency, cents in sorted(totals.items()))
        text = f"{len(shown)} of {len(self.rows)} accounts · past due {past_due or cells.money(0)}"
        if self._reading_rest:
            text = f"the first {len(self.rows)} accounts · reading the rest of the queue…"
        if self.query_one("#filter", FilterBar).value:
            text += f" · filter: {self.query_one('#filter', FilterBar).value}"
        if problems:
            text += " · " + "; ".join(problems)
        self.query_one("#status", Static).update(text)

    def current_customer_id(self) -> int | None:
        return self.table.cursor_key

    def _highlight(self) -> None:
        source = self.table.source
        self.query_one(WhyPanel).show(source.by_id.get(self.table.cursor_key))

    @on(VirtualTable.Highlighted, "#queue")
    def _highlighted(self) -> None:
        self._highlight()

    @on(VirtualTable.Selected, "#queue")
    def _open_client(self, event: VirtualTable.Selected) -> None:
        self.app.open_client(event.key)

    # -- filter -------------------------------------------------------------------------
    def action_filter(self) -> None:
        self.query_one(FilterBar).open()

    @on(FilterBar.Edited)
    def _filter_changed(self, event: FilterBar.Edited) -> None:
        choices = read_invoices.filter_choices(self.app.ctx.db)
        self.flt, problems = parse_filter(event.text, choices)
        shown = self._filtered(self.rows)
        self.table.set_source(self._source(shown))
        self._show_status(shown, problems)
        self._highlight()

    @on(FilterBar.Done)
    def _filter_done(self) -> None:
        self.table.focus()

    def action_clear_filter(self) -> None:
        self.query_one(FilterBar).action_clear_filter()

    # -- navigation ---------------------------------------------------------------------
    def action_invoices(self) -> None:
        self.app.open_invoices(self.collector)

    def action_reports(self) -> None:
        self.app.push_screen(ReportListScreen(self.collector))

    def action_inbox(self) -> None:
        self.app.open_inbox()

    def action_whose(self) -> None:
        self.app.choose_queue()

    def show_collector(self, collector: str | None) -> None:
        self.collector = collector
        self.table.set_source(self._source([]))
        self.reload_data()
