"""What ``arctui do`` can do: each collector action as its fields and the one service call it
makes, the same call the console's form makes (so the same refusals and the same audit row).

An action returns the table and id of the record it wrote, for ``--json`` and the line printed.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from arctui.commands.common import as_seen
from arctui.commands.do_fields import (
    Field,
    account,
    day,
    invoice,
    invoice_numbers,
    money,
    record,
    some_of,
    whole,
    yes_no,
)
from arctui.domain.plans import FREQUENCIES, equal_schedule
from arctui.domain.statuses import DISPUTE_REASONS, ESCALATION_KINDS, OUTCOME_CODES, TOUCHPOINT_KINDS
from arctui.services import (
    accounts,
    cash,
    contacts,
    credit_memos,
    disputes,
    escalations,
    plans,
    promises,
    strategies,
    touchpoints,
)
from arctui.services.context import Context
from arctui.services.errors import InvalidInput

Run = Callable[[Context, dict], tuple[str, int]]


@dataclass(frozen=True)
class DoAction:
    name: str
    help: str
    fields: list[Field]
    run: Run
    """Call the service with the converted fields; the (table, id) of the record written."""
    done: str
    """What the record became, said after its name: "recorded", "put on credit hold"."""
    done_for: Mapping[str, str] = field(default_factory=dict)
    """What a record of another table the action may write instead became (table: words)."""


def _one_of(words) -> str:
    return "One of " + ", ".join(words) + "."


def _version(v: dict, of: str) -> int:
    """The version typed, else the record's version as it is now."""
    return as_seen(v[of], v["version"])


def _ids(found: list[dict] | None) -> list[int]:
    return [i["id"] for i in found or ()]


def _new(table: str, call: Callable[[Context, dict], int]) -> Run:
    """An action writing a new record of ``table``; its service returns the new id."""
    return lambda ctx, v: (table, call(ctx, v))


def _on(table: str, of: str, call: Callable[[Context, dict], None]) -> Run:
    """An action on the record the field ``of`` names (its service returns nothing)."""

    def run(ctx: Context, v: dict) -> tuple[str, int]:
        call(ctx, v)
        return table, v[of]["id"]

    return run


ACCOUNT = Field("account", "The account number.", account, required=True)
NOTE = Field("note", "Free text: what was said, why.")
NOTE_REQUIRED = Field("note", "Why (required).", required=True)
VERSION = Field("version", "The record's version as you loaded it (`--json` prints it); default: as it is now.", whole)
MEMO = Field("memo", "The credit memo's id.", record("credit_memos"), required=True)
PAYMENT = Field("payment", "The receipt's id (`arctui cash unapplied`).", record("payments"), required=True)
CONTACT = Field("contact", "The contact's id.", record("contacts"), required=True)
DISPUTE = Field("dispute", "The dispute's id.", record("disputes"), required=True)
CONTACT_DETAILS = [
    Field("role", "What they do (AP clerk, controller)."),
    Field("email", "Their email address."),
    Field("phone", "Their phone number."),
]


def _refund(ctx: Context, v: dict) -> tuple[str, int]:
    """A refund made is the receipt's; one above the refunder's authority is a refund request."""
    payment_id = v["payment"]["id"]
    request_id = cash.refund_unapplied(ctx, payment_id, v["amount"], v["note"], _version(v, "payment"))
    return ("payments", payment_id) if request_id is None else ("refund_requests", request_id)


def _escalate(ctx: Context, v: dict) -> tuple[str, int]:
    """An escalation to management or sales is an event on the account; the others are a
    recommendation of their own."""
    customer_id = v["account"]["id"]
    if v["agency"] is not None or v["placed"] is not None:
        return "escalations", escalations.recommend_escalation(
            ctx, customer_id, v["kind"], v["note"], _version(v, "account"), v["agency"], v["placed"]
        )
    recommended = accounts.escalate(ctx, customer_id, v["kind"], v["note"], _version(v, "account"))
    return ("customers", customer_id) if recommended is None else ("escalations", recommended)


def _touchpoint(ctx: Context, v: dict) -> int:
    note = v.get("kind") == "note"
    return touchpoints.log_touchpoint(
        ctx,
        v["account"]["id"],
        v.get("kind") or "call",
        "NOTE" if note else v["outcome"],
        v["note"] or "",
        v.get("follow-up"),
        v["contact"],
    )


