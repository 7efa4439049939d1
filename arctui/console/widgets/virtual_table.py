"""A table that asks its row source for the rows on screen only.

Textual's DataTable keeps every row as widgets' data (about 15 s to fill 100,000 rows);
this one keeps the row count and a few cached pages, so opening and scrolling cost the same
for a thousand rows or a million.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from arctui.domain.control_chars import has_control_chars, visible

PAGE = 100
MIN_FLEX = 16
Cell = str | Text  # narrowest the shared (name) column may get before columns are hidden


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int = 0  # 0: shares the width left over by the fixed columns
    right: bool = False  # right-aligned (numbers)
    priority: int = 0  # on a narrow screen the highest priority numbers are hidden first


class RowSource(Protocol):
    """Where the rows come from: a count and windows of (key, {column key: cell})."""

    def count(self) -> int: ...

    def fetch(self, offset: int, limit: int) -> Sequence[tuple[object, Mapping[str, Cell]]]: ...


class ListSource:
    """Rows already in memory (the queue: one row per account)."""

    def __init__(self, rows: Sequence[tuple[object, Mapping[str, Cell]]] = ()):
        self.rows = list(rows)

    def count(self) -> int:
        return len(self.rows)

    def fetch(self, offset: int, limit: int):
        return self.rows[offset : offset + limit]


class VirtualTable(ScrollView, can_focus=True, inherit_bindings=False):
    """Columns over a RowSource; the first line is the header, a cursor highlights one row."""

    COMPONENT_CLASSES = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--odd",
        "virtual-table--empty",
    }
    BINDINGS = [
        Binding("j,down", "cursor(1)", "Down", show=False),
        Binding("k,up", "cursor(-1)", "Up", show=False),
        Binding("g,home", "first", "First", show=False),
        Binding("G,end", "last", "Last", show=False),
        Binding("pagedown,ctrl+f", "page(1)", "Page down", show=False),
        Binding("pageup,ctrl+b", "page(-1)", "Page up", show=False),
        Binding("enter", "select", "Open", show=False),
    ]

    cursor = reactive(0, always_update=True)

    class Highlighted(Message):
        def __init__(self, table: "VirtualTable", key: object):
            super().__init__()
            self.table, self.key = table, key

        @property
        def control(self) -> "VirtualTable":
            return self.table

    class Selected(Highlighted):
        """Enter (or a click on the highlighted row)."""

    def __init__(
        self, columns: Sequence[Column], source: RowSource | None = None, empty_text: str = "Nothing to show", **kwargs
    ):
        super().__init__(**kwargs)
        self.columns = list(columns)
        self.source: RowSource = source or ListSource()
        self.empty_text = empty_text
        self.row_count = 0
        self._pages: dict[int, list] = {}
        self._strips: dict[tuple, Strip] = {}  # (row index, has cursor, width) -> line
        self._last_key: object = None

    # -- data ---------------------------------------------------------------------------
    def set_source(self, source: RowSource) -> None:
        self.source = source
        self.cursor = 0
        self.scroll_to(y=0, animate=False)
        self.reload(keep=False)

    def reload(self, keep: bool = True) -> None:
        """Forget the cached pages and count again; keep the cursor on the same key if the
        source can find it, else on the same position."""
        key = self.cursor_key if keep else None
        self._pages.clear()
        self._strips.clear()
        self.row_count = self.source.count()
        self.virtual_size = Size(self.virtual_size.width, self.row_count + 1)
        index = None
        if key is not None and hasattr(self.source, "index_of"):
            index = self.source.index_of(key)
        self.cursor = self._clamp(self.cursor if index is None else index)
        self.refresh()

    def row(self, index: int):
        """(key, cells) of row ``index``, fetched with its page when not cached."""
        if not 0 <= index < self.row_count:
            return None
        page = index // PAGE
        if page not in self._pages:
            if len(self._pages) > 8:  # keep memory flat however far the user scrolls
                self._pages.clear()
            self._pages[page] = list(self.source.fetch(page * PAGE, PAGE))
        rows = self._pages[page]
        offset = index - page * PAGE
        return rows[offset] if offset < len(rows) else None

    @property
    def cursor_key(self):
        found = self.row(self.cursor)
        return found[0] if found else None

    # -- cursor -------------------------------------------------------------------------
    def _clamp(self, index: int) -> int:
        return max(0, min(index, self.row_count - 1))

    @property
    def _body_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def watch_cursor(self, old: int, new: int) -> None:
        top = round(self.scroll_y)
        if new < top:
            self.scroll_to(y=new, animate=False, immediate=True)
        elif new >= top + self._body_height:
            self.scroll_to(y=new - self._body_height + 1, animate=False, immediate=True)
        else:  # no scroll: only the two rows whose cursor mark changed are drawn again
            self.refresh_line(old + 1)
            self.refresh_line(new + 1)
        key = self.cursor_key
        if key != self._last_key or old != new:
            self._last_key = key
            self.post_message(self.Highlighted(self, key))

    def action_cursor(self, step: int) -> None:
        self.cursor = self._clamp(self.cursor + step)

    def action_page(self, direction: int) -> None:
        self.cursor = self._clamp(self.cursor + direction * self._body_height)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = self._clamp(self.row_count - 1)

    def action_select(self) -> None:
        key = self.cursor_key
        if key is not None:
            self.post_message(self.Selected(self, key))

    def on_click(self, event: events.Click) -> None:
        if event.y < 1:
            return
        index = round(self.scroll_y) + event.y - 1
        if index < self.row_count:
            if index == self.cursor and event.chain > 1:
                self.action_select()
            self.cursor = index

    # -- rendering ----------------------------------------------------------------------
    def _layout(self, width: int) -> list[tuple[int, int]]:
        """(column index, width) of the columns that fit, hiding by priority."""
        shown = list(range(len(self.columns)))
        while True:
            columns = [self.columns[i] for i in shown]
            fixed = sum(c.width for c in columns) + len(columns) - 1
            flexible = sum(1 for c in columns if not c.width)
            share = (width - fixed) // flexible if flexible else 0
            droppable = [i for i in shown if self.columns[i].priority]
            if (not flexible or share >= MIN_FLEX) and fixed <= width or not droppable:
                return [(i, self.columns[i].width or max(share, 4)) for i in shown]
            top = max(self.columns[i].priority for i in droppable)
            shown.remove(max(i for i in droppable if self.columns[i].priority == top))

    def _line(self, cells: Mapping[str, Cell], style: Style, width: int) -> Strip:
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        for n, (i, cell_width) in enumerate(self._layout(width)):
            cell = cells.get(self.columns[i].key, "")
            cell = _shown(cell)
            cell.truncate(cell_width, overflow="ellipsis", pad=False)
            pad = " " * (cell_width - cell.cell_len)
            if n:
                text.append(" ")
            if self.columns[i].right:
                text.append(pad)
            text.append_text(cell)
            if not self.columns[i].right:
                text.append(pad)
        text.truncate(width, pad=True)
        segments = list(text.render(self.app.console))
        return Strip(Segment.apply_style(segments, style), width).crop(0, width)

    def notify_style_update(self) -> None:
        self._strips.clear()
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = round(self.scroll_y) + y - 1
        cache_key = (index if y else -1, index == self.cursor, width)
        strip = self._strips.get(cache_key)
        if strip is None:
            if len(self._strips) > 1000:
                self._strips.clear()
            strip = self._strips[cache_key] = self._render_row(y, index, width)
        return strip

    def _render_row(self, y: int, index: int, width: int) -> Strip:
        base = self.rich_style
        if y == 0:
            style = base + self.get_component_rich_style("virtual-table--header")
            return self._line({c.key: c.label for c in self.columns}, style, width)
        if self.row_count == 0 and y == 1:
            style = base + self.get_component_rich_style("virtual-table--empty")
            text = Text(self.empty_text, no_wrap=True, end="")
            text.truncate(width, overflow="ellipsis", pad=True)
            return Strip(Segment.apply_style(list(text.render(self.app.console)), style), width)
        found = self.row(index)
        if found is None:
            return Strip.blank(width, base)
        style = base
        if index % 2:
            style += self.get_component_rich_style("virtual-table--odd")
        if index == self.cursor:
            style += self.get_component_rich_style("virtual-table--cursor")
        return self._line(found[1], style, width)

    def on_resize(self) -> None:
        self._strips.clear()
        self.virtual_size = Size(self.size.width, self.row_count + 1)


def _shown(cell: Cell) -> Text:
    """A cell as a Text of its own, control characters written as escapes (``visible``);
    a styled cell that holds one keeps its style, not its spans."""
    if not isinstance(cell, Text):
        return Text(visible(str(cell)))
    if has_control_chars(cell.plain):
        return Text(visible(cell.plain), style=cell.style)
    return cell.copy()
