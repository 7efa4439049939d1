"""What the console tests share: a context at the fixed today, the app, what a table shows."""

from datetime import date

import pytest

from arctui.console.app import ArctuiApp
from arctui.locations import BUNDLED_THEMES
from arctui.services.context import Context, fixed_clock
from arctui.store.connection import connect

TODAY = date(2026, 11, 23)
BOTH_BACKENDS = pytest.mark.parametrize("book", ["sqlite", "postgresql"], indirect=True)
"""A console test so marked runs on a SQLite file and on a PostgreSQL copy of its book (conftest)."""


def context(path, user: str = "alice") -> Context:
    return Context(connect(path), user, fixed_clock(TODAY))


def make_app(path, user: str = "alice", **kwargs) -> ArctuiApp:
    kwargs.setdefault("refresh_seconds", 0)
    kwargs.setdefault("theme_dirs", [BUNDLED_THEMES])
    return ArctuiApp(context(path, user), **kwargs)


def table_lines(table) -> list[str]:
    """The text of a VirtualTable as it is on screen (header first)."""
    return [table.render_line(y).text for y in range(table.scrollable_content_region.height)]


def keys(table) -> list:
    return [table.row(i)[0] for i in range(table.row_count)]


def shown(widget) -> str:
    """The text a widget shows on screen, line by line."""
    from textual.geometry import Region

    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "\n".join(strip.text.rstrip() for strip in strips)


async def settle(pilot, seconds: float | None = None) -> None:
    """Wait (``seconds``, then) for the background reads and the redraw they cause."""
    await pilot.pause(seconds)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot, condition, timeout: float = 5.0) -> None:
    """Let the app run until ``condition()`` holds (fails after ``timeout`` seconds)."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the app never got there"
        await pilot.pause(0.02)


async def workbench_at(pilot, payment_id: int):
    """Open the cash workbench (``C``) with the cursor on receipt ``payment_id``; the screen."""
    from arctui.console.screens.cash import CashScreen

    await pilot.pause()
    await pilot.press("C")
    await until(pilot, lambda: isinstance(pilot.app.screen, CashScreen))
    screen = pilot.app.screen
    screen.query_one("#cash").cursor = next(i for i, r in enumerate(screen.rows) if r["id"] == payment_id)
    await pilot.pause()
    return screen


async def pick_in_palette(pilot, text: str) -> None:
    """Type ``text`` in the open command palette and run the first match once it shows."""
    from textual.command import CommandList

    await pilot.press(*text)

    def first_match() -> bool:
        found = pilot.app.screen.query(CommandList)
        return (
            bool(found)
            and found.first().option_count > 0
            and text.lower() in str(found.first().get_option_at_index(0).prompt).lower()
        )

    await until(pilot, first_match)
    await pilot.press("enter")
