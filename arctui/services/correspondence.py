"""What we write to an account: the facts a template is rendered from, and the draft email."""
from dataclasses import dataclass
from datetime import date

from arctui.domain.aging import BUCKETS, bucket_for, days_past_due
from arctui.domain.dunning import STEPS
from arctui.domain.money import format_money
from arctui.services.context import Context
from arctui.services.email import check_headers, queue_email
from arctui.services.errors import InvalidInput, NotFound
from arctui.services.records import get
from arctui.services.templates import Templates

NEEDS = {"promise_confirmation": "promise", "plan_agreement": "plan"}
"""Templates that only make sense for an account with an open promise or an active plan."""
CUSTOMER_FIELDS = ("id", "account_no", "name", "region", "currency", "terms_days")
NO_COLLECTOR = {"name": "Accounts Receivable", "email": ""}


@dataclass(frozen=True)
class Draft:
    customer_id: int
    template: str
    to_addr: str
    subject: str
    body: str


def draft_email(db, templates: Templates, customer_id: int, template: str, today: date,
                contact_id: int | None = None) -> Draft:
    """Render ``template`` for the account's primary contact (or ``contact_id``); InvalidInput
    if it has none, or if the account's data would make a header that cannot be sent."""
    context = account_context(db, customer_id, today, contact_id)
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


def queue_account_email(ctx: Context, customer_id: int, template: str,
                        templates: Templates | None = None) -> int:
    """Render ``template`` for the account and queue it (once per account, template and day)."""
    draft = draft_email(ctx.db, templates or Templates(), customer_id, template, ctx.today())
    return queue_draft(ctx, draft)


def _dedupe_key(ctx: Context, draft: Draft) -> str:
    """One email per account, template and day; a dunning step queued by hand shares the
    automated run's key, so it is not sent twice."""
    prefix = "dunning" if draft.template in STEPS else "email"
    return f"{prefix}:{draft.customer_id}:{draft.template}:{ctx.today().isoformat()}"


def queue_draft(ctx: Context, draft: Draft) -> int:
    """Queue a rendered draft (a second one the same day returns the first one's id)."""
    return queue_email(ctx, draft.customer_id, draft.to_addr, draft.subject, draft.body,
                       draft.template, dedupe_key=_dedupe_key(ctx, draft))


def already_today(ctx: Context, draft: Draft) -> dict | None:
    """Today's outbox row for this account and template, if there is one."""
    row = ctx.db.execute("SELECT id FROM email_outbox WHERE dedupe_key = ?",
                         [_dedupe_key(ctx, draft)]).fetchone()
    return get(ctx.db, "email_outbox", row[0]) if row else None


def customer_by_account_no(db, account_no: str) -> int:
    row = db.execute("SELECT id FROM customers WHERE account_no = ?", [account_no]).fetchone()
    if row is None:
        raise NotFound(f"no account {account_no}")
    return row[0]


def account_context(db, customer_id: int, today: date, contact_id: int | None = None) -> dict:
    """What a template sees; amounts come as text in the account's currency (``open``) and as
    cents (``open_cents``, for the ``money`` filter):

    - ``today``; ``customer``: account_no, name, region, currency, terms_days;
    - ``contact``: name, email, role (``contact_id``'s, else the primary contact with an email address);
    - ``collector``: name, email (the account's owner);
    - ``invoices``: number, issue_date, due_date, po_number, amount, open, days_past_due,
      bucket, disputed (open items, oldest due first); ``oldest_days_past_due``;
    - ``totals``: open, past_due, buckets (text per aging bucket: current, 1-30 ... 90+);
    - ``promise``: amount, promised_date, grace_days, note (the latest open one, or None);
    - ``plan``: total, frequency, instalments (seq, due_date, amount), or None.
    """
    customer = get(db, "customers", customer_id)
    currency = customer["currency"]
    invoices = _open_invoices(db, customer_id, today)
    buckets = dict.fromkeys(BUCKETS, 0)
    for invoice in invoices:
        buckets[invoice["bucket"]] += invoice["open_cents"]
    open_cents = sum(buckets.values())
    past_due_cents = open_cents - buckets[BUCKETS[0]]
    return {
        "today": today.isoformat(),
        "customer": {k: customer[k] for k in CUSTOMER_FIELDS},
        "contact": _row(db, "SELECT id, name, email, role FROM contacts WHERE customer_id = :customer"
                            " AND coalesce(email, '') <> '' AND (:contact IS NULL OR id = :contact)"
                            " ORDER BY is_primary DESC, id LIMIT 1",
                        {"customer": customer_id, "contact": contact_id}),
        "collector": _row(db, "SELECT name, coalesce(email, '') AS email FROM collectors"
                              " WHERE id = ?", [customer["owner"]]) or NO_COLLECTOR,
        "invoices": invoices,
        "oldest_days_past_due": max((i["days_past_due"] for i in invoices), default=0),
        "totals": {
            "open": format_money(open_cents, currency), "open_cents": open_cents,
            "past_due": format_money(past_due_cents, currency), "past_due_cents": past_due_cents,
            "buckets": {name: format_money(cents, currency) for name, cents in buckets.items()},
        },
        "promise": _promise(db, customer_id, currency),
        "plan": _plan(db, customer_id, currency),
    }


def _open_invoices(db, customer_id: int, today: date) -> list[dict]:
    rows = _rows(db, """
        SELECT number, issue_date, due_date, po_number, currency, amount_cents, open_cents,
               EXISTS (SELECT 1 FROM disputes d WHERE d.invoice_id = i.id AND d.status = 'open')
                 AS disputed
        FROM invoices i WHERE customer_id = ? AND open_cents <> 0 ORDER BY due_date, number
        """, [customer_id])
    for row in rows:
        due = date.fromisoformat(row["due_date"])
        row.update(
            days_past_due=max(days_past_due(due, today), 0), bucket=bucket_for(due, today),
            amount=format_money(row["amount_cents"], row["currency"]),
            open=format_money(row["open_cents"], row["currency"]), disputed=bool(row["disputed"]),
        )
    return rows


def _promise(db, customer_id: int, currency: str) -> dict | None:
    promise = _row(db, "SELECT id, amount_cents, promised_date, grace_days, note FROM promises"
                       " WHERE customer_id = ? AND status = 'open' ORDER BY id DESC LIMIT 1",
                   [customer_id])
    if promise:
        promise["amount"] = format_money(promise["amount_cents"], currency)
    return promise


def _plan(db, customer_id: int, currency: str) -> dict | None:
    plan = _row(db, "SELECT id, total_cents, frequency, created_at FROM payment_plans"
                    " WHERE customer_id = ? AND status = 'active' ORDER BY id DESC LIMIT 1",
                [customer_id])
    if plan:
        plan["total"] = format_money(plan["total_cents"], currency)
        plan["instalments"] = _rows(db, "SELECT seq, due_date, amount_cents, paid_cents"
                                        " FROM plan_instalments WHERE plan_id = ? ORDER BY seq",
                                    [plan["id"]])
        for instalment in plan["instalments"]:
            instalment["amount"] = format_money(instalment["amount_cents"], currency)
    return plan


def _rows(db, sql: str, params) -> list[dict]:
    cursor = db.execute(sql, params)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row)) for row in cursor]


def _row(db, sql: str, params) -> dict | None:
    rows = _rows(db, sql, params)
    return rows[0] if rows else None
