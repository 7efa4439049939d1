"""Decide on the account's credit memos: approve or reject those waiting for approval, post
the approved ones (posting credits the invoice)."""

from textual.app import ComposeResult
from textual.widgets import Input, Static

from arctui.console.forms import fields
from arctui.console.forms.base import ActionForm
from arctui.console.forms.widgets import Choice
from arctui.domain.authority import LIMIT_KINDS
from arctui.services.credit_memos import approve_memo, post_memo, reject_memo
from arctui.store.read import memos
from arctui.store.read.team import authority

_DECISIONS = [("approve", "approve"), ("reject (say why)", "reject"), ("post (credit the invoice)", "post")]
# which memos each decision applies to
_STATUS_FOR = {"approve": "pending_approval", "reject": "pending_approval", "post": "approved"}


class MemoApprovalForm(ActionForm):
    FORM_TITLE = "Approve / reject / post credit memos"

    def compose_fields(self) -> ComposeResult:
        limits = []
        for kind in ("credit", "write_off"):
            approver = authority(self.ctx.db, self.ctx.user, kind)
            limits.append(f"{LIMIT_KINDS[kind]}s {self.money(approver['limit_cents'])}" if approver else "")
        text = " · ".join(limits) if all(limits) else "none (not a collector)"
        yield Static(f"{self.ctx.user}'s approval limits: {text}", classes="note")
        yield self.choice_field(
            "Memo", "memo", self.memo_choices(), "no credit memo of this account waits for approval or posting"
        )
        yield self.field("Decision", Choice(_DECISIONS, id="decision"), fields.choice)
        yield self.field("Note", Input(id="note"), fields.optional_text)

    def memo_choices(self) -> list[tuple[str, int]]:
        self.memos = {m["id"]: m for m in memos.undecided(self.ctx.db, self.customer_id)}
        return [
            (
                f"{m['number']}  {self.money(m['amount_cents'])}  {m['reason_code']} / GL {m['gl_code']}"
                f"  by {m['prepared_by']}  ({m['status'].replace('_', ' ')})",
                m["id"],
            )
            for m in self.memos.values()
        ]

    def cross_check(self, values: dict) -> str | None:
        status = self.memos[values["memo"]]["status"]
        if status != _STATUS_FOR[values["decision"]]:
            return f"This memo is {status.replace('_', ' ')}: it cannot be {values['decision']}ed now."
        if values["decision"] == "reject" and not values["note"]:
            return "A rejection needs a note saying why."
        return None

    def save(self, values: dict) -> None:
        memo = self.memos[values["memo"]]
        if values["decision"] == "approve":
            approve_memo(self.ctx, memo["id"], memo["version"], note=values["note"])
        elif values["decision"] == "post":
            post_memo(self.ctx, memo["id"], memo["version"])
        else:
            reject_memo(self.ctx, memo["id"], memo["version"], values["note"])

    async def reload(self) -> None:
        await super().reload()
        self.refill_select("memo", self.memo_choices())
