"""Build or edit a payment plan: invoices, total, count, frequency and first date make an equal
schedule, and the schedule follows them (change the count from 3 to 6 and six rows show); each
row's date and amount can then be edited, and the plan saves only when its rows add up to the
total to the cent and there are as many rows as the count says. An existing plan is edited at
the version loaded; its invoices and frequency are shown (in the same places, so the keys are
the same as for a new plan) but stay as saved."""

from datetime import timedelta
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Input, Static

from arctui.console.forms import fields
from arctui.console.forms.base import ActionForm, compact_row, options
from arctui.console.forms.widgets import CheckList, Choice
from arctui.domain.plans import FREQUENCIES, Instalment, PlanError, check_schedule, equal_schedule, schedule_difference
from arctui.services.plans import MAX_INSTALMENTS, cancel_plan, create_plan, edit_plan, load_plan
from arctui.store.read import plans as read_plans

NEW = 0
"""The plan picker's value for a plan not yet saved."""
_GENERATE_FROM = ("total", "count", "first", "frequency")
"""The fields a schedule is made from, in the order ``equal_schedule`` takes them."""
_FIRST_DUE_IN_DAYS = 7
_DEFAULT_COUNT = "3"
_SAVED_PLAN_NOTE = "A saved plan keeps its invoices and frequency: cancel it and make a new plan to change them."


