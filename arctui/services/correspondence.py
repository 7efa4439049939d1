"""What we write to an account: the facts a template is rendered from, the draft email, and
``send_account_email``, the one way a collector sends an account a templated email (the
console's form and ``arctui email queue`` alike).

One email a day: an account gets each template at most once a day, to whichever of its
contacts; the automated dunning run shares the key, so a reminder sent by hand is not sent
again by the run that day. The one repeat allowed is sending now what is already queued
for the same address.
"""

from dataclasses import dataclass
from datetime import date

from arctui.domain.aging import AgingBuckets, days_past_due
from arctui.domain.dunning import STEPS
from arctui.domain.money import format_money
from arctui.services.context import Context
from arctui.services.email import Transport, check_headers, open_transport, queue_email, send_queued
from arctui.services.errors import InvalidInput, NotFound, ServiceError
from arctui.services.records import get
from arctui.services.templates import Templates
from arctui.services.validate import identifier
from arctui.store.read import accounts, cash
from arctui.store.read import email as read
from arctui.store.read.aging import book_buckets

NEEDS = {"promise_confirmation": "promise", "plan_agreement": "plan"}
"""Templates that only make sense for an account with an open promise or an active plan."""
CUSTOMER_FIELDS = ("id", "account_no", "name", "region", "currency", "terms_days")
NO_COLLECTOR = {"name": "Accounts Receivable", "email": ""}


class AlreadyToday(ServiceError):
    """The account already got this email today, or has it queued (one email a day)."""


class NotSent(ServiceError):
    """The email is in the outbox but the sender did not take it now."""


@dataclass(frozen=True)
class Draft:
    customer_id: int
    template: str
    to_addr: str
    subject: str
    body: str


def draft_email(
    db, templates: Templates, customer_id: int, template: str, today: date, contact_id: int | None = None
) -> Draft:
    """Render ``template`` for the account's primary contact (or ``contact_id``); InvalidInput
    if it has none, or if the account's data would make a header that cannot be sent."""
    return draft_from_context(templates, account_context(db, customer_id, today, contact_id), template)


def draft_from_context(templates: Templates, context: dict, template: str) -> Draft:
    """``draft_email`` from an ``account_context`` already built (a run adds what it knows)."""
    customer_id = context["customer"]["id"]
    account = f"account {context['customer']['account_no']}"
    if context["contact"] is None:
        raise InvalidInput("contact", f"{account} has no contact with an email address")
    needed = NEEDS.get(template)
    if needed and context[needed] is None:
        raise InvalidInput(needed, f"{account} has no open {needed}")
    rendered = templates.render(template, context)
    to_addr = context["contact"]["email"]
    check_headers(to_addr, rendered.subject)
    return Draft(customer_id, template, to_addr, rendered.subject, rendered.body)


def render_letter(templates: Templates, context: dict, template: str):
    """``template`` rendered as a letter to print from an ``account_context``: to its contact,
    else to the accounts payable department (a letter needs no email address)."""
    contact = context["contact"] or {"name": "Accounts Payable", "email": "", "role": None}
    return templates.render(template, {**context, "contact": contact})


def send_account_email(
    ctx: Context,
    customer_id: int,
    template: str,
    contact_id: int | None = None,
    send_now: bool = False,
    transport: Transport | None = None,
    templates: Templates | None = None,
) -> int:
    """Render ``template`` for the account's contact ``contact_id`` (default: its primary
    contact with an email address), queue it and, with ``send_now``, send it at once through
    ``transport`` (default: the configured sender, opened before anything is queued, so a
    missing setting saves nothing). Returns the outbox id.

    Refused (AlreadyToday) when the account already got this template today or has it
    queued, unless it is sending now what is queued for the same address. NotSent when the
    email is queued but the sender did not take it now (the next send run retries it)."""
    if send_now and transport is None:
        transport = open_transport(ctx)
    templates = templates or Templates.from_settings(ctx.settings)
    draft = draft_email(ctx.db, templates, customer_id, template, ctx.today(), contact_id)
    row = already_today(ctx, draft)
    sending_the_queued_one = (
        send_now and row is not None and row["status"] != "sent" and row["to_addr"] == draft.to_addr.strip()
    )  # the outbox keeps the address stripped
    if row is not None and not sending_the_queued_one:
        done = "sent" if row["status"] == "sent" else "queued"
        raise AlreadyToday(
            f"{template} was already {done} to {row['to_addr']} today (email {row['id']});"
            " an account gets each email once a day"
        )
    outbox_id = row["id"] if row else queue_draft(ctx, draft)
    if not send_now:
        return outbox_id
    report = send_queued(ctx, transport, ids=[outbox_id])
    if outbox_id not in report.sent:
        why = "; ".join(error for _, error in report.failed + report.in_doubt) or "not sendable now"
        raise NotSent(f"email {outbox_id} is in the outbox but {transport.name} did not send it: {why}")
    return outbox_id


def _dedupe_key(ctx: Context, draft: Draft) -> str:
    """One email per account, template and day; a dunning step queued by hand shares the
    automated run's key, so it is not sent twice."""
    prefix = "dunning" if draft.template in STEPS else "email"
    return f"{prefix}:{draft.customer_id}:{draft.template}:{ctx.today().isoformat()}"


def queue_draft(ctx: Context, draft: Draft) -> int:
    """Queue a rendered draft (a second one the same day returns the first one's id)."""
    return queue_email(
        ctx,
        draft.customer_id,
        draft.to_addr,
        draft.subject,
        draft.body,
        draft.template,
        dedupe_key=_dedupe_key(ctx, draft),
    )


