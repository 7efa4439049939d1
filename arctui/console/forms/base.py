"""What every action form shares: labelled fields with their message beside them, live
validation, save refused while anything is invalid, service errors shown in the form.

A form subclass yields its rows with ``field(label, widget, parse)`` (``parse`` turns the
widget's raw value into the typed value or raises ``ValueError`` with the message to show),
and implements ``save(values)`` by calling its service. A ``StaleEdit`` (someone saved the
record since the form loaded it) shows who and when, calls ``reload()`` so the form shows the
record as it now is, and keeps what the collector typed beside the current values (``ctrl+r``
puts it back). Keys typed ahead reach the form in order (``typeahead``); ``esc`` on a form the
collector filled in asks once before it throws their input away; ``?`` lists the form's keys.
"""

import asyncio
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, SelectionList, Static

from arctui.console.forms import fields
from arctui.console.forms.keys import FormKeys
from arctui.console.forms.widgets import CheckList, Choice
from arctui.domain.authority import AuthorityError
from arctui.domain.money import format_money
from arctui.domain.plans import PlanError
from arctui.services import records
from arctui.services.context import Context
from arctui.services.errors import ServiceError, StaleEdit
from arctui.store.connection import BookBusy, replayed
from arctui.store.read.invoices import owed_invoices

KEYS = (
    ("tab / shift+tab", "next / previous field"),
    ("enter", "next field; open a list; press a button"),
    ("a letter or digit", "in a closed list: pick the first entry starting with what you type"),
    ("space", "in a list of invoices: tick or untick"),
    ("ctrl+s", "save"),
    ("esc", "close without saving (asks once when you have typed something)"),
    ("? or f1", "these keys"),
    ("ctrl+r", "after a save was refused over a newer change: put your own values back"),
)
HINT = ("tab: move", "enter: next/open", "ctrl+s: save", "esc: cancel", "?/f1: keys")
"""The hint line under every form; the form's ``EXTRA_KEYS`` follow it."""
LIST_KEYS = (("a / p", "in a list of invoices: tick all (again: none) / tick just the past-due ones"),)
ACTION_ERRORS = (ServiceError, AuthorityError, PlanError)
"""What a service may refuse with; each message is shown to the collector as it is."""


