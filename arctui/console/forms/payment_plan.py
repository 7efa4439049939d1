"""Build or edit a payment plan: invoices, total, count, frequency and first date generate an
equal schedule; each row's date and amount can then be edited, and the plan saves only when
its rows add up to the total to the cent. An existing plan is edited at the version loaded."""

from datetime import timedelta
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Input, Select, SelectionList

from arctui.console.forms import fields
from arctui.console.forms.base import ActionForm, compact_row, options
from arctui.domain.plans import FREQUENCIES, Instalment, PlanError, check_schedule, equal_schedule, schedule_difference
from arctui.services.plans import MAX_INSTALMENTS, cancel_plan, create_plan, edit_plan, load_plan
from arctui.store.read import plans as read_plans

NEW = 0
"""The plan picker's value for a plan not yet saved."""
_GENERATE_FROM = ("total", "count", "frequency", "first")
_FIRST_DUE_IN_DAYS = 7
_DEFAULT_COUNT = "3"


class PaymentPlanForm(ActionForm):
    FORM_TITLE = "Payment plan"
    BINDINGS = [Binding("ctrl+g", "generate", "Generate schedule", priority=True)]
    EXTRA_KEYS = ("ctrl+g: generate the schedule",)

    def __init__(self, ctx, customer_id, plan_id: int | None = None):
        super().__init__(ctx, customer_id)
        self.plan: dict | None = None
        self.rows = 0
        self.auto_total = ""
        self.first_plan = plan_id

    def compose_fields(self) -> ComposeResult:
        """Opens the plan asked for, else the account's active plan, else a new one whose
        invoices are the past-due ones no active plan covers."""
        choices = self.plan_choices()
        if self.first_plan is None:
            self.first_plan = choices[1][1] if len(choices) > 1 else NEW
        yield self.field("Plan", Select(choices, value=self.first_plan, allow_blank=False, id="plan"), lambda raw: raw)
        today = self.ctx.today().isoformat()
        planned = read_plans.invoices_on_active_plans(self.ctx.db, self.customer_id)
        choices = self.open_invoice_choices()
        self.default_invoices = [i for i in self.invoices if self.invoices[i]["due_date"] < today and i not in planned]
        choices = [(label, i, i in self.default_invoices) for label, i in choices]
        yield self.field("Invoices", SelectionList(*choices, id="invoices"), lambda raw: raw)
        yield self.field("Total", Input(id="total", classes="money"), self.parse_total)
        yield self.field("Instalments", Input(_DEFAULT_COUNT, id="count"), partial(fields.count, most=MAX_INSTALMENTS))
        yield self.field(
            "Frequency", Select(options(FREQUENCIES), value="monthly", allow_blank=False, id="frequency"), fields.choice
        )
        yield self.field("First due", Input(id="first"), self.parse_first)
        yield Button("Generate schedule (ctrl+g)", id="generate", compact=True)
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

    # -- the schedule -------------------------------------------------------------------

    async def set_schedule(self, instalments: list[Instalment]) -> None:
        rows, parsers = [], {}
        for inst in instalments:
            due, amount = f"due-{inst.seq}", f"amt-{inst.seq}"
            rows.append(
                compact_row(
                    f"Instalment {inst.seq}",
                    Input(inst.due_date.isoformat(), id=due, classes="due", compact=True),
                    Input(self.money(inst.amount_cents), id=amount, classes="amount money", compact=True),
                )
            )
            parsers[due] = fields.iso_date
            parsers[amount] = partial(fields.amount, currency=self.currency)
        self.rows = 0
        await self.replace_rows("schedule", rows, parsers)
        self.rows = len(instalments)
        self.check()

    async def action_generate(self) -> None:
        values = self.parsed(_GENERATE_FROM)
        if values is None:
            self.say("Fix the fields marked above to generate a schedule.")
            return
        self.say("")
        await self.set_schedule(equal_schedule(values["total"], values["count"], values["first"], values["frequency"]))

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
        invoices = self.query_one("#invoices", SelectionList)
        for widget in (invoices, self.query_one("#frequency")):
            widget.disabled = self.plan is not None
        self.query_one("#cancel-plan").display = self.plan is not None
        if self.plan is None:
            invoices.deselect_all()
            for invoice_id in self.default_invoices:
                invoices.select(invoice_id)
            self.auto_total = self.money(self.invoices_open(self.default_invoices))
            self.fill(
                total=self.auto_total,
                count=_DEFAULT_COUNT,
                note="",
                first=(self.ctx.today() + timedelta(days=_FIRST_DUE_IN_DAYS)).isoformat(),
            )
            await self.action_generate()
            return
        schedule = load_plan(self.ctx.db, self.plan["id"])
        invoices.deselect_all()
        for invoice_id in read_plans.plan_invoice_ids(self.ctx.db, self.plan["id"]):
            if invoice_id in self.invoices:
                invoices.select(invoice_id)
        self.query_one("#frequency", Select).value = self.plan["frequency"]
        self.fill(
            total=self.money(self.plan["total_cents"]),
            count=str(len(schedule)),
            first=schedule[0].due_date.isoformat(),
            note=self.plan["note"] or "",
        )
        await self.set_schedule(schedule)

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
    def _cancel_plan(self) -> None:
        note = self.raw("note").strip()
        self.attempt(lambda: cancel_plan(self.ctx, self.plan["id"], self.plan["version"], note=note))

    def reload(self) -> None:
        super().reload()
        plan_id = self.plan["id"] if self.plan else NEW
        self.refill_select("plan", self.plan_choices())
        self.call_later(self.load_plan, plan_id if plan_id in self.plans else NEW)
