"""``?``: every key that works on the screen below, what its columns mean (a screen's
``HELP_LEGEND``), and the filter syntax."""

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from arctui.console.filter_query import HELP as FILTER_HELP


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def __init__(
        self, sections: dict[str, list[tuple[str, str]]], legend: dict[str, list[tuple[str, str]]] | None = None
    ):
        super().__init__()
        self.sections = sections  # heading -> (keys, what they do)
        self.legend = legend or {}  # heading -> (column, what it shows)

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for heading, keys in self.sections.items():
            if keys:
                table.add_row(Text(heading, style="underline"), "")
                for key, description in keys:
                    table.add_row(key, description)
        for heading, terms in self.legend.items():
            table.add_row(Text(heading, style="underline"), "")
            for term, meaning in terms:
                table.add_row(term, meaning)
        table.add_row(Text("Filter line", style="underline"), "")
        table.add_row("/", f"{FILTER_HELP}; enter keeps the filter, esc clears it")
        with VerticalScroll(id="help"):
            yield Static(table)

    def on_mount(self) -> None:
        self.query_one("#help").border_title = "Keys (esc to close)"
