"""The console's last line of defence against control characters in what it draws.

Rich strips only BEL, BS, VT, FF and CR from text; ESC, the C1 controls and the bidi
overrides would reach the collector's terminal as they are, so a customer name carrying
``\\x1b]0;pwned\\x07\\x1b[2J`` would retitle the window and clear the screen. The widgets
that show the book's text (the tables, the account header) write such characters as visible
escapes (``visible``); this filter, applied by the app to every line every widget draws,
drops any that got through elsewhere (a form's choices, a notice, a screen title). They take
no cells on a terminal, so dropping them changes no layout.
"""

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from arctui.domain.control_chars import has_control_chars, without_control_chars


class ControlCharacterFilter(LineFilter):
    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if not any(segment.control is None and has_control_chars(segment.text) for segment in segments):
            return segments
        return [
            Segment(without_control_chars(segment.text), segment.style, None) if segment.control is None else segment
            for segment in segments
        ]
