"""A report's table: the columns that tell rows apart stay at the left, the others scroll
sideways a column at a time (``←``/``→``), so no column is ever cut off.

Pinned are the report's leading columns up to its key columns (Account and Customer when it
has them, else its first column). When they take more than half the width, the leading
columns that are not keys move behind the others and the widest key narrows, and the text
columns that are not keys go after the figures: at 80 columns Account and Customer stay,
with the amounts beside them. A summary line's label (the first column's "Subtotal",
"Total", a group's title) shows in the first column on screen while its own is out of
sight, and left-aligned text runs
on into the empty cells beside it. The header marks hidden columns: ``◀`` where the
scrolling ones start when some are out of sight on the left, ``▶`` at its end when some are
on the right.
"""

from collections.abc import Mapping, Sequence

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.strip import Strip

from arctui.console.widgets.virtual_table import MIN_FLEX, Cell, Column, VirtualTable, _shown

KEY_COLUMNS = ("account", "name")
"""Column keys that tell a report's rows apart (the bundled reports' Account and Customer)."""


def _blank(cell: Cell) -> bool:
    return not (cell.plain if isinstance(cell, Text) else str(cell)).strip()


class ReportTable(VirtualTable):
    BINDINGS = [
        Binding("right,l", "scroll_columns(1)", "More columns"),
        Binding("left,h", "scroll_columns(-1)", "Columns back", show=False),
    ]

    def __init__(self, columns: Sequence[Column], key_columns: Sequence[str] = KEY_COLUMNS, **kwargs):
        super().__init__(columns, **kwargs)
        keys = [i for i, c in enumerate(self.columns) if c.key in key_columns] or [0]
        self.keys = set(keys)
        self.pinned = list(range(max(keys) + 1))
        self.first = 0  # the first scrolling column shown (an index into the scrolling ones)
        self._layouts: dict[tuple[int, int], tuple] = {}
        self._header = False  # the line being drawn is the header

    # -- layout -------------------------------------------------------------------------
    def _plan(self, width: int) -> tuple[list[tuple[int, int]], list[int]]:
        """The pinned columns with their widths, and the scrolling ones in order."""
        pinned = [(i, self.columns[i].width) for i in self.pinned]
        rest = [i for i in range(len(self.columns)) if i not in self.pinned]
        budget = width // 2
        if self._span(pinned) <= budget:
            return pinned, rest
        moved = [i for i, _ in pinned if i not in self.keys]
        pinned = [(i, w) for i, w in pinned if i in self.keys]
        over = self._span(pinned) - budget
        if over > 0:
            text = [n for n, (i, _) in enumerate(pinned) if not self.columns[i].right]
            if text:
                widest = max(text, key=lambda n: pinned[n][1])
                i, w = pinned[widest]
                pinned[widest] = (i, max(MIN_FLEX, w - over))
        figures = [i for i in rest if self.columns[i].right]
        words = [i for i in rest if not self.columns[i].right]
        return pinned, figures + words + moved

    @staticmethod
    def _span(shown: list[tuple[int, int]]) -> int:
        return sum(w for _, w in shown) + max(0, len(shown) - 1)

    def _fitting(self, start: int, rest: list[int], room: int) -> list[tuple[int, int]]:
        shown: list[tuple[int, int]] = []
        for i in rest[start:]:
            need = self.columns[i].width + 1
            if need > room:
                if not shown and room > 1:  # one column wider than the room: shown cut
                    shown.append((i, room - 1))
                break
            shown.append((i, self.columns[i].width))
            room -= need
        return shown

    def _layout(self, width: int) -> list[tuple[int, int]]:
        """(column index, width) of the pinned columns, then of the scrolling ones from
        ``first`` that fit; ``first`` never goes past the point where the last one shows."""
        return self._arrange(width)[0]

    def _arrange(self, width: int) -> tuple[list[tuple[int, int]], tuple[int, int], int]:
        """The layout, the (before, after) counts of hidden columns and how many are pinned."""
        cached = self._layouts.get((width, self.first))
        if cached is not None:
            return cached
        pinned, rest = self._plan(width)
        room = width - self._span(pinned)
        last_start = len(rest)
        while last_start > 0 and len(self._fitting(last_start - 1, rest, room)) == len(rest) - last_start + 1:
            last_start -= 1
        self.first = max(0, min(self.first, last_start if last_start < len(rest) else len(rest) - 1))
        shown = self._fitting(self.first, rest, room)
        window = (self.first, len(rest) - self.first - len(shown))
        arranged = self._layouts[(width, self.first)] = (pinned + shown, window, len(pinned))
        return arranged

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The column keys work (and the footer shows them) only while columns are hidden."""
        if action == "scroll_columns":
            before, after = self.hidden_columns
            return bool(after if parameters and parameters[0] > 0 else before)
        return True

    def action_scroll_columns(self, step: int) -> None:
        _, (before, after), _ = self._arrange(self.scrollable_content_region.width)
        if (step > 0 and not after) or (step < 0 and not before):
            return
        self.first += step
        self._strips.clear()
        self.refresh()
        self.refresh_bindings()

    @property
    def hidden_columns(self) -> tuple[int, int]:
        """How many columns are out of sight on the left and on the right."""
        return self._arrange(self.scrollable_content_region.width)[1]

    def on_mouse_scroll_right(self, event: events.MouseScrollRight) -> None:
        event.stop()
        self.action_scroll_columns(1)

    def on_mouse_scroll_left(self, event: events.MouseScrollLeft) -> None:
        event.stop()
        self.action_scroll_columns(-1)

    def on_resize(self) -> None:
        super().on_resize()
        self._layouts.clear()
        self.refresh_bindings()

    # -- drawing ------------------------------------------------------------------------
    def _render_row(self, y: int, index: int, width: int) -> Strip:
        self._header = y == 0
        return super()._render_row(y, index, width)

    def _line(self, cells: Mapping[str, Cell], style: Style, width: int) -> Strip:
        layout, (before, after), pinned = self._arrange(width)
        values = [cells.get(self.columns[i].key, "") for i, _ in layout]
        label = cells.get(self.columns[0].key, "")
        if layout and all(i != 0 for i, _ in layout) and not _blank(label) and _blank(values[0]):
            values[0] = label  # "Subtotal", "Total", a group's title: never scrolled away
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        n = 0
        while n < len(layout):
            i, room = layout[n]
            cell = _shown(values[n])  # a Text of its own, control characters made visible
            end = n + 1
            if not self.columns[i].right:  # long text runs on into empty cells
                while cell.cell_len > room and end < len(layout) and _blank(values[end]):
                    room += 1 + layout[end][1]
                    end += 1
            cell.truncate(room, overflow="ellipsis", pad=False)
            pad = " " * (room - cell.cell_len)
            if n:
                text.append("◀" if self._header and before and n == pinned else " ")
            if self.columns[i].right:
                text.append(pad)
            text.append_text(cell)
            if not self.columns[i].right:
                text.append(pad)
            n = end
        text.truncate(width, pad=True)
        if self._header and after:
            text.truncate(width - 1, overflow="crop")
            text.append("▶")
        segments = list(text.render(self.app.console))
        return Strip(Segment.apply_style(segments, style), width).crop(0, width)
