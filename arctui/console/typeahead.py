"""Keys typed ahead are handled in the order typed, one at a time.

Textual hands a key to the focused widget's own queue and runs most bindings only when the
key has bubbled back up to the app; a burst (a fast typist, a paste of keys, keys over SSH
arriving in one packet) can therefore overtake itself: in ``p Tab 5000 Tab 2026-12-05`` the
second Tab reaches the app's focus binding after ``2026-12-05`` was already typed into the
amount, and an Enter that picks from a list moves the focus back after the next key went
elsewhere. ``KeysInOrder`` (mixed into the console's App) holds the keys meant for an
account screen or an action form and lets the next one go only when everything the last one
set off has run: its own trip through the widgets, the bindings it ran, the focus it moved,
the rows a form mounted. A form that is still opening (``accepts_keys`` false) gets its keys
once it is ready, in order, from the key after the one that opened it.
"""

import asyncio
import contextlib
from collections import deque
from time import monotonic

from textual import events
from textual.app import ScreenStackError

SETTLE_SECONDS = 1.0
"""The longest a key waits for the previous one's consequences (then it goes anyway)."""
OPEN_SECONDS = 5.0
"""The longest typed-ahead keys wait for a form to finish opening."""


class KeysInOrder:
    """App mixin: keys for a screen with ``TYPE_AHEAD`` (or while earlier keys still wait)
    are queued and released one at a time, each once the previous one has settled."""

    def _typeahead_state(self):
        state = self.__dict__.get("_keys_in_order")
        if state is None:
            state = self.__dict__["_keys_in_order"] = _Queue()
        return state

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            state = self._typeahead_state()
            if state.take(self, event):
                return
        await super().on_event(event)


def _takes_keys_ahead(screen) -> bool:
    return getattr(screen, "TYPE_AHEAD", False)


class _Queue:
    def __init__(self):
        self.waiting: deque = deque()
        self.released: set = set()  # events let through: the app handles them as it always does
        self.worker: asyncio.Task | None = None

    def take(self, app, event) -> bool:
        """Queue ``event`` unless it is one this queue let go or no account screen or form
        wants keys in order; True when queued."""
        if event in self.released:
            self.released.discard(event)
            return False
        if not self.waiting and self.worker is None and not _takes_keys_ahead(app.screen):
            return False
        self.waiting.append(event)
        if self.worker is None or self.worker.done():
            self.worker = asyncio.create_task(self.run(app))
        return True

    async def run(self, app) -> None:
        try:
            while self.waiting and app.is_running:
                await _until_ready(app)
                event = self.waiting.popleft()
                self.released.add(event)
                app.post_message(event)
                await settle(app)
        except ScreenStackError:  # the app closed meanwhile: nothing is left to type into
            self.waiting.clear()
        finally:
            self.worker = None


async def _until_ready(app) -> None:
    deadline = monotonic() + OPEN_SECONDS
    while app.is_running and not getattr(app.screen, "accepts_keys", True) and monotonic() < deadline:
        await settle(app)
        await asyncio.sleep(0.005)


async def settle(app, timeout: float = SETTLE_SECONDS) -> None:
    """Wait until the app and the widgets of the screen on top have handled everything
    posted to them: rounds of ``call_later`` on each, until a round ends with every queue
    empty (the screen may change on the way: a key opened or closed a form)."""
    deadline = monotonic() + timeout
    while app.is_running and monotonic() < deadline:
        screen = app.screen
        nodes = [app, *screen.walk_children(with_self=True)]
        await _round(nodes, deadline - monotonic())
        if app.screen is screen and not any(_pending(node) for node in nodes):
            return


async def _round(nodes, timeout: float) -> None:
    """Every node handles what was posted to it before this round."""
    left = 0
    done = asyncio.Event()

    def one_done() -> None:
        nonlocal left
        left -= 1
        if left == 0:
            done.set()

    for node in nodes:
        if node.call_later(one_done):
            left += 1
    if left:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), max(timeout, 0.001))
    else:
        await asyncio.sleep(0)


def _pending(node) -> bool:
    queue = getattr(node, "_message_queue", None)
    return bool(queue is not None and not queue.empty()) or bool(getattr(node, "_callbacks", None))
