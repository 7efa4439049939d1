"""``I`` (leads and managers): what waits for a lead's decision across the book, one line
each: credit memos, write-offs, credit-limit raises and refunds waiting for approval, disputes
past their due day, escalations to management nobody has acted on, promises broken today.
``enter`` opens the line's account (decide there with its actions: ``M`` approves a memo or
write-off, ``L`` a credit-limit raise); on a refund request it opens its decision (approve or
reject); ``esc`` goes back. The list follows the book as
others save (``reload_data``)."""

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from arctui.console import cells
from arctui.console.widgets.virtual_table import Column, VirtualTable
from arctui.domain.authority import LIMIT_KINDS
from arctui.services.credit_limits import raise_of
from arctui.store.read import credit_limits, escalations, inbox, refunds
from arctui.store.read.team import authority

COLUMNS = [
    Column("what", "Waiting", 14),
    Column("account", "Account", 7),
    Column("name", "Customer", 24),
    Column("amount", "Amount", 12, right=True),
    Column("since", "Since", 10, priority=1),
    Column("detail", "Detail"),
    Column("owner", "Owner", 8, priority=2),
]
KINDS = {  # kind: (label in the list, how many of it in the status line)
    "memo": ("Approve memo", "memo{s} to approve"),
    "write_off": ("Write-off", "write-off{s} to approve"),
    "credit_limit": ("Credit limit", "credit-limit raise{s} to approve"),
    "refund": ("Refund", "refund{s} to approve"),
    "dispute": ("Dispute due", "dispute{s} past due"),
    "escalation": ("Escalated", "escalation{s}"),
    "recommendation": ("Decide", "escalation{s} to decide"),  # approve or reject with E on the account
    "promise": ("Broken promise", "broken promise{s}"),
}


class InboxSource:
    """The inbox's lines; the cursor follows a line (kind, id) across reloads."""

    def __init__(self, items: list[dict]):
        self.items = items
        self._index = {item["key"]: i for i, item in enumerate(items)}

    def count(self) -> int:
        return len(self.items)

    def fetch(self, offset: int, limit: int):
        return [(item["key"], item["cells"]) for item in self.items[offset : offset + limit]]

    def index_of(self, key) -> int | None:
        return self._index.get(key)


