"""Escalations with a decision: suspension, outside collections (an agency placement) and
legal are recommendations; a lead or manager other than the recommender approves or rejects
them, and only an approval changes the account. A reinstatement ends an escalation in force
the same way: recommended, then decided. Every step is one audited action.

Suspension and outside collections set the account's status (restored on reinstatement);
legal is recorded as an escalation in force without a status of its own.
"""

from datetime import date

from arctui.domain.authority import AuthorityError
from arctui.domain.statuses import RECOMMENDED_ESCALATIONS
from arctui.services.accounts_common import log_event, require_lead
from arctui.services.context import Context
from arctui.services.errors import InvalidInput
from arctui.services.records import Action, action
from arctui.services.validate import a_day, at_most, choice, not_before, optional, positive_cents, required
from arctui.services.validate import note as optional_note
from arctui.store.read import escalations as read
from arctui.store.read.invoices import owed_cents

STATUS_FOR = {"suspension": "suspended", "outside_collections": "outside_collections"}
"""The account status an approved escalation sets; legal sets none."""
DECIDED = {True: "approved", False: "rejected"}
"""A recommendation's status once decided (approve or not)."""


def recommend_escalation(
    ctx: Context,
    customer_id: int,
    kind: str,
    note: str,
    version: int | None,
    agency: str | None = None,
    placed_cents: int | None = None,
    placed_date: date | None = None,
) -> int:
    """Recommend suspension, outside collections or legal for the account (``version``: the
    account's as the collector loaded it). Outside collections names the ``agency``; the
    amount placed defaults to what the account owes, the day placed to today."""
    choice("escalation", kind, RECOMMENDED_ESCALATIONS)
    note = required("note", note)
    with action(ctx, f"escalation.recommend.{kind}", "escalations") as act:
        customer = act.get("customers", customer_id)
        act.require_version("customers", customer, version)
        if any(e["kind"] == kind for e in read.in_force(act.db, customer_id)):
            raise InvalidInput("escalation", f"{customer['name']} is already under {_label(kind)}")
        _no_pending(act, customer_id, kind)
        placement = _placement(act, customer, kind, agency, placed_cents, placed_date)
        return act.insert(
            "escalations",
            {
                "customer_id": customer_id,
                "kind": kind,
                "step": "escalate",
                "status": "recommended",
                "note": note,
                "recommended_by": ctx.user,
                "recommended_at": ctx.now(),
                **placement,
            },
        )


def recommend_reinstatement(ctx: Context, escalation_id: int, note: str) -> int:
    """Recommend ending an escalation in force (the account returns to its status before)."""
    note = required("note", note)
    with action(ctx, "escalation.recommend.reinstate", "escalations") as act:
        escalation = act.get("escalations", escalation_id)
        if escalation["id"] not in {e["id"] for e in read.in_force(act.db, escalation["customer_id"])}:
            raise InvalidInput("escalation", f"escalation {escalation_id} is not in force: nothing to reinstate")
        _no_pending(act, escalation["customer_id"], escalation["kind"])
        return act.insert(
            "escalations",
            {
                "customer_id": escalation["customer_id"],
                "kind": escalation["kind"],
                "step": "reinstate",
                "reverses_id": escalation_id,
                "status": "recommended",
                "note": note,
                "recommended_by": ctx.user,
                "recommended_at": ctx.now(),
            },
        )


def decide_escalation(ctx: Context, escalation_id: int, version: int, approve: bool, note: str = "") -> None:
    """A lead's or manager's decision on a recommendation, never the recommender's own; a
    rejection says why. Approval changes the account's status (see ``STATUS_FOR``)."""
    with action(ctx, "escalation.approve" if approve else "escalation.reject", "escalations", escalation_id) as act:
        require_lead(act, "decide on escalations")
        escalation = act.get("escalations", escalation_id)
        act.require_version("escalations", escalation, version)
        if escalation["status"] != "recommended":
            raise InvalidInput("escalation", f"escalation {escalation_id} is already {escalation['status']}")
        if escalation["recommended_by"].casefold() == ctx.user.casefold():
            raise AuthorityError(f"{ctx.user} recommended this: another lead or manager decides on it")
        note = optional_note("note", note) if approve else required("note", note)
        decision = {"status": DECIDED[approve], "decided_by": ctx.user, "decided_at": ctx.now(), "decision_note": note}
        if approve and escalation["step"] == "escalate":
            decision["status_before"] = _apply(act, escalation)
        elif approve:
            _reinstate(act, escalation)
        act.update("escalations", escalation_id, decision, version)


