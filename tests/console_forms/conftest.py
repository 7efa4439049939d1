"""A small ledger on a real SQLite file (or a PostgreSQL book: ``BOTH_BACKENDS``) and a host app
that pushes one action form.

Collectors ann (memo limit $500) and bob (lead, $10,000); Acme (USD, ann's) with invoices
current / 31-60 / 90+, a contact, $1,500 of unapplied cash whose remittance names INV-1002,
and ann's $900 memo pending approval; Birch (bob's) with one past-due invoice. Today is
2026-11-23.
"""

from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date

import pytest
from textual import events
from textual.app import App
from textual.widgets import Static

from arctui.console.actions import action_bindings
from arctui.console.screens.account_actions import AccountActionsScreen
from arctui.console.typeahead import KeysInOrder
from arctui.services.accounts import save_collector
from arctui.services.cash import record_payment
from arctui.services.context import Context, fixed_clock
from arctui.services.credit_memos import prepare_memo
from arctui.services.records import action
from arctui.store.connection import connect
from tests.enrol import enrol

TODAY = date(2026, 11, 23)
CLOCK = fixed_clock(TODAY)


@dataclass
class World:
    path: object
    ann: Context
    bob: Context
    acme: int
    birch: int
    invoices: dict  # number -> id
    payment: int
    memo: int
    others: list = field(default_factory=list)

    def as_user(self, user: str) -> Context:
        """A second connection, as another console on the shared file would have."""
        ctx = Context(connect(self.path), user, CLOCK)
        self.others.append(ctx)
        return ctx

    def rows(self, sql: str, params=()) -> list[tuple]:
        return self.ann.db.execute(sql, params).fetchall()

    def audit_actions(self) -> list[str]:
        return [r[0] for r in self.rows("SELECT action FROM audit ORDER BY id")]


def _insert(ctx: Context, table: str, values: dict):
    """Accounts, contacts and invoices arrive by import; no collector action creates them."""
    with action(ctx, "fixture.load", table) as act:
        return act.insert(table, values)


BOTH_BACKENDS = pytest.mark.parametrize("world", ["sqlite", "postgresql"], indirect=True)
"""A test (or module) so marked has its world on a SQLite file and on a PostgreSQL book."""


@pytest.fixture
def world(tmp_path, request):
    if getattr(request, "param", "sqlite") == "postgresql":
        yield from make_world(request.getfixturevalue("pg_book"))
    else:
        yield from make_world(tmp_path / "ar.db")


def make_world(path):
    """The world's book at ``path`` (a file, or a PostgreSQL book's URL), yielded, then closed."""
    ann = Context(connect(path, create=True), "ann", CLOCK)
    bob = Context(connect(path), "bob", CLOCK)
    enrol(ann.db, "bob", "Bob Roy", role="lead", memo_limit_cents=1_000_000)  # the team's first lead
    save_collector(bob, "ann", "Ann Lee", memo_limit_cents=50_000)
    acme = _insert(ann, "customers", {"account_no": "A-100", "name": "Acme Tools", "owner": "ann"})
    birch = _insert(ann, "customers", {"account_no": "B-200", "name": "Birch Mills", "owner": "bob"})
    _insert(
        ann,
        "contacts",
        {"customer_id": acme, "name": "Dana Diaz", "role": "AP manager", "email": "dana@acme.example", "is_primary": 1},
    )
    invoices = {}
    for customer, number, due, cents in [
        (acme, "INV-1001", "2026-11-30", 100_000),  # current
        (acme, "INV-1002", "2026-10-10", 250_000),  # 31-60
        (acme, "INV-1003", "2026-08-01", 400_000),  # 90+
        (birch, "INV-2001", "2026-09-15", 80_000),  # 61-90
    ]:
        invoices[number] = _insert(
            ann,
            "invoices",
            {
                "customer_id": customer,
                "number": number,
                "issue_date": "2026-07-01",
                "due_date": due,
                "amount_cents": cents,
                "open_cents": cents,
            },
        )
    payment = record_payment(
        ann, 150_000, date(2026, 11, 20), "ach", customer_id=acme, bank_ref="ACH-77", remittance="INV-1002 part payment"
    )
    memo = prepare_memo(ann, acme, 90_000, "PRICE", "4100", invoice_id=invoices["INV-1003"])
    world = World(path, ann, bob, acme, birch, invoices, payment, memo)
    yield world
    for ctx in (ann, bob, *world.others):
        ctx.db.close()


class Host(KeysInOrder, App):
    """Pushes the form on mount and keeps what it was dismissed with (keys in order, as the
    console takes them)."""

    def __init__(self, form):
        super().__init__()
        self.animation_level = "none"  # a Select's overlay opens at once, not after a scroll
        self.form = form
        self.results: list = []

    def on_mount(self) -> None:
        self.push_screen(self.form, self.results.append)


