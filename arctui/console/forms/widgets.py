"""The forms' own list widgets: a Select that takes type-to-select while closed, and a
checklist whose ticks show as a mark (not only as a colour) with keys to tick all and to tick
the past-due entries."""

from time import monotonic

from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.strip import Strip
from textual.widgets import Select, SelectionList
from textual.widgets.option_list import OptionDoesNotExist

TYPE_PAUSE_SECONDS = 1.0
"""Letters typed within this of each other make one search ("NO" finds NOTE, not NA)."""


class Choice(Select):
    """A Select whose closed box takes letters and digits: they pick the first option whose
    text starts with what was typed (an option's code first), else the first that contains
    it. Enter, space and the arrows still open the list; ``?`` is left to the form (its keys).
    A read-only one is shown and focusable but keeps its choice."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._typed = ""
        self._typed_at = 0.0
        self.read_only = False
        """Shown and focusable, but its choice cannot be changed."""

    def action_show_overlay(self) -> None:
        if not self.read_only:
            super().action_show_overlay()

    async def _on_key(self, event: events.Key) -> None:
        if self.read_only or self.expanded or not event.is_printable or event.character in (None, " ", "?"):
            return
        now = monotonic()
        query = (self._typed if now - self._typed_at < TYPE_PAUSE_SECONDS else "") + event.character
        self._typed_at = now
        event.stop()
        event.prevent_default()
        value = self.match(query)
        if value is None and len(query) > 1:  # a new search from this letter
            query = event.character
            value = self.match(query)
        self._typed = query
        if value is not None and value != self.value:
            self.value = value

    def match(self, query: str):
        """The value of the first option whose text starts with ``query``, else the first
        that contains it (case ignored); None when none does."""
        query = query.casefold()
        choices = [(str(prompt).casefold(), value) for prompt, value in self._options if value is not self.NULL]
        for text, value in choices:
            if text.startswith(query):
                return value
        for text, value in choices:
            if query in text:
                return value
        return None


class CheckList(SelectionList):
    """A SelectionList showing ``[x]`` for a ticked entry and ``[ ]`` for one that is not,
    so the state reads without colour (NO_COLOR, 16 colours); ``a`` ticks every entry (or,
    when all are ticked, none) and ``p`` ticks exactly the past-due ones. A read-only list
    can be scrolled but not changed."""

    BINDINGS = [
        Binding("a", "tick_all", "Tick all / none", show=False),
        Binding("p", "tick_past_due", "Tick the past-due ones", show=False),
    ]

    def __init__(self, *selections, past_due=(), **kwargs):
        super().__init__(*selections, **kwargs)
        self.past_due = set(past_due)
        self.read_only = False

    def values(self) -> list:
        return [self.get_option_at_index(i).value for i in range(self.option_count)]

    def action_select(self) -> None:
        if not self.read_only:
            super().action_select()

    def action_tick_all(self) -> None:
        if self.read_only:
            return
        if len(self.selected) == self.option_count:
            self.deselect_all()
        else:
            self.select_all()

    def action_tick_past_due(self) -> None:
        if self.read_only:
            return
        self.tick_exactly(v for v in self.values() if v in self.past_due)

    def tick_exactly(self, values) -> None:
        """Tick these entries and no other, with one SelectedChanged."""
        wanted = set(values)
        with self.prevent(self.SelectedChanged):
            self.deselect_all()
            for value in self.values():
                if value in wanted:
                    self.select(value)
        self._message_changed()

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        try:
            option = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        segments = list(strip)
        if len(segments) < 4:
            return strip
        mark = "x" if option.value in self._selected else " "
        style = segments[1].style
        return Strip([Segment("[", style), Segment(mark, style), Segment("]", style), *segments[3:]])
