"""``?`` inside a form: the keys of that form, over it; esc or ``?`` closes."""

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class FormKeys(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close")]
    DEFAULT_CSS = """
    FormKeys { align: center middle; }
    FormKeys #form-keys-help { width: 100; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1; }
    """

    def __init__(self, title: str, keys: list[tuple[str, str]]):
        super().__init__()
        self.title_text = title
        self.keys = keys

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for key, what in self.keys:
            table.add_row(key, what)
        with VerticalScroll(id="form-keys-help"):
            yield Static(table)

    def on_mount(self) -> None:
        self.query_one("#form-keys-help").border_title = f"{self.title_text} (esc to close)"