class ActionForm(ModalScreen[bool]):
    CSS_PATH = Path(__file__).with_name("forms.tcss")
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("ctrl+r", "reapply", "Put my values back", priority=True),
        Binding("question_mark,f1", "keys", "Keys"),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    """Below 110 columns labels and inputs are narrower, so a field's message has room."""
    # the first field, not the scrolling container, has the keyboard when the form opens
    AUTO_FOCUS = "Select, Input, SelectionList"
    FORM_TITLE = ""
    TYPE_AHEAD = True
    """Keys typed ahead reach this form in order (``arctui.console.typeahead``)."""
    EXTRA_KEYS: tuple[tuple[str, str], ...] = ()
    """Keys of this form beyond the ones every form has: (key, what it does), for the hint
    line and ``?``."""

    def __init__(self, ctx: Context, customer_id: int):
        super().__init__()
        self.ctx = ctx
        self.customer_id = customer_id
        self.customer = records.get(ctx.db, "customers", customer_id)
        self._parsers: dict[str, Callable] = {}
        self._touched: set[str] = set()
        self._ready = False
        self._rows_lock = asyncio.Lock()
        self._row_fields: dict[str, list[str]] = {}
        self._labels: dict[str, str] = {}
        self._has_checklist = False
        self._empty: dict[str, tuple[str, bool]] = {}  # a required choice: (why none, any offered)
        self._initial: dict = {}
        self._asked_to_discard = False
        self.mine: dict[str, str] = {}
        self._yours: dict[str, str] = {}
        """After a refused stale save: what the collector had typed where it differs from the
        record as it now is (field name -> text), shown beside the field until put back."""

    @property
    def currency(self) -> str:
        return self.customer["currency"]

    def money(self, cents: int) -> str:
        return format_money(cents, self.currency)

    # -- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form"):
            yield Static(
                f"{self.FORM_TITLE}: {self.customer['account_no']} {self.customer['name']}",
                id="form-title",
            )
            yield from self.compose_fields()
            yield Static("", id="form-mine", markup=False)
            yield Static("", id="form-check", markup=False)
            yield Static("", id="form-status", markup=False)
            with Horizontal(id="form-buttons"):
                yield Button("Save", id="save", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
            lists = ("a/p: all/past due",) if self._has_checklist else ()
            hints = HINT + lists + tuple(f"{key}: {what}" for key, what in self.EXTRA_KEYS)
            yield Static(" · ".join(hints), id="form-keys", markup=False)

    def compose_fields(self) -> ComposeResult:
        raise NotImplementedError

    def field(self, label: str, widget: Widget, parse: Callable) -> Horizontal:
        """One line: label, input widget (with an id, made compact), the message beside it."""
        self._parsers[widget.id] = parse
        self._labels[widget.id] = label
        widget.compact = True
        return Horizontal(
            Label(label, classes="field-label"),
            widget,
            Static("", id=f"{widget.id}-msg", classes="field-msg", markup=False),
            classes="field",
        )

    def load_open_invoices(self) -> dict[int, dict]:
        """The invoices the account still owes on (what an action may be put against), by
        id, kept in ``self.invoices``."""
        self.invoices = {i["id"]: i for i in owed_invoices(self.ctx.db, self.customer_id)}
        return self.invoices

    def open_invoice_choices(self) -> list[tuple[str, int]]:
        today = self.ctx.today()
        return [(invoice_label(i, today), i["id"]) for i in self.load_open_invoices().values()]

    def invoice_checklist(self, name: str, ticked=()) -> CheckList:
        """The account's owed invoices as a checklist (``a`` ticks all, ``p`` the past-due ones)."""
        today = self.ctx.today()
        choices = self.open_invoice_choices()
        past_due = {i for i, invoice in self.invoices.items() if invoice["due_date"] < today.isoformat()}
        ticked = set(ticked)
        self._has_checklist = True
        return CheckList(*[(label, i, i in ticked) for label, i in choices], past_due=past_due, id=name)

    def refill_select(self, name: str, choices: list[tuple[str, object]]) -> None:
        """New options for a Select, keeping the choice made if it is still offered."""
        chosen = self.raw(name)
        select = self.query_one(f"#{name}", Select)
        select.set_options(choices)
        if chosen in {value for _, value in choices}:
            select.value = chosen
        if name in self._empty:  # a required choice: say why at once when nothing is left
            self._empty[name] = (self._empty[name][0], bool(choices))
            if not choices:
                self._touched.add(name)

    def choice_field(self, label: str, name: str, choices: list, empty: str, **select_kw) -> Horizontal:
        """A required Select; a lone choice is made already, and when there is nothing to
        choose, ``empty`` says why at once."""
        if not choices:
            self._touched.add(name)
        if len(choices) == 1:
            select_kw.setdefault("value", choices[0][1])
        self._empty[name] = (empty, bool(choices))
        return self.field(label, Choice(choices, id=name, **select_kw), partial(self._parse_choice, name))

    def _parse_choice(self, name: str, raw):
        empty, offered = self._empty[name]
        return fields.choice(raw, empty=None if offered else empty)

    def parsed(self, names) -> dict | None:
        """Some fields' values, showing their messages; None if any is invalid."""
        self._touched.update(names)
        self.check()
        try:
            return {name: self._parsers[name](self.raw(name)) for name in names}
        except ValueError:
            return None

    async def replace_rows(self, container: str, rows: list[Widget], parsers: dict[str, Callable]) -> None:
        """Swap the rows inside ``#container``; ``parsers`` check the new rows' inputs once
        they are on screen. One swap at a time, so rows never share an id."""
        async with self._rows_lock:
            for name in self._row_fields.pop(container, ()):
                del self._parsers[name]
                if name not in parsers:
                    self._touched.discard(name)
            box = self.query_one(f"#{container}")
            await box.remove_children()
            await box.mount_all(rows)
            self._parsers.update(parsers)
            self._row_fields[container] = list(parsers)
        self.check()

    def on_mount(self) -> None:
        self.call_after_refresh(self._start)

    def _start(self) -> None:
        self._ready = True
        self.check()
        self.remember_initial()

    def remember_initial(self) -> None:
        """What the form shows before the collector touches it (``esc`` compares with it)."""
        self._initial = self.snapshot()
        self._asked_to_discard = False

    def snapshot(self) -> dict:
        return {name: self.raw(name) for name in self._parsers}

    @property
    def filled(self) -> bool:
        """The collector changed something (or has values of their own kept after a conflict)."""
        return bool(self.mine) or self.snapshot() != self._initial

    @property
    def accepts_keys(self) -> bool:
        """Open, focused on its first field and done loading: keys typed ahead may come."""
        return self._ready and not self._rows_lock.locked()

    # -- validation ---------------------------------------------------------------------

    def raw(self, name: str):
        """The widget's value as typed or chosen; ``None`` for an empty Select."""
        widget = self.query_one(f"#{name}")
        if isinstance(widget, Select):
            return None if widget.is_blank() else widget.value
        if isinstance(widget, SelectionList):
            return list(widget.selected)
        return widget.value

    def check(self, show_all: bool = False) -> dict | None:
        """Parse every field, show the messages of touched fields (all with ``show_all``),
        enable Save only when all parse and ``cross_check`` passes; the values or None."""
        values, errors = {}, {}
        for name, parse in self._parsers.items():
            try:
                values[name] = parse(self.raw(name))
            except ValueError as exc:
                errors[name] = str(exc)
        self._forget_mine_put_back()
        for name in self._parsers:
            shown = errors.get(name, "") if show_all or name in self._touched else ""
            self.query_one(f"#{name}").set_class(bool(shown), "invalid")
            if not shown and name in self.mine:
                shown = f"yours: {self.mine[name]}"
            self.query_one(f"#{name}-msg").set_class(shown.startswith("yours: "), "-mine")
            self.show(f"{name}-msg", shown)
        self.show_other_mine()
        problem = self.cross_check(values) if not errors else None
        self.show("form-check", problem or self.live_line(values) or "")
        self.query_one("#form-check").set_class(bool(problem), "invalid")
        self.query_one("#save", Button).disabled = bool(errors or problem)
        return None if errors or problem else values

    def show(self, static_id: str, text: str) -> None:
        """Put ``text`` in a Static, touching the layout only when the text changes."""
        static = self.query_one(f"#{static_id}", Static)
        static.set_class(bool(text), "-shown")
        if str(static.content) != text:
            static.update(text)

    def cross_check(self, values: dict) -> str | None:
        """A problem spanning several fields (all parsed), or None."""
        return None

    def label_of(self, name: str) -> str:
        return self._labels.get(name, name)

    def _forget_mine_put_back(self) -> None:
        """A value of the collector's that the field shows again needs no reminder."""
        for name in [n for n in self.mine if n in self._parsers]:
            if str(self.raw(name)) == self.mine[name]:
                del self.mine[name]

    def show_other_mine(self) -> None:
        """The collector's values whose field the current record no longer has (a schedule
        row gone), in one line."""
        gone = [f"{self.label_of(n)} {text}" for n, text in self.mine.items() if n not in self._parsers]
        self.show("form-mine", f"Also yours (ctrl+r puts them back): {'; '.join(gone)}" if gone else "")

    def live_line(self, values: dict) -> str | None:
        """A running figure shown under the fields (values may be partial)."""
        return None

    def _touch(self, widget: Widget | None) -> None:
        for node in widget.ancestors_with_self if widget is not None else ():
            if node.id in self._parsers:
                self._touched.add(node.id)
                break

    @on(Input.Changed)
    @on(Select.Changed)
    @on(SelectionList.SelectedChanged)
    def _changed(self, event) -> None:
        if not self._ready:
            return
        self._asked_to_discard = False
        self._touch(event.control)
        self.field_changed(event.control.id)
        self.check()

    def field_changed(self, name: str | None) -> None:
        """Hook: a field's value changed (before the form is checked again)."""

    def on_descendant_blur(self, event) -> None:
        if self._ready:
            self._touch(event.widget)
            self._tidy_money(event.widget)
            self.check()

    def _tidy_money(self, widget: Widget) -> None:
        """A money input (class ``money``) shows its amount as the currency writes it once
        the collector leaves it, so "1000" reads back as "$1,000.00"."""
        if not (isinstance(widget, Input) and widget.has_class("money") and widget.id in self._parsers):
            return
        try:
            cents = self._parsers[widget.id](widget.value)
        except ValueError:
            return
        if cents:
            widget.value = self.money(cents)

    @on(Input.Submitted)
    def _next_field(self) -> None:
        self.focus_next()

    # -- saving -------------------------------------------------------------------------

    def say(self, text: str) -> None:
        """The form's status line (a refusal, a question); scrolled into sight when it says
        something, so a short terminal shows it too."""
        self.show("form-status", text)
        if text:
            self.query_one("#form-status").scroll_visible(animate=False)

    @on(Button.Pressed, "#save")
    async def action_save(self) -> None:
        values = self.check(show_all=True)
        if values is None:
            self.say("Fix the fields marked above; nothing was saved.")
            return
        await self.attempt(lambda: self.save(values))

    async def attempt(self, step: Callable[[], object]) -> None:
        """Run a service step: on success the form closes with True; a refusal is shown and
        the form stays open (after a StaleEdit, showing the record as it now is with the
        collector's own values beside it; when the book was too busy to save, with everything
        as the collector typed it)."""
        try:
            replayed(self.ctx.db, step)
        except BookBusy as exc:  # another writer held the lock too long: keep what was typed
            self.say(f"{exc}. What you typed is kept: press ctrl+s to save it then.")
        except StaleEdit as exc:
            await self.show_conflict(exc)
        except ACTION_ERRORS as exc:
            self.say(f"{exc}. Nothing was saved.")
        else:
            self.close(True)

    async def show_conflict(self, exc: StaleEdit) -> None:
        """Someone saved the record since it was loaded: say who and when, show the record as
        it now is, and keep what the collector typed beside it."""
        typed = self.typed_texts()
        await self.reload()
        self._yours = typed
        self.mine = {name: text for name, text in typed.items() if text.strip() and self._differs(name, text)}
        self.check()
        self.remember_initial()
        kept = " Your own values are beside them: ctrl+r puts them back." if self.mine else ""
        self.say(f"{exc}. Nothing was saved; the form now shows the current values: check them and save again.{kept}")

    def typed_texts(self) -> dict[str, str]:
        """The text of every input of the form, by field name."""
        return {name: self.raw(name) for name in self._parsers if isinstance(self.query_one(f"#{name}"), Input)}

    def _differs(self, name: str, text: str) -> bool:
        return name not in self._parsers or str(self.raw(name)) != text

    async def action_reapply(self) -> None:
        """ctrl+r: the collector's own values (kept after a conflict) back into their fields."""
        if not self.mine:
            self.say("There is nothing of yours to put back.")
            return
        mine, self.mine = self.mine, {}
        await self.reapply(self._yours, mine)
        self.check()
        self.say("Your values are back: check them against the current record and save.")

    async def reapply(self, yours: dict[str, str], mine: dict[str, str]) -> None:
        """Put ``mine`` (the collector's values that differ from the record now) back; ``yours``
        is everything they had typed, for a form that rebuilds rows from it."""
        for name, text in mine.items():
            if name in self._parsers:
                self.query_one(f"#{name}", Input).value = text

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.close(False)

    def action_cancel(self) -> None:
        """esc: close; a form the collector filled in asks once first."""
        if self.filled and not self._asked_to_discard:
            self._asked_to_discard = True
            self.say("Discard what you typed? esc again discards it; ctrl+s saves it.")
            return
        self.close(False)

    def action_keys(self) -> None:
        extra = tuple(self.EXTRA_KEYS) + (LIST_KEYS if self._has_checklist else ())
        self.app.push_screen(FormKeys(f"Keys of {self.FORM_TITLE}", [*extra, *KEYS]))

    def close(self, saved: bool) -> None:
        self._ready = False  # the blur and change events of closing check nothing
        self.dismiss(saved)

    def save(self, values: dict) -> None:
        raise NotImplementedError

    async def reload(self) -> None:
        """Show the record's current values after someone else saved a newer version."""
        self.customer = records.get(self.ctx.db, "customers", self.customer_id)


def invoice_label(invoice: dict, today: date) -> str:
    """An invoice as a choice: number, open amount, and how late or when due."""
    days = (today - date.fromisoformat(invoice["due_date"])).days
    age = f"{days}d past due" if days > 0 else f"due {invoice['due_date']}"
    return f"{invoice['number']}  {format_money(invoice['open_cents'], invoice['currency'])} open  {age}"


def compact_row(label: str, *inputs: Input) -> Horizontal:
    """One line of a list of rows: a label, compact inputs, then each input's message."""
    return Horizontal(
        Label(label, classes="field-label"),
        *inputs,
        *(Static("", id=f"{i.id}-msg", classes="field-msg", markup=False) for i in inputs),
        classes="row",
    )


def options(codes: dict[str, str] | tuple) -> list[tuple[str, str]]:
    """Select options from a vocabulary of ``domain.statuses`` (a dict code→label or a tuple)."""
    if isinstance(codes, dict):
        return [(f"{code}  {label}", code) for code, label in codes.items()]
    return [(code.replace("_", " "), code) for code in codes]