def inbox_items(db, today: date, me: dict) -> list[dict]:
    """Every line of ``me``'s inbox (a lead's or manager's collector row), in kind order,
    each {key, kind, customer_id, cells}; what is above ``me``'s own limit for its kind says so."""
    limits = {kind: (authority(db, me["id"], kind) or {"limit_cents": 0})["limit_cents"] for kind in LIMIT_KINDS}

    def over(kind: str, cents: int) -> str:
        return " · over your limit" if cents > limits[kind] else ""

    def line(kind: str, row: dict, amount: str, since: str, detail: str) -> dict:
        return {
            "key": (kind, row["id"]),
            "kind": kind,
            "customer_id": row["customer_id"],
            "cells": {
                "what": KINDS[kind][0],
                "account": row["account_no"],
                "name": row["name"],
                "amount": amount,
                "since": since[:10],
                "detail": detail,
                "owner": row["owner"] or "",
            },
        }

    items = []
    for m in inbox.memos_waiting(db):
        items.append(
            line(
                "memo" if m["kind"] == "credit" else "write_off",
                m,
                cells.money(m["amount_cents"], m["memo_currency"]),
                m["prepared_at"],
                f"{m['number']} {m['reason_code']} by {m['prepared_by']}{over(m['kind'], m['amount_cents'])}",
            )
        )
    for e in escalations.pending(db):
        placed = f"{e['agency']}: " if e["agency"] else ""
        amount = cells.money(e["placed_cents"], e["currency"]) if e["placed_cents"] else ""
        what = f"reinstate (end {e['kind']})" if e["step"] == "reinstate" else e["kind"]
        items.append(
            line(
                "recommendation",
                e,
                amount,
                e["recommended_at"],
                f"{what.replace('_', ' ')} by {e['recommended_by']}: {placed}{e['note']}",
            )
        )
    for c in credit_limits.changes_waiting(db):
        was = cells.money(c["from_cents"], c["currency"]) if c["from_cents"] is not None else "none"
        items.append(
            line(
                "credit_limit",
                c,
                cells.money(c["to_cents"], c["currency"]),
                c["requested_at"],
                f"from {was} by {c['requested_by']}: {c['note']}{over('credit_limit', raise_of(c))}",
            )
        )
    for r in refunds.requests_waiting(db):
        items.append(
            line(
                "refund",
                {**r, "account_no": r["account_no"] or "", "name": r["name"] or "(unknown payer)"},
                cells.money(r["amount_cents"], r["currency"]),
                r["requested_at"],
                f"payment {r['payment_id']} by {r['requested_by']}: {r['note']}{over('refund', r['amount_cents'])}",
            )
        )
    for d in inbox.disputes_past_due(db, today):
        items.append(
            line(
                "dispute",
                d,
                cells.money(d["amount_cents"], d["currency"]),
                d["opened_at"],
                f"{d['invoice_number']} {d['reason'].replace('_', ' ')}: open {d['days_open']} days,"
                f" due {d['due_date']}, with {d['dispute_owner']}",
            )
        )
    for e in inbox.escalations_waiting(db):
        items.append(line("escalation", e, "", e["at"], f"by {e['by']}: {e['note'] or e['detail']}"))
    for p in inbox.promises_broken_today(db, today):
        paid = f"paid {cells.money(p['paid_cents'], p['currency'])}" if p["paid_cents"] else "nothing paid"
        judged = "" if p["status"] != "open" else " (not yet settled)"
        items.append(
            line(
                "promise",
                p,
                cells.money(p["amount_cents"], p["currency"]),
                p["promised_date"],
                f"+{p['grace_days']} days grace: {paid}{judged}",
            )
        )
    return items


def summary(items: list[dict]) -> str:
    """ "1 memo to approve · 2 disputes past due · …" (kinds with nothing left out)."""
    counts = {kind: sum(1 for item in items if item["kind"] == kind) for kind in KINDS}
    parts = [f"{n} {KINDS[kind][1].format(s='' if n == 1 else 's')}" for kind, n in counts.items() if n]
    return " · ".join(parts) if parts else "Nothing waits for a decision."


class InboxScreen(Screen):
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back"),
    ]

    def __init__(self, me: dict):
        super().__init__()
        self.me = me  # the lead's or manager's collector row
        self.items: list[dict] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="status", markup=False)
        yield VirtualTable(
            COLUMNS,
            id="inbox",
            empty_text="Nothing waits: no memo to approve, dispute past due, escalation or promise broken today.",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.title = "arctui: inbox (enter opens the account)"
        self.sub_title = f"{self.app.ctx.user} · {self.app.ctx.today().isoformat()}"
        self.reload_data()
        self.query_one("#inbox").focus()

    def reload_data(self) -> None:
        ctx = self.app.ctx
        self.items = inbox_items(ctx.db, ctx.today(), self.me)
        table = self.query_one("#inbox", VirtualTable)
        first_load = table.row_count == 0
        table.source = InboxSource(self.items)
        table.reload(keep=not first_load)
        self.query_one("#status", Static).update(summary(self.items))

    @on(VirtualTable.Selected, "#inbox")
    def _open_account(self, event: VirtualTable.Selected) -> None:
        item = next(item for item in self.items if item["key"] == event.key)
        if item["kind"] != "refund":
            self.app.open_client(item["customer_id"])
        elif item["customer_id"] is None:
            self.notify(
                f"The payer is not known yet: assign the receipt (C), or decide with"
                f" `arctui cash refund-approve {item['key'][1]}` / `refund-reject`.",
                severity="warning",
                markup=False,
            )
        else:
            from arctui.console.forms.refund_decision import RefundDecisionForm

            form = RefundDecisionForm(self.app.ctx, item["customer_id"], item["key"][1])
            self.app.push_screen(form, self.app.after_action)