def already_today(ctx: Context, draft: Draft) -> dict | None:
    """Today's outbox row for this account and template, if there is one."""
    return read.outbox_by_dedupe_key(ctx.db, _dedupe_key(ctx, draft))


def customer_by_account_no(db, account_no: str) -> int:
    account_no = identifier("account", account_no) or ""
    customer_id = accounts.customer_id_by_account_no(db, account_no)
    if customer_id is None:
        raise NotFound(f"no account {account_no}")
    return customer_id


def contact_by_address(db, customer_id: int, email: str) -> int:
    """The account's contact with the address ``email``."""
    email = identifier("email", email) or ""
    contact_id = read.contact_id_by_email(db, customer_id, email)
    if contact_id is None:
        account = get(db, "customers", customer_id)["account_no"]
        raise InvalidInput("contact", f"account {account} has no contact with the address {email}")
    return contact_id


def account_context(db, customer_id: int, today: date, contact_id: int | None = None) -> dict:
    """What a template sees; amounts come as text in the account's currency (``open``) and as
    cents (``open_cents``, for the ``money`` filter):

    - ``today``; ``customer``: account_no, name, region, currency, terms_days;
    - ``contact``: name, email, role (``contact_id``'s, else the primary contact with an email address);
    - ``collector``: name, email (the account's owner);
    - ``invoices``: number, issue_date, due_date, po_number, amount, open, days_past_due,
      bucket, disputed (open items, oldest due first); ``oldest_days_past_due``;
    - ``unapplied``: received_date, bank_ref, method, currency, amount, unapplied, netted (the
      account's receipts with cash not yet applied, oldest first; netted: in the account's
      currency, so counted in its balance; money in another currency is never netted);
    - ``totals``: open, past_due, buckets (text per bucket of the book's: current, 1-30 ... 90+),
      unapplied, and balance (the open items less the unapplied cash netted: what the account owes);
    - ``promise``: amount, promised_date, grace_days, note (the latest open one, or None);
    - ``plan``: total, frequency, instalments (seq, due_date, amount), or None.
    """
    customer = get(db, "customers", customer_id)
    currency = customer["currency"]
    aging = book_buckets(db)
    invoices = _open_invoices(db, customer_id, today, aging)
    buckets = dict.fromkeys(aging.names, 0)
    for invoice in invoices:
        buckets[invoice["bucket"]] += invoice["open_cents"]
    open_cents = sum(buckets.values())
    past_due_cents = open_cents - buckets["current"]
    unapplied = _unapplied(db, customer_id, currency)
    unapplied_cents = sum(receipt["unapplied_cents"] for receipt in unapplied if receipt["netted"])
    return {
        "today": today.isoformat(),
        "customer": {k: customer[k] for k in CUSTOMER_FIELDS},
        "contact": read.mail_contact(db, customer_id, contact_id),
        "collector": read.collector(db, customer["owner"]) or NO_COLLECTOR,
        "invoices": invoices,
        "oldest_days_past_due": max((i["days_past_due"] for i in invoices), default=0),
        "totals": {
            "open": format_money(open_cents, currency),
            "open_cents": open_cents,
            "past_due": format_money(past_due_cents, currency),
            "past_due_cents": past_due_cents,
            "buckets": {name: format_money(cents, currency) for name, cents in buckets.items()},
            "unapplied": format_money(unapplied_cents, currency),
            "unapplied_cents": unapplied_cents,
            "balance": format_money(open_cents - unapplied_cents, currency),
            "balance_cents": open_cents - unapplied_cents,
        },
        "unapplied": unapplied,
        "promise": _promise(db, customer_id, currency),
        "plan": _plan(db, customer_id, currency),
    }


def _open_invoices(db, customer_id: int, today: date, buckets: AgingBuckets) -> list[dict]:
    rows = read.letter_invoices(db, customer_id)
    for row in rows:
        due = date.fromisoformat(row["due_date"])
        row.update(
            days_past_due=max(days_past_due(due, today), 0),
            bucket=buckets.bucket_for(due, today),
            amount=format_money(row["amount_cents"], row["currency"]),
            open=format_money(row["open_cents"], row["currency"]),
            disputed=bool(row["disputed"]),
        )
    return rows


def _unapplied(db, customer_id: int, currency: str) -> list[dict]:
    receipts = cash.unapplied_payments(db, customer_id)
    return [
        {
            **{k: r[k] for k in ("received_date", "bank_ref", "method", "currency", "amount_cents", "unapplied_cents")},
            "amount": format_money(r["amount_cents"], r["currency"]),
            "unapplied": format_money(r["unapplied_cents"], r["currency"]),
            "netted": r["currency"] == currency,
        }
        for r in receipts
    ]


def _promise(db, customer_id: int, currency: str) -> dict | None:
    promise = read.open_promise(db, customer_id)
    if promise:
        promise["amount"] = format_money(promise["amount_cents"], currency)
    return promise


def _plan(db, customer_id: int, currency: str) -> dict | None:
    plan = read.active_plan(db, customer_id)
    if plan:
        plan["total"] = format_money(plan["total_cents"], currency)
        plan["instalments"] = read.plan_instalments(db, plan["id"])
        for instalment in plan["instalments"]:
            instalment["amount"] = format_money(instalment["amount_cents"], currency)
    return plan
