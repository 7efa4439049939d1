"""``C`` from the queue: the cash workbench. Every receipt with unapplied money, oldest first
(with no customer too), and under it the highlighted receipt's suggested matches (invoice
numbers in its remittance, exact and combined open amounts, accounts whose name or past
payers look like the payer). ``c`` assigns a customer, ``a`` applies (split across
invoices: ``INV-1=120.00, INV-2=80.00``), ``r`` refunds (above your authority: a request a
lead or manager decides in their inbox, the money held meanwhile), ``p``
parks with a note: each one audited action through the cash services, refused exactly as
``arctui cash`` refuses it. Each prompt comes prefilled from the best suggestion."""

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, Input, Static

from arctui.console import cells
from arctui.console.widgets.virtual_table import Column, ListSource, VirtualTable
from arctui.domain.authority import AuthorityError
from arctui.domain.control_chars import visible
from arctui.domain.money import MoneyError, format_money
from arctui.services import cash
from arctui.services.errors import ServiceError
from arctui.store.connection import StoreError

COLUMNS = [
    Column("received", "Received", 10),
    Column("days", "Days", 5, right=True),
    Column("amount", "Unapplied", 13, right=True),
    Column("currency", "Cur", 3),
    Column("account", "Account", 9),
    Column("remittance", "Remittance"),
    Column("state", "State", 16, priority=1),
]
KIND_LABELS = {
    "remittance": "remittance names",
    "exact_amount": "exact amount",
    "combined_amount": "amounts add up",
    "customer_name": "name alike",
    "past_payer": "past payer",
}
REFUSALS = (ServiceError, MoneyError, AuthorityError, StoreError)


def _cells(r: dict) -> dict:
    state = f"parked: {r['parked']['note']}" if r["parked"] else ("" if r["customer_id"] else "no customer")
    return {
        "received": r["received_date"],
        "days": str(r["days"]),
        "amount": cells.money(r["unapplied_cents"], r["currency"]),
        "currency": r["currency"],
        "account": r["account_no"] or "?",
        "remittance": visible(r["remittance"] or ""),
        "state": visible(state),
    }


def describe(r: dict) -> str:
    """The highlighted receipt and its suggestions, numbered in the order the prompts use."""
    who = f"{r['account_no']} {r['customer_name']}" if r["customer_id"] else "no customer yet"
    lines = [
        f"Payment {r['id']} · {r['method']} {r['bank_ref'] or ''} · received {r['received_date']} ·"
        f" {format_money(r['unapplied_cents'], r['currency'])} unapplied of"
        f" {format_money(r['amount_cents'], r['currency'])} · {who}"
    ]
    if r["held_cents"]:
        lines.append(f"{format_money(r['held_cents'], r['currency'])} held for a refund request waiting for a decision")
    if r["parked"]:
        lines.append(f"Parked by {r['parked']['by']} at {r['parked']['at']}: {r['parked']['note']}")
    if not r["suggestions"]:
        lines.append("No suggested match.")
    for n, s in enumerate(r["suggestions"][:8], 1):
        account = f"{s['account_no']} {s['customer_name']}" if s["account_no"] else "?"
        lines.append(f"{n}. {KIND_LABELS.get(s['kind'], s['kind'])}: {account} · {s['why']}")
    return visible("\n".join(lines), keep="\n")


class CashPrompt(ModalScreen[bool]):
    """A few labelled lines and a message line; ``enter`` runs ``save(values)`` (one service
    call): a refusal is said on the message line and nothing closes; success dismisses True."""

    DEFAULT_CSS = """
    CashPrompt { align: center middle; }
    #cash-prompt { width: 90; max-width: 100%; height: auto; border: round $accent; padding: 0 1;
                   background: $surface; }
    #cash-prompt .label { margin-top: 1; }
    #cash-message { color: $error; margin-top: 1; height: auto; }
    #cash-hint { color: $text-muted; height: auto; }
    """
    BINDINGS = [Binding("escape", "dismiss(False)", "Cancel")]

    def __init__(self, title: str, fields: list[tuple[str, str, str]], save: Callable[[dict], None], hint: str = ""):
        super().__init__()
        self.title_text, self.fields, self.save, self.hint = title, fields, save, hint

    def compose(self) -> ComposeResult:
        with Vertical(id="cash-prompt"):
            yield Static(self.hint, id="cash-hint", markup=False)
            for label, name, value in self.fields:
                yield Static(label, classes="label", markup=False)
                yield Input(value, id=f"cash-{name}", select_on_focus=False)
            yield Static("", id="cash-message", markup=False)

    def on_mount(self) -> None:
        self.query_one("#cash-prompt").border_title = f"{self.title_text} (enter saves, esc cancels)"
        self.query(Input).first().focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query(Input))
        if event.input is not inputs[-1]:
            inputs[inputs.index(event.input) + 1].focus()
            return
        values = {name: self.query_one(f"#cash-{name}", Input).value for _, name, _ in self.fields}
        try:
            self.save(values)
        except REFUSALS as exc:
            self.query_one("#cash-message", Static).update(f"Not saved: {exc}")
            return
        self.dismiss(True)


