"""``R``: the reports of ``arctui report``, run for the queue's collector (or the team) and
shown in the console; ``enter`` on a report runs it, ``esc`` goes back. A report that
fails (its plugin's bug, an unknown collector) is a notice naming the plugin, and the list
stays."""

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from arctui.console.widgets.virtual_table import Column, ListSource, VirtualTable
from arctui.domain.control_chars import visible
from arctui.services.errors import ServiceError
from arctui.services.reports import available_reports, run_report

_LIST_COLUMNS = [Column("name", "Report", 16), Column("title", "Shows")]
# how a line of each kind stands out: group titles, subtotals and totals
_LINE_STYLES = {"group": "bold underline", "subtotal": "bold", "total": "bold reverse"}


class ReportListScreen(Screen):
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back")]

    def __init__(self, collector: str | None):
        super().__init__()
        self.collector = collector
        self.reports = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(visible(f"Reports for {self.collector or 'the whole team'}: enter runs one")), id="status")
        yield VirtualTable(_LIST_COLUMNS, id="report-list")
        yield Footer()

    def on_mount(self) -> None:
        self.reports = available_reports(self.app.ctx.plugins)
        table = self.query_one(VirtualTable)
        table.set_source(
            ListSource(
                [
                    (name, {"name": name, "title": f"{report.title}: {report.description}"})
                    for name, report in sorted(self.reports.items())
                ]
            )
        )
        table.focus()

    @on(VirtualTable.Selected, "#report-list")
    def open_report(self, event: VirtualTable.Selected) -> None:
        try:
            result = run_report(self.app.ctx, event.key, collector=self.collector)
        except ServiceError as exc:
            self.notify(visible(str(exc)), severity="error", markup=False)
            return
        self.app.push_screen(ReportScreen(result))


class ReportScreen(Screen):
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back")]

    def __init__(self, result):
        super().__init__()
        self.result = result

    def compose(self) -> ComposeResult:
        result = self.result
        yield Header()
        # the result's text is escaped already (ReportResult); shown as text, not markup
        yield Static(Text(f"{result.title} as of {result.as_of.isoformat()}"), id="status")
        lines = result.text_lines()
        # each column as wide as its label or its widest cell (up to 40); on a narrow screen
        # text columns go before figures, later ones before earlier ones
        yield VirtualTable(
            [
                Column(
                    c.key,
                    c.label,
                    min(40, max([len(c.label)] + [len(v[i]) for _, v in lines])),
                    right=c.type != "text" and i > 0,
                    priority=i + (len(result.columns) if c.type in ("text", "date") else 0),
                )
                for i, c in enumerate(result.columns)
            ],
            id="report",
        )
        if result.notes:
            yield Static(Text("\n".join(result.notes)), id="report-notes")
        yield Footer()

    def on_mount(self) -> None:
        columns = self.result.columns
        table = self.query_one(VirtualTable)
        table.set_source(
            ListSource(
                [
                    (
                        index,
                        {
                            c.key: Text(value, style=_LINE_STYLES[kind]) if kind in _LINE_STYLES else value
                            for c, value in zip(columns, values)
                        },
                    )
                    for index, (kind, values) in enumerate(self.result.text_lines())
                ]
            )
        )
        table.focus()