def _promise(ctx: Context, v: dict) -> int:
    grace = {} if v["grace-days"] is None else {"grace_days": v["grace-days"]}
    return promises.record_promise(
        ctx, v["account"]["id"], v["amount"], v["date"], _ids(v["invoices"]), v["note"] or "", **grace
    )


def _plan(ctx: Context, v: dict) -> int:
    frequency = v["frequency"] or "monthly"
    schedule = equal_schedule(v["total"], v["count"], v["first-due"], frequency)
    return plans.create_plan(
        ctx, v["account"]["id"], v["total"], schedule, frequency, _ids(v["invoices"]), v["note"] or ""
    )


def _memo(ctx: Context, v: dict) -> int:
    return credit_memos.prepare_memo(
        ctx,
        v["account"]["id"],
        v["amount"],
        v["reason"],
        v["gl"],
        v["invoice"]["id"],
        v["note"] or "",
        submit=not v["draft"],
    )


def _apply(ctx: Context, v: dict) -> None:
    allocations = cash.allocations_from_text(ctx.db, v["payment"], v["invoices"])
    cash.apply_payment(ctx, v["payment"]["id"], allocations, _version(v, "payment"))


def _edit_contact(ctx: Context, v: dict) -> None:
    changes = {k: v[k] for k in contacts.EDITABLE if v[k] is not None}
    for name in v["clear"] or ():
        if name in changes:
            raise InvalidInput(name, "is given a value and cleared at once: say one")
        changes[name] = ""
    contacts.edit_contact(ctx, v["contact"]["id"], _version(v, "contact"), **changes)


