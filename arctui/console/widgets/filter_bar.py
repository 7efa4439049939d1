"""The ``/`` line: filters as you type; enter keeps the filter, esc clears it."""

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

from arctui.console.filter_query import HELP


class FilterBar(Input):
    BINDINGS = [
        Binding("escape", "clear_filter", "Clear filter"),
        Binding("enter", "keep_filter", "Keep filter"),
    ]

    class Edited(Message):
        """The filter line changed (debounced while typing)."""

        def __init__(self, bar: "FilterBar", text: str):
            super().__init__()
            self.bar, self.text = bar, text

    class Done(Message):
        """The user left the filter line (enter or esc)."""

    def __init__(self, **kwargs):
        super().__init__(placeholder=HELP, **kwargs)
        self._timer = None

    def open(self) -> None:
        self.display = True
        self.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(0.15, self._announce)

    def _announce(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.post_message(self.Edited(self, self.value))

    def action_clear_filter(self) -> None:
        changed = bool(self.value)
        self.value = ""
        self.display = False
        if changed:
            self._announce()
        self.post_message(self.Done())

    def action_keep_filter(self) -> None:
        if self._timer is not None:
            self._announce()
        if not self.value:
            self.display = False
        self.post_message(self.Done())