class PaymentPlanForm(ActionForm):
    FORM_TITLE = "Payment plan"
    BINDINGS = [Binding("ctrl+g", "generate", "Schedule afresh", priority=True)]
    EXTRA_KEYS = (("ctrl+g", "new schedule"),)

    def __init__(self, ctx, customer_id, plan_id: int | None = None):
        super().__init__(ctx, customer_id)
        self.plan: dict | None = None
        self.rows = 0
        self.schedule_from: tuple | None = None
        """(total, count, first date, frequency) the rows were made from or loaded with; the
        rows are made again when these fields change to something else."""
        self.auto_total = ""
        self.first_plan = plan_id

    def compose_fields(self) -> ComposeResult:
        """Opens the plan asked for, else the account's active plan, else a new one whose
        invoices are the past-due ones no active plan covers."""
        choices = self.plan_choices()
        if self.first_plan is None:
            self.first_plan = choices[1][1] if len(choices) > 1 else NEW
        yield self.field("Plan", Choice(choices, value=self.first_plan, allow_blank=False, id="plan"), lambda raw: raw)
        yield Static("", id="plan-note", classes="note", markup=False)
        today = self.ctx.today().isoformat()
        planned = read_plans.invoices_on_active_plans(self.ctx.db, self.customer_id)
        invoices = self.invoice_checklist("invoices")
        self.default_invoices = [i for i in self.invoices if self.invoices[i]["due_date"] < today and i not in planned]
        yield self.field("Invoices", invoices, lambda raw: raw)
        yield self.field("Total", Input(id="total", classes="money"), self.parse_total)
        yield self.field("Instalments", Input(_DEFAULT_COUNT, id="count"), partial(fields.count, most=MAX_INSTALMENTS))
        yield self.field(
            "Frequency", Choice(options(FREQUENCIES), value="monthly", allow_blank=False, id="frequency"), fields.choice
        )
        yield self.field("First due", Input(id="first"), self.parse_first)
        yield Button("Generate the schedule afresh (ctrl+g)", id="generate", compact=True)
        yield Vertical(id="schedule")
        yield self.field("Note", Input(id="note"), fields.optional_text)
        yield Button("Cancel this plan", id="cancel-plan", variant="error", compact=True)

    def plan_choices(self) -> list[tuple[str, int]]:
        self.plans = {p["id"]: p for p in read_plans.active_plans(self.ctx.db, self.customer_id)}
        return [("New plan", NEW)] + [
            (
                f"Plan {p['id']}: {self.money(p['total_cents'])} {p['frequency']}, created "
                f"{p['created_at'][:10]} by {p['created_by']}",
                p["id"],
            )
            for p in self.plans.values()
        ]

    async def on_mount(self) -> None:
        super().on_mount()
        await self.load_plan(self.first_plan)

    # -- fields -------------------------------------------------------------------------

    def parse_total(self, raw: str) -> int:
        chosen = self.raw("invoices")
        if self.plan is not None or not chosen:
            return fields.amount(raw, self.currency)
        return fields.amount(
            raw, self.currency, most=self.invoices_open(chosen), what="the open balance of the chosen invoices"
        )

    def parse_first(self, raw: str):
        return fields.iso_date(raw, not_before=self.ctx.today() if self.plan is None else None)

    def invoices_open(self, invoice_ids) -> int:
        return sum(self.invoices[i]["open_cents"] for i in invoice_ids if i in self.invoices)

    def field_changed(self, name: str | None) -> None:
        if name == "plan" and self.raw("plan") != (self.plan["id"] if self.plan else NEW):
            self.call_later(self.load_plan, self.raw("plan"))
        elif name == "invoices" and self.plan is None:
            total = self.query_one("#total", Input)
            if total.value in ("", self.auto_total):
                self.auto_total = total.value = self.money(self.invoices_open(self.raw("invoices")))
        elif name in _GENERATE_FROM:
            self.call_later(self.follow_fields)

    def label_of(self, name: str) -> str:
        kind, _, seq = name.partition("-")
        if kind in ("due", "amt") and seq.isdigit():
            return f"Instalment {seq} {'due' if kind == 'due' else 'amount'}"
        return super().label_of(name)

    # -- the schedule -------------------------------------------------------------------

    def source(self) -> tuple | None:
        """The fields a schedule is made from, parsed; None while any is invalid."""
        try:
            return tuple(self._parsers[name](self.raw(name)) for name in _GENERATE_FROM)
        except ValueError:
            return None

    async def follow_fields(self) -> None:
        """The schedule follows total, count, frequency and first date: when they parse and
        differ from what the rows were made from, equal rows are made from them."""
        source = self.source()
        if source is not None and source != self.schedule_from:
            await self.set_schedule(equal_schedule(*source), source)

    async def set_schedule(self, instalments: list[Instalment], source: tuple | None) -> None:
        self.schedule_from = source
        await self.set_rows([(i.due_date.isoformat(), self.money(i.amount_cents)) for i in instalments])

    async def set_rows(self, texts: list[tuple[str, str]]) -> None:
        """One row per instalment: its due date and amount as text."""
        rows, parsers = [], {}
        for seq, (due_text, amount_text) in enumerate(texts, start=1):
            due, amount = f"due-{seq}", f"amt-{seq}"
            rows.append(
                compact_row(
                    f"Instalment {seq}",
                    Input(due_text, id=due, classes="due", compact=True),
                    Input(amount_text, id=amount, classes="amount money", compact=True),
                )
            )
            parsers[due] = fields.iso_date
            parsers[amount] = partial(fields.amount, currency=self.currency)
        self.rows = 0
        await self.replace_rows("schedule", rows, parsers)
        self.rows = len(texts)
        self.check()

    async def action_generate(self) -> None:
        values = self.parsed(_GENERATE_FROM)
        if values is None:
            self.say("Fix the fields marked above to generate a schedule.")
            return
        self.say("")
        source = tuple(values[name] for name in _GENERATE_FROM)
        await self.set_schedule(equal_schedule(*source), source)

    @on(Button.Pressed, "#generate")
    async def _generate_pressed(self) -> None:
        await self.action_generate()

    def instalments(self, values: dict) -> list[Instalment]:
        return [Instalment(n, values[f"due-{n}"], values[f"amt-{n}"]) for n in range(1, self.rows + 1)]

    def live_line(self, values: dict) -> str | None:
        """Σ of the rows against the total, as the collector edits them."""
        total = values.get("total")
        if total is None or not self.rows:
            return None
        amounts = [values[f"amt-{n}"] for n in range(1, self.rows + 1) if f"amt-{n}" in values]
        difference = schedule_difference(total, amounts)
        gap = (
            "matches to the cent"
            if not difference
            else f"{self.money(abs(difference))} {'short' if difference < 0 else 'over'}"
        )
        return f"Σ {self.money(total + difference)} of {self.money(total)} — {gap}"

    def cross_check(self, values: dict) -> str | None:
        if not self.rows:
            return "Generate a schedule (ctrl+g) first."
        if values["count"] != self.rows:
            return (
                f"Instalments says {values['count']} but the schedule has {self.rows} rows:"
                f" ctrl+g generates {values['count']}."
            )
        try:
            check_schedule(values["total"], self.instalments(values), self.currency)
        except PlanError as exc:
            if schedule_difference(values["total"], (i.amount_cents for i in self.instalments(values))):
                return f"{self.live_line(values)}: the schedule must add up to the total to save."
            return f"{exc}."
        return None

    # -- loading and saving -------------------------------------------------------------

    async def load_plan(self, plan_id: int) -> None:
        """Show an existing plan as saved (keeping its version), or defaults for a new one."""
        self.plan = self.plans.get(plan_id)
        invoices = self.query_one("#invoices", CheckList)
        frequency = self.query_one("#frequency", Choice)
        for widget in (invoices, frequency):
            widget.read_only = self.plan is not None
            widget.set_class(self.plan is not None, "-read-only")
        self.show("plan-note", _SAVED_PLAN_NOTE if self.plan is not None else "")
        self.query_one("#cancel-plan").display = self.plan is not None
        if self.plan is None:
            invoices.tick_exactly(self.default_invoices)
            self.auto_total = self.money(self.invoices_open(self.default_invoices))
            self.fill(
                total=self.auto_total,
                count=_DEFAULT_COUNT,
                note="",
                first=(self.ctx.today() + timedelta(days=_FIRST_DUE_IN_DAYS)).isoformat(),
            )
            await self.action_generate()
        else:
            schedule = load_plan(self.ctx.db, self.plan["id"])
            invoices.tick_exactly(read_plans.plan_invoice_ids(self.ctx.db, self.plan["id"]))
            frequency.value = self.plan["frequency"]
            self.fill(
                total=self.money(self.plan["total_cents"]),
                count=str(len(schedule)),
                first=schedule[0].due_date.isoformat(),
                note=self.plan["note"] or "",
            )
            source = (self.plan["total_cents"], len(schedule), schedule[0].due_date, self.plan["frequency"])
            await self.set_schedule(schedule, source)
        self.remember_initial()

    def fill(self, **texts: str) -> None:
        for name, text in texts.items():
            self.query_one(f"#{name}", Input).value = text

    def save(self, values: dict) -> None:
        instalments = self.instalments(values)
        if self.plan is None:
            create_plan(
                self.ctx,
                self.customer_id,
                values["total"],
                instalments,
                values["frequency"],
                invoice_ids=values["invoices"],
                note=values["note"],
            )
        else:
            edit_plan(
                self.ctx, self.plan["id"], self.plan["version"], values["total"], instalments, note=values["note"]
            )

    @on(Button.Pressed, "#cancel-plan")
    async def _cancel_plan(self) -> None:
        note = self.raw("note").strip()
        await self.attempt(lambda: cancel_plan(self.ctx, self.plan["id"], self.plan["version"], note=note))

    async def reload(self) -> None:
        await super().reload()
        plan_id = self.plan["id"] if self.plan else NEW
        self.refill_select("plan", self.plan_choices())
        await self.load_plan(plan_id if plan_id in self.plans else NEW)

    async def reapply(self, yours: dict[str, str], mine: dict[str, str]) -> None:
        """The collector's whole schedule back (as many rows as they had), then their fields."""
        rows = sum(1 for name in yours if name.startswith("due-"))
        await self.set_rows([(yours[f"due-{n}"], yours[f"amt-{n}"]) for n in range(1, rows + 1)])
        await super().reapply(yours, mine)
        self.schedule_from = self.source()