ACTIONS = [
    DoAction(
        "call",
        "Log a call (or an email, letter or portal message) with its outcome code.",
        [
            ACCOUNT,
            Field("outcome", "The outcome code. " + _one_of(OUTCOME_CODES), required=True),
            Field("kind", _one_of(k for k in TOUCHPOINT_KINDS if k != "note") + " Default: call."),
            NOTE,
            Field("follow-up", "The day to follow up (a call back needs one).", day, said_as="follow-up date"),
            Field("contact", "The id of the contact spoken to.", whole),
        ],
        _new("touchpoints", _touchpoint),
        "logged",
    ),
    DoAction(
        "note",
        "Add a note to the account's timeline.",
        [ACCOUNT, NOTE_REQUIRED, Field("contact", "The id of the contact it is about.", whole)],
        _new("touchpoints", lambda ctx, v: _touchpoint(ctx, {**v, "kind": "note"})),
        "added",
    ),
    DoAction(
        "promise",
        "Record a promise to pay AMOUNT by DATE (never more than the account owes on its invoices).",
        [
            ACCOUNT,
            Field("amount", "In the account's currency.", money, required=True),
            Field("date", "The day promised (YYYY-MM-DD).", day, required=True, said_as="promised date"),
            Field("invoices", "The invoice numbers it covers (default: the account as a whole).", invoice_numbers),
            NOTE,
            Field("grace-days", "Days after the date before it counts as broken (default: 3).", whole),
        ],
        _new("promises", _promise),
        "recorded",
    ),
    DoAction(
        "plan",
        "Make a payment plan: TOTAL in COUNT equal instalments from FIRST-DUE.",
        [
            ACCOUNT,
            Field("total", "In the account's currency.", money, required=True),
            Field("count", "How many instalments.", whole, required=True, said_as="instalments"),
            Field("first-due", "The first instalment's day.", day, required=True, said_as="first instalment"),
            Field("frequency", _one_of(FREQUENCIES) + " Default: monthly."),
            Field("invoices", "The invoice numbers it covers.", invoice_numbers),
            NOTE,
        ],
        _new("payment_plans", _plan),
        "made",
    ),
    DoAction(
        "memo",
        "Prepare a credit memo on an invoice; above your authority limit it waits for approval.",
        [
            ACCOUNT,
            Field("invoice", "The invoice number it credits.", invoice, required=True),
            Field("amount", "In the account's currency.", money, required=True),
            Field("reason", "The reason code.", required=True, said_as="reason code"),
            Field("gl", "The GL account.", required=True, said_as="GL code"),
            NOTE,
            Field("draft", "Keep it a draft (not submitted).", yes_no, flag=True),
        ],
        _new("credit_memos", _memo),
        "prepared",
    ),
    DoAction(
        "approve",
        "Approve a credit memo waiting for someone whose limit covers it (not its preparer).",
        [MEMO, NOTE, VERSION],
        _on(
            "credit_memos",
            "memo",
            lambda ctx, v: credit_memos.approve_memo(ctx, v["memo"]["id"], _version(v, "memo"), v["note"] or ""),
        ),
        "approved",
    ),
    DoAction(
        "reject",
        "Reject a credit memo waiting for approval, saying why.",
        [MEMO, NOTE_REQUIRED, VERSION],
        _on(
            "credit_memos",
            "memo",
            lambda ctx, v: credit_memos.reject_memo(ctx, v["memo"]["id"], _version(v, "memo"), v["note"]),
        ),
        "rejected",
    ),
    DoAction(
        "post",
        "Post an approved credit memo: its invoice's open balance drops by its amount.",
        [MEMO, VERSION],
        _on("credit_memos", "memo", lambda ctx, v: credit_memos.post_memo(ctx, v["memo"]["id"], _version(v, "memo"))),
        "posted",
    ),
    DoAction(
        "dispute",
        "Open a dispute on part or all of an invoice.",
        [
            Field("invoice", "The invoice number.", invoice, required=True),
            Field("amount", "In the invoice's currency (at most its undisputed open balance).", money, required=True),
            Field("reason", _one_of(DISPUTE_REASONS), required=True),
            NOTE,
            Field("owner", "Who works it: a login, sales or customer service (told by email); default: you."),
            Field("due", "The day it is due to be resolved (default: in 30 days).", day, said_as="due date"),
        ],
        _new(
            "disputes",
            lambda ctx, v: disputes.open_dispute(
                ctx, v["invoice"]["id"], v["amount"], v["reason"], v["note"] or "", v["owner"], v["due"]
            ),
        ),
        "opened",
    ),
    DoAction(
        "resolve",
        "Resolve an open dispute.",
        [
            DISPUTE,
            Field("resolution", _one_of(disputes.RESOLUTIONS), required=True),
            NOTE,
            Field("memo", "Credited: the id of the invoice's credit memo it links.", record("credit_memos")),
            Field("reason-code", "Credited without --memo: the new memo's reason code.", said_as="reason code"),
            Field("gl", "Credited without --memo: the new memo's GL account.", said_as="GL code"),
            VERSION,
        ],
        _on(
            "disputes",
            "dispute",
            lambda ctx, v: disputes.resolve_dispute(
                ctx,
                v["dispute"]["id"],
                _version(v, "dispute"),
                v["resolution"],
                v["note"] or "",
                (v["memo"] or {}).get("id"),
                v["reason-code"] or "",
                v["gl"] or "",
            ),
        ),
        "resolved",
    ),
    DoAction(
        "dispute-note",
        "Add a note to a dispute.",
        [DISPUTE, NOTE_REQUIRED],
        _new("dispute_notes", lambda ctx, v: disputes.add_dispute_note(ctx, v["dispute"]["id"], v["note"])),
        "added",
    ),
    DoAction(
        "dispute-assign",
        "Give an open dispute to another owner (told by email) and, with --due, a new due date.",
        [
            DISPUTE,
            Field("owner", "A login, sales or customer service.", required=True),
            Field("due", "The day it is due to be resolved.", day, said_as="due date"),
            NOTE,
            VERSION,
        ],
        _on(
            "disputes",
            "dispute",
            lambda ctx, v: disputes.assign_dispute(
                ctx, v["dispute"]["id"], _version(v, "dispute"), v["owner"], v["due"], v["note"] or ""
            ),
        ),
        "given to its owner",
    ),
    DoAction(
        "hold",
        "Put the account on credit hold: no new orders ship on credit.",
        [ACCOUNT, NOTE_REQUIRED, VERSION],
        _on(
            "customers",
            "account",
            lambda ctx, v: accounts.credit_hold(ctx, v["account"]["id"], _version(v, "account"), v["note"]),
        ),
        "put on credit hold",
    ),
    DoAction(
        "release",
        "Release the account's credit hold: orders ship on credit again.",
        [ACCOUNT, NOTE_REQUIRED, VERSION],
        _on(
            "customers",
            "account",
            lambda ctx, v: accounts.release_hold(ctx, v["account"]["id"], _version(v, "account"), v["note"]),
        ),
        "released from credit hold",
    ),
    DoAction(
        "escalate",
        "Escalate to management or sales, or recommend suspension, outside collections or legal (a lead decides).",
        [
            ACCOUNT,
            Field("kind", _one_of(ESCALATION_KINDS), required=True),
            NOTE_REQUIRED,
            Field("agency", "Outside collections: the agency the account is placed with."),
            Field(
                "placed",
                "Outside collections: the amount placed (default: all it owes).",
                money,
                said_as="amount placed",
            ),
            VERSION,
        ],
        _escalate,
        "escalated",
    ),
    DoAction(
        "decide",
        "Approve or reject an escalation recommendation (a lead or manager, not the recommender).",
        [
            Field("escalation", "The recommendation's id.", record("escalations"), required=True),
            Field(
                "approve", "--approve or --not-approve (a rejection needs --note).", yes_no, flag=True, required=True
            ),
            NOTE,
            VERSION,
        ],
        _on(
            "escalations",
            "escalation",
            lambda ctx, v: escalations.decide_escalation(
                ctx, v["escalation"]["id"], _version(v, "escalation"), v["approve"], v["note"] or ""
            ),
        ),
        "decided",
    ),
    DoAction(
        "reinstate",
        "Recommend ending an escalation in force (a lead decides).",
        [Field("escalation", "The escalation's id.", record("escalations"), required=True), NOTE_REQUIRED],
        _new(
            "escalations",
            lambda ctx, v: escalations.recommend_reinstatement(ctx, v["escalation"]["id"], v["note"]),
        ),
        "recommended",
    ),
    DoAction(
        "recovery",
        "Record what the agency recovered on an outside-collections placement.",
        [
            Field("escalation", "The placement's escalation id.", record("escalations"), required=True),
            Field("amount", "In the placement's currency.", money, required=True),
            Field("received", "The day the agency received it.", day, required=True),
            NOTE,
        ],
        _new(
            "agency_recoveries",
            lambda ctx, v: escalations.record_recovery(
                ctx, v["escalation"]["id"], v["amount"], v["received"], v["note"] or ""
            ),
        ),
        "recorded",
    ),
    DoAction(
        "apply",
        "Apply a receipt's unapplied cash to invoices (INV-1=120.00 INV-2; no amount: its open balance).",
        [PAYMENT, Field("invoices", "NUMBER[=AMOUNT] items.", required=True), VERSION],
        _on("payments", "payment", _apply),
        "applied",
    ),
    DoAction(
        "refund",
        "Refund part of a receipt's unapplied cash (above your authority limit: requested, the money held).",
        [PAYMENT, Field("amount", "In the receipt's currency.", money, required=True), NOTE_REQUIRED, VERSION],
        _refund,
        "refunded",
        {"refund_requests": "requested: held until a lead or manager approves it"},
    ),
    DoAction(
        "pause",
        "Pause the account's reminders until a day, saying why (its collector, a lead or a manager).",
        [
            ACCOUNT,
            Field("until", "The last day without reminders (YYYY-MM-DD).", day, required=True),
            Field("reason", "Why (required).", required=True),
        ],
        _new(
            "dunning_pauses",
            lambda ctx, v: strategies.pause_dunning(ctx, v["account"]["id"], v["until"], v["reason"]),
        ),
        "recorded",
    ),
    DoAction(
        "resume",
        "End the account's reminder pause before its day.",
        [ACCOUNT],
        _on("customers", "account", lambda ctx, v: strategies.resume_dunning(ctx, v["account"]["id"])),
        "has its reminders again",
    ),
    DoAction(
        "contact add",
        "Add a contact to the account (--primary: they become its primary contact).",
        [
            ACCOUNT,
            Field("name", "Their name.", required=True),
            *CONTACT_DETAILS,
            Field("primary", "The account's primary contact (takes the role from the one before).", yes_no, flag=True),
        ],
        _new(
            "contacts",
            lambda ctx, v: contacts.add_contact(
                ctx, v["account"]["id"], v["name"], v["role"], v["email"], v["phone"], bool(v["primary"])
            ),
        ),
        "added",
    ),
    DoAction(
        "contact edit",
        "Change what the options name on a contact.",
        [
            CONTACT,
            Field("name", "Their name."),
            *CONTACT_DETAILS,
            Field("primary", "Make them the primary contact (--not-primary: no longer).", yes_no, flag=True),
            Field(
                "clear",
                "Details to blank out, e.g. --clear phone or --clear role,email.",
                some_of(tuple(detail.name for detail in CONTACT_DETAILS)),
            ),
            VERSION,
        ],
        _on("contacts", "contact", _edit_contact),
        "changed",
    ),
    DoAction(
        "contact retire",
        "Retire a contact: kept for the account's history, offered no more.",
        [CONTACT, VERSION],
        _on(
            "contacts",
            "contact",
            lambda ctx, v: contacts.retire_contact(ctx, v["contact"]["id"], _version(v, "contact")),
        ),
        "retired",
    ),
]