class CashScreen(Screen):
    """The cash workbench."""

    DEFAULT_CSS = """
    CashScreen #cash { height: 1fr; }
    CashScreen #cash-detail { height: auto; max-height: 12; border-top: solid $accent; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back"),
        Binding("c", "assign", "Customer"),
        Binding("a", "apply", "Apply"),
        Binding("r", "refund", "Refund"),
        Binding("p", "park", "Park"),
    ]

    def __init__(self):
        super().__init__()
        self.rows: list[dict] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="status", markup=False)
        yield VirtualTable(COLUMNS, id="cash", empty_text="No receipt has unapplied money.")
        yield Static(id="cash-detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "arctui: cash workbench"
        self.sub_title = f"{self.app.ctx.user} · {self.app.ctx.today().isoformat()}"
        self.reload_data()
        self.query_one("#cash").focus()

    def reload_data(self) -> None:
        ctx = self.app.ctx
        self.rows = cash.unapplied_cash(ctx.db, ctx.today())
        table = self.query_one("#cash", VirtualTable)
        first_load = table.row_count == 0
        source = ListSource([(r["id"], _cells(r)) for r in self.rows])
        source.index_of = {r["id"]: i for i, r in enumerate(self.rows)}.get
        table.source = source
        table.reload(keep=not first_load)
        totals: dict[str, int] = {}
        for r in self.rows:
            totals[r["currency"]] = totals.get(r["currency"], 0) + r["unapplied_cents"]
        unknown = sum(1 for r in self.rows if r["customer_id"] is None)
        money = " · ".join(format_money(c, cur) + f" {cur}" for cur, c in sorted(totals.items()))
        self.query_one("#status", Static).update(
            f"{len(self.rows)} receipts with unapplied money ({unknown} with no customer): {money or 'none'}"
        )
        self._show_detail()

    def _show_detail(self) -> None:
        r = self.current()
        self.query_one("#cash-detail", Static).update(describe(r) if r else "")

    @on(VirtualTable.Highlighted, "#cash")
    def _highlighted(self, event: VirtualTable.Highlighted) -> None:
        self._show_detail()

    def current(self) -> dict | None:
        key = self.query_one("#cash", VirtualTable).cursor_key
        return next((r for r in self.rows if r["id"] == key), None)

    def _best(self, r: dict, want) -> dict | None:
        return next((s for s in r["suggestions"] if want(s)), None)

    def _prompt(self, title: str, fields, save, hint: str = "") -> None:
        def done(saved: bool | None) -> None:
            if saved:
                self.app.reload_screens()  # this list, and the queue under it

        self.app.push_screen(CashPrompt(title, fields, save, hint), done)

    # -- the four steps -----------------------------------------------------------------
    def action_assign(self) -> None:
        r = self.current()
        if r is None:
            return
        best = self._best(r, lambda s: s["account_no"]) or {}
        ctx = self.app.ctx
        self._prompt(
            f"Customer of payment {r['id']}",
            [("Account number", "account", best.get("account_no") or r["account_no"] or "")],
            lambda v: cash.assign_payment(ctx, r["id"], v["account"], r["version"]),
            describe(r),
        )

    def action_apply(self) -> None:
        r = self.current()
        if r is None:
            return
        best = self._best(r, lambda s: bool(s["allocations"]))
        text = ""
        if best:
            numbers = {i["id"]: i["number"] for i in best["invoices"]}
            text = ", ".join(
                f"{numbers[i]}={format_money(c, r['currency'], symbol=False)}" for i, c in best["allocations"]
            )
        ctx = self.app.ctx

        def save(values: dict) -> None:
            latest = cash.unapplied_receipt(ctx.db, r["id"], ctx.today())
            allocations = cash.allocations_from_text(ctx.db, latest, values["invoices"])
            cash.apply_payment(ctx, r["id"], allocations, r["version"])

        self._prompt(
            f"Apply payment {r['id']} ({format_money(r['unapplied_cents'], r['currency'])} unapplied)",
            [("Invoices: NUMBER=AMOUNT, NUMBER=AMOUNT (a number alone: its open balance)", "invoices", text)],
            save,
            describe(r),
        )

    def action_refund(self) -> None:
        r = self.current()
        if r is None:
            return
        ctx = self.app.ctx

        def save(values: dict) -> None:
            from arctui.domain.money import parse_money

            cents = parse_money(values["amount"], r["currency"])
            request_id = cash.refund_unapplied(ctx, r["id"], cents, values["note"], r["version"])
            if request_id is not None:
                self.notify(
                    f"Above your authority limit: refund request {request_id} waits for a lead or manager"
                    " (the money is held meanwhile).",
                    title="Refund requested",
                    markup=False,
                )

        self._prompt(
            f"Refund from payment {r['id']} (above your authority limit: requested)",
            [
                (
                    f"Amount ({r['currency']})",
                    "amount",
                    format_money(r["unapplied_cents"] - r["held_cents"], r["currency"], symbol=False),
                ),
                ("Why, and to whom", "note", ""),
            ],
            save,
            describe(r),
        )

    def action_park(self) -> None:
        r = self.current()
        if r is None:
            return
        ctx = self.app.ctx
        self._prompt(
            f"Park payment {r['id']}",
            [("Note: why it waits (whom you asked, what you await)", "note", "")],
            lambda v: cash.park_payment(ctx, r["id"], v["note"], r["version"]),
            describe(r),
        )