def record_recovery(ctx: Context, escalation_id: int, amount_cents: int, received_date: date, note: str = "") -> int:
    """What the agency recovered on an outside-collections placement in force (never more in
    all than was placed)."""
    positive_cents("amount", amount_cents)
    a_day("received", received_date)
    with action(ctx, "escalation.recovery", "escalations", escalation_id) as act:
        escalation = act.get("escalations", escalation_id)
        if escalation["placed_cents"] is None:  # another kind, or a placement from before schema 10
            raise InvalidInput("escalation", f"escalation {escalation_id} placed no amount with an agency")
        if escalation["status"] != "approved":
            raise InvalidInput("escalation", f"the placement is {escalation['status']}, not approved")
        not_before("received", received_date, date.fromisoformat(escalation["placed_date"]))
        if received_date > ctx.today():
            raise InvalidInput("received", f"{received_date.isoformat()} is after today")
        left = escalation["placed_cents"] - read.recovered_cents(act.db, escalation_id)
        at_most("amount", amount_cents, left, "what is left of the placement", escalation["currency"])
        return act.insert(
            "agency_recoveries",
            {
                "escalation_id": escalation_id,
                "received_date": received_date.isoformat(),
                "amount_cents": amount_cents,
                "note": optional_note("note", note),
                "recorded_by": ctx.user,
                "recorded_at": ctx.now(),
            },
        )


def _label(kind: str) -> str:
    return kind.replace("_", " ")


def _no_pending(act: Action, customer_id: int, kind: str) -> None:
    if any(e["kind"] == kind for e in read.pending(act.db, customer_id)):
        raise InvalidInput("escalation", f"a recommendation on {_label(kind)} already waits for a decision")


def _placement(
    act: Action, customer: dict, kind: str, agency: str | None, placed_cents: int | None, placed_date: date | None
) -> dict:
    agency = optional("agency", agency)
    if kind != "outside_collections":
        if agency or placed_cents is not None or placed_date is not None:
            raise InvalidInput("agency", f"only outside collections places the account with an agency, not {kind}")
        return {}
    if agency is None:
        raise InvalidInput("agency", "outside collections names the agency the account is placed with")
    owed = owed_cents(act.db, customer["id"])
    if placed_cents is None:
        placed_cents = owed
    positive_cents("amount placed", placed_cents)
    at_most("amount placed", placed_cents, owed, "what the account owes", customer["currency"])
    placed_date = a_day("placed", placed_date or act.ctx.today())
    return {
        "agency": agency,
        "placed_cents": placed_cents,
        "placed_date": placed_date.isoformat(),
        "currency": customer["currency"],
    }


def _apply(act: Action, escalation: dict) -> str:
    """Put the approved escalation in force; returns the account's status before it."""
    customer = act.get("customers", escalation["customer_id"])
    if escalation["kind"] in STATUS_FOR:
        act.update("customers", customer["id"], {"status": STATUS_FOR[escalation["kind"]]})
    log_event(act, customer["id"], "escalation", escalation["kind"], escalation["note"])
    return customer["status"]


def _reinstate(act: Action, reinstatement: dict) -> None:
    """End the escalation the reinstatement reverses: the account takes the status of the
    escalations still in force, else the one it had before."""
    ended = act.get("escalations", reinstatement["reverses_id"])
    customer_id = ended["customer_id"]
    still = [e for e in read.in_force(act.db, customer_id) if e["id"] != ended["id"] and e["kind"] in STATUS_FOR]
    status = STATUS_FOR[still[-1]["kind"]] if still else ended["status_before"]
    if ended["kind"] in STATUS_FOR:
        act.update("customers", customer_id, {"status": status})
    log_event(act, customer_id, "reinstatement", ended["kind"], reinstatement["note"])
