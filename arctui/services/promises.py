"""Promises to pay: record, cancel, and settle them on the cash received from the account."""

from datetime import date

from arctui.domain.promises import PromiseTerms, Receipt, Verdict, judge_promises
from arctui.services import validate
from arctui.services.accounts_common import open_invoices_of
from arctui.services.context import Context
from arctui.services.errors import InvalidInput
from arctui.services.records import Action, action
from arctui.services.validate import at_most, not_before, positive_cents
from arctui.store.facts import bring_to
from arctui.store.read import invoices as read_invoices
from arctui.store.read import promises as read_promises


def promise_cap(db, customer_id: int, invoice_ids=()) -> tuple[int, str]:
    """The most a promise may be for, and what that is in words: what the account owes on
    the chosen invoices, or on all its invoices when none is chosen."""
    what = "the open balance of the chosen invoices" if invoice_ids else "the account's open balance"
    return read_invoices.owed_cents(db, customer_id, invoice_ids), what


def record_promise(
    ctx: Context,
    customer_id: int,
    amount_cents: int,
    promised_date: date,
    invoice_ids=(),
    note: str = "",
    grace_days: int = 3,
) -> int:
    """A promise to pay ``amount_cents`` by ``promised_date``, covering ``invoice_ids`` (the
    account as a whole when none); never more than the account owes on them."""
    positive_cents("amount", amount_cents)
    not_before("promised date", promised_date, ctx.today())
    if not 0 <= grace_days <= 30:
        raise InvalidInput("grace days", f"expected 0 to 30, got {grace_days}")
    with action(ctx, "promise.record", "promises") as act:
        customer = act.get("customers", customer_id)
        open_invoices_of(act, customer_id, invoice_ids)
        most, what = promise_cap(act.db, customer_id, invoice_ids)
        at_most("amount", amount_cents, most, what, customer["currency"])
        promise_id = act.insert(
            "promises",
            {
                "customer_id": customer_id,
                "amount_cents": amount_cents,
                "promised_date": promised_date.isoformat(),
                "grace_days": grace_days,
                "status": "open",
                "paid_cents": 0,
                "note": validate.note("note", note),
                "created_at": ctx.now(),
                "created_by": ctx.user,
            },
        )
        for invoice_id in invoice_ids:
            act.insert("promise_invoices", {"promise_id": promise_id, "invoice_id": invoice_id})
        return promise_id


def cancel_promise(ctx: Context, promise_id: int, version: int, note: str = "") -> None:
    with action(ctx, "promise.cancel", "promises", promise_id) as act:
        promise = act.get("promises", promise_id)
        if promise["status"] != "open":
            raise InvalidInput("promise", f"promise {promise_id} is {promise['status']}, not open")
        act.update(
            "promises",
            promise_id,
            {
                "status": "cancelled",
                "note": validate.note("note", note) or promise["note"],
                "resolved_date": ctx.today().isoformat(),
            },
            version,
        )


def settle_promises(ctx: Context, customer_id: int | None = None) -> int:
    """Re-judge open promises on the cash received (``arctui.domain.promises`` gives the
    rule); return how many stopped being open. The whole book's settling (the nightly run)
    also brings the queue's facts to the new day, so no collector's first read waits for it."""
    with action(ctx, "promise.settle", "customers", customer_id) as act:
        settled = settle_open_promises(act, customer_id)
        if customer_id is None:
            bring_to(ctx.db, ctx.today())
        return settled


def settle_open_promises(act: Action, customer_id: int | None) -> int:
    """The settling step, inside an action already under way (e.g. a payment application):
    each open promise whose verdict or cash so far changed is updated (and audited)."""
    promises, verdicts = judge_open_promises(act.db, act.ctx.today(), customer_id)
    today = act.ctx.today().isoformat()
    changed = 0
    for p in promises:
        verdict = verdicts.get(p["id"])
        if verdict is None or (verdict.status == "open" and verdict.paid_cents == p["paid_cents"]):
            continue
        act.update(
            "promises",
            p["id"],
            {
                "status": verdict.status,
                "paid_cents": verdict.paid_cents,
                "resolved_date": today if verdict.status != "open" else None,
            },
        )
        changed += verdict.status != "open"
    return changed


def judge_open_promises(db, today: date, customer_id: int | None = None) -> tuple[list[dict], dict[int, Verdict]]:
    """The promises of the accounts with an open promise (one account's, or the book's) and
    a verdict for each open one, as of ``today``; nothing is written. The sample book
    judges its promises with this too."""
    promises = read_promises.promises_to_judge(db, customer_id)
    receipts = read_promises.receipts_by_account(db, customer_id)
    by_account: dict[int, list[PromiseTerms]] = {}
    for p in promises:
        by_account.setdefault(p["customer_id"], []).append(
            PromiseTerms(
                id=p["id"],
                amount_cents=p["amount_cents"],
                created=date.fromisoformat(p["created_at"][:10]),
                promised=date.fromisoformat(p["promised_date"]),
                grace_days=p["grace_days"],
                held_cents=None if p["status"] == "open" else p["paid_cents"],
            )
        )
    verdicts: dict[int, Verdict] = {}
    for account, terms in by_account.items():
        cash = [
            Receipt(
                r["id"],
                date.fromisoformat(r["received_date"]),
                r["amount_cents"],
                tuple((date.fromisoformat(day), cents) for day, cents in r["refunds"]),
            )
            for r in receipts.get(account, ())
        ]
        verdicts.update(judge_promises(terms, cash, today))
    return promises, verdicts
