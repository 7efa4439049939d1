"""``R``: the reports of ``arctui report``, run for the queue's collector (or the team) and
shown in the console; ``enter`` on a report (or its digit: 1 to 9, then 0 for the tenth) runs it, ``x`` saves the shown
report to a file whose extension picks the format, ``esc`` goes back. A report that fails
(its plugin's bug, an unknown collector) is a notice naming the plugin, and the list stays.
Wide reports keep Account and Customer at the left and scroll the rest with ``←``/``→``."""

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from arctui.console.screens.report_export import ExportPrompt
from arctui.console.widgets.report_table import ReportTable
from arctui.console.widgets.virtual_table import Column, ListSource, VirtualTable
from arctui.domain.control_chars import visible
from arctui.services.errors import ServiceError
from arctui.services.reports import available_reports, run_report

_LIST_COLUMNS = [Column("digit", "#", 1), Column("name", "Report", 16), Column("title", "Shows")]
# how a line of each kind stands out: group titles, subtotals and totals
_LINE_STYLES = {"group": "bold underline", "subtotal": "bold", "total": "bold reverse"}


class ReportListScreen(Screen):
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back"),
        *(Binding(str(n % 10), f"run({n})", f"Run report {n}", show=False) for n in range(1, 11)),
    ]

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
                    (
                        name,
                        {
                            "digit": str(n % 10) if n <= 10 else "",
                            "name": name,
                            "title": f"{report.title}: {report.description}",
                        },
                    )
                    for n, (name, report) in enumerate(sorted(self.reports.items()), 1)
                ]
            )
        )
        table.focus()

    @on(VirtualTable.Selected, "#report-list")
    def _selected(self, event: VirtualTable.Selected) -> None:
        self.open_report(event.key)

    def action_run(self, n: int) -> None:
        names = sorted(self.reports)
        if n <= len(names):
            self.query_one(VirtualTable).cursor = n - 1
            self.open_report(names[n - 1])

    def open_report(self, name: str) -> None:
        try:
            result = run_report(self.app.ctx, name, collector=self.collector)
        except ServiceError as exc:
            self.notify(visible(str(exc)), severity="error", markup=False)
            return
        self.app.push_screen(ReportScreen(result, name, self.collector))


class ReportScreen(Screen):
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back"),
        Binding("x", "export", "Export to a file"),
    ]

    def __init__(self, result, name: str, collector: str | None = None):
        super().__init__()
        self.result, self.report_name, self.collector = result, name, collector

    def compose(self) -> ComposeResult:
        result = self.result
        yield Header()
        # the result's text is escaped already (ReportResult); shown as text, not markup
        yield Static(Text(f"{result.title} as of {result.as_of.isoformat()}"), id="status")
        lines = result.text_lines()
        # each column as wide as its label or its widest cell (up to 40); Account and
        # Customer stay at the left, the others scroll sideways (ReportTable)
        yield ReportTable(
            [
                Column(
                    c.key,
                    c.label,
                    min(40, max([len(c.label)] + [len(v[i]) for _, v in lines])),
                    right=c.type != "text" and i > 0,
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
        table = self.query_one(ReportTable)
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

    def action_export(self) -> None:
        result = self.result
        self.app.push_screen(ExportPrompt(self.report_name, result.title, result.as_of, self.collector), self._exported)

    def _exported(self, path) -> None:
        if path is not None:
            fmt = path.suffix.lstrip(".").upper() or "TXT"
            self.notify(visible(f"Saved {self.report_name} ({fmt}) to {path}"), title="Report saved", markup=False)
