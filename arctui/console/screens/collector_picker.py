"""A team lead's choice of whose queue to show: a collector or the whole team."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

TEAM = "__team__"


class CollectorPicker(ModalScreen[str | None]):
    """Dismisses with a collector id, TEAM, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("j", "cursor_down", show=False),
        Binding("k", "cursor_up", show=False),
    ]

    def __init__(self, collectors: list[dict]):
        """``collectors``: each a dict with ``id`` and ``name``."""
        super().__init__()
        self.collectors = collectors

    def compose(self) -> ComposeResult:
        options = [Option("Whole team", id=TEAM)]
        options += [Option(f"{c['name']} ({c['id']})", id=c["id"]) for c in self.collectors]
        yield OptionList(*options, id="picker")

    def on_mount(self) -> None:
        self.query_one("#picker").border_title = "Whose queue?"

    def action_cursor_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