class Driver:
    """Keyboard steps on an open form, and what it shows."""

    def __init__(self, pilot, form, results):
        self.pilot, self.form, self.results = pilot, form, results

    async def focus(self, selector: str):
        widget = self.form.query_one(selector)
        widget.focus()
        return widget

    async def fill(self, selector: str, text: str) -> None:
        """Focus an input (which selects its text), paste ``text`` over it, tab out.

        A bracketed paste is one event where typing costs one Pilot round-trip per key."""
        widget = await self.focus(selector)
        await self.pilot.pause()
        if text:
            widget.post_message(events.Paste(text))
        else:
            await self.pilot.press("backspace")
        await self.pilot.press("tab")

    async def choose(self, selector: str, value) -> None:
        """Open a Select with enter, go to the option holding ``value`` by the fewest keys
        (arrows from where it is, or from home or end), enter."""
        select = await self.focus(selector)
        await self.pilot.press("enter")
        values = [v for _, v in select._options]
        target = values.index(value)
        current = values.index(select.value) if select.value in values else 0
        arrow = "down" if target > current else "up"
        routes = [
            [arrow] * abs(target - current),
            ["home"] + ["down"] * target,
            ["end"] + ["up"] * (len(values) - 1 - target),
        ]
        await self.pilot.press(*min(routes, key=len), "enter")

    async def toggle(self, selector: str, value) -> None:
        """Highlight the entry of a SelectionList holding ``value`` and press space."""
        selection = await self.focus(selector)
        selection.highlighted = [selection.get_option_at_index(i).value for i in range(selection.option_count)].index(
            value
        )
        await self.pilot.press("space")

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await self.pilot.pause()

    async def save(self) -> None:
        await self.press("ctrl+s")

    def text(self, selector: str) -> str:
        return str(self.form.query_one(selector, Static).render())

    def value(self, selector: str):
        return self.form.raw(selector.removeprefix("#"))

    @property
    def is_open(self) -> bool:
        return self.form.is_attached and not self.results


@pytest.fixture
def open_form():
    @asynccontextmanager
    async def run(form):
        app = Host(form)
        async with app.run_test(size=(120, 45)) as pilot:
            await pilot.pause()
            yield Driver(pilot, form, app.results)

    return run


@pytest.fixture
def memo_coders(world):
    """Only the coders a test registers: ann's console gets a plugin host of its own, without
    the installed plugins."""
    from dataclasses import replace

    from arctui import hookimpl
    from arctui.plugins import PluginHost

    host = PluginHost(entry_points=False)
    world.ann = replace(world.ann, plugins=host)

    def add(*coders):
        class TestCoders:
            @hookimpl
            def register_credit_memo_coders(self, register):
                for coder in coders:
                    register(coder)

        host.register(TestCoders(), name=f"test_coders_{len(host.pm.get_plugins())}")

    return add


class AccountScreen(AccountActionsScreen):
    """One account with the console's action keys (c, p, d, … as on the queue)."""

    BINDINGS = action_bindings(set())

    def __init__(self, customer_id: int):
        super().__init__()
        self.customer_id = customer_id

    def compose(self):
        yield Static(f"account {self.customer_id}", id="account")

    def current_customer_id(self) -> int:
        return self.customer_id

    def reload_data(self) -> None:
        pass


class KeyHost(KeysInOrder, App):
    """An account screen whose keys open the forms, as the queue's do; ``results`` keeps
    what each form was dismissed with."""

    def __init__(self, ctx: Context, customer_id: int, keys_in_order: bool = True):
        super().__init__()
        self.animation_level = "none"
        self.ctx = ctx
        self.customer_id = customer_id
        self.results: list = []
        self.keys_in_order = keys_in_order

    async def on_event(self, event) -> None:
        if self.keys_in_order:
            await super().on_event(event)
        else:  # Textual as it is: for showing what a burst does without the queue of keys
            await App.on_event(self, event)

    def on_mount(self) -> None:
        self.push_screen(AccountScreen(self.customer_id))

    def after_action(self, saved) -> None:
        self.results.append(saved)


def burst(app: App, *keys: str) -> None:
    """Post ``keys`` to the app all at once, as a terminal reads a packet of keys that came
    over SSH faster than the console handles them: nothing waits between two keys (Pilot's
    ``press`` waits for the app to go idle after each key, which no terminal does)."""
    from textual.keys import _character_to_key

    for key in keys:
        if len(key) == 1:
            name, character = (key if key.isalnum() else _character_to_key(key)), key
        else:
            name, character = key, {"tab": "\t", "enter": "\r", "space": " "}.get(key)
        event = events.Key(name, character)
        event.set_sender(app)
        app._driver.send_message(event)


async def until_done(pilot, condition, timeout: float = 5.0) -> None:
    """Let the app run until ``condition()`` holds or ``timeout`` passes."""
    import time

    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        await pilot.pause(0.02)
    await pilot.pause()
