"""``arctui cash``: the cash workbench on the command line. ``unapplied`` lists every receipt
with unapplied money, oldest first (with no customer too), with suggested matches; ``pending``
the intraday receipts no statement has booked yet (not cash, not workable); ``assign``,
``apply``, ``refund`` and ``park`` are the workbench's steps, each one audited action through
the same service as the console's, refused alike. A refund above your authority is requested;
``refund-requests`` lists those waiting, ``refund-approve`` and ``refund-reject`` decide them
(a lead or manager, never on their own request)."""

import json

import click

from arctui.commands.common import as_seen, db_option, open_context, text_table, today_option, version_option
from arctui.domain.money import format_money, parse_money
from arctui.services import cash
from arctui.services.records import get
from arctui.store.read.cash import pending_receipts

receipt_version = version_option("receipt", " (`cash unapplied --json`)")


@click.group(name="cash")
def command():
    """Unapplied and unidentified cash: list it, assign, apply, refund or park a receipt."""


def _suggestion_text(s: dict) -> str:
    account = s["account_no"] or "?"
    return f"{s['kind'].replace('_', ' ')}: {account} {s['why']}"


@command.command(name="unapplied")
@db_option
@today_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON (amounts in minor units with their currency).")
@click.option("--all-suggestions", is_flag=True, help="Every suggestion, not only the best one per receipt.")
def unapplied(db_path, today, as_json, all_suggestions):
    """Every receipt with unapplied money, oldest first, with suggested matches."""
    ctx = open_context(db_path)
    rows = cash.unapplied_cash(ctx.db, today or ctx.today())
    if as_json:
        click.echo(json.dumps(rows, indent=2, default=str))
        return
    pending = pending_receipts(ctx.db)
    if pending:
        click.echo(
            f"{_totals(pending, 'amount_cents', 'pending')}: intraday, not cash until booked (arctui cash pending)"
        )
    if not rows:
        click.echo("No receipt has unapplied money.")
        return
    table = []
    for r in rows:
        suggestions = r["suggestions"] if all_suggestions else r["suggestions"][:1]
        parked = f"parked by {r['parked']['by']}: {r['parked']['note']}" if r["parked"] else ""
        table.append(
            (
                r["id"],
                r["received_date"],
                r["days"],
                format_money(r["unapplied_cents"], r["currency"]),
                r["currency"],
                r["account_no"] or "(unknown)",
                r["remittance"] or "",
                "\n".join([*map(_suggestion_text, suggestions), parked]).strip(),
            )
        )
    click.echo(
        text_table(
            ["payment", "received", "days", "unapplied", "cur", "account", "remittance", "suggested / parked"],
            table,
            right=(0, 2, 3),
            wrap={6: 30, 7: 60},
        )
    )
    click.echo(_totals(rows, "unapplied_cents", "unapplied"))


def _totals(rows: list[dict], cents: str, what: str) -> str:
    """'3 receipts; unapplied €1,000.00 EUR, …': how many, and their ``cents`` per currency."""
    totals: dict[str, int] = {}
    for r in rows:
        totals[r["currency"]] = totals.get(r["currency"], 0) + r[cents]
    amounts = ", ".join(f"{format_money(c, cur)} {cur}" for cur, c in sorted(totals.items()))
    return f"{len(rows)} receipt{'' if len(rows) == 1 else 's'}; {what} {amounts}"


@command.command(name="pending")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON (amounts in minor units with their currency).")
def pending(db_path, as_json):
    """Intraday receipts (MT942) no statement has booked yet: seen, not cash, not workable."""
    rows = pending_receipts(open_context(db_path).db)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("No receipt is pending.")
        return
    table = [
        (
            r["id"],
            r["received_date"],
            format_money(r["amount_cents"], r["currency"]),
            r["currency"],
            r["bank_ref"],
            r["remittance"] or "",
        )
        for r in rows
    ]
    click.echo(
        text_table(["payment", "value date", "amount", "cur", "key", "remittance"], table, right=(0, 2), wrap={5: 40})
    )
    click.echo(_totals(rows, "amount_cents", "pending"))


def _version(ctx, payment_id: int, version: int | None) -> tuple[dict, int]:
    payment = get(ctx.db, "payments", payment_id)
    return payment, as_seen(payment, version)


@command.command(name="assign")
@db_option
@click.argument("payment_id", type=int)
@click.argument("account_no")
@receipt_version
def assign(db_path, payment_id, account_no, version):
    """Say whose receipt PAYMENT_ID is: account ACCOUNT_NO."""
    ctx = open_context(db_path)
    _, version = _version(ctx, payment_id, version)
    cash.assign_payment(ctx, payment_id, account_no, version)
    click.echo(f"payment {payment_id} assigned to {account_no}")


@command.command(name="apply")
@db_option
@click.argument("payment_id", type=int)
@click.argument("invoices", nargs=-1, required=True, metavar="NUMBER[=AMOUNT]...")
@receipt_version
def apply(db_path, payment_id, invoices, version):
    """Apply receipt PAYMENT_ID to invoices (split: INV-1=120.00 INV-2=80.00; no amount: the open balance)."""
    ctx = open_context(db_path)
    payment, version = _version(ctx, payment_id, version)
    allocations = cash.allocations_from_text(ctx.db, payment, invoices)
    cash.apply_payment(ctx, payment_id, allocations, version)
    applied = sum(c for _, c in allocations)
    click.echo(
        f"payment {payment_id}: {format_money(applied, payment['currency'])} applied to {len(allocations)} invoices"
    )


@command.command(name="refund")
@db_option
@click.argument("payment_id", type=int)
@click.argument("amount")
@click.option("--note", required=True, help="Why the cash goes back, and to whom.")
@receipt_version
def refund(db_path, payment_id, amount, note, version):
    """Refund AMOUNT of receipt PAYMENT_ID's unapplied cash (within your authority limit)."""
    ctx = open_context(db_path)
    payment, version = _version(ctx, payment_id, version)
    cents = parse_money(amount, payment["currency"])
    request_id = cash.refund_unapplied(ctx, payment_id, cents, note, version)
    money = format_money(cents, payment["currency"])
    if request_id is None:
        click.echo(f"payment {payment_id}: {money} refunded")
    else:
        click.echo(
            f"payment {payment_id}: {money} refund requested (refund request {request_id}), above your authority"
            " limit: held until a lead or manager approves it"
        )


def _decide_refund(db_path, request_id: int, version: int | None, service, done: str, note: str) -> None:
    """Run ``service`` (approve or reject) on refund request REQUEST_ID and say it is ``done``."""
    ctx = open_context(db_path)
    request = get(ctx.db, "refund_requests", request_id)
    service(ctx, request_id, as_seen(request, version), note)
    money = format_money(request["amount_cents"], request["currency"])
    click.echo(f"refund request {request_id} ({money} of payment {request['payment_id']}) {done}")


request_version = version_option("request")


@command.command(name="refund-approve")
@db_option
@click.argument("request_id", type=int)
@click.option("--note", default="", help="Why (optional).")
@request_version
def refund_approve(db_path, request_id, note, version):
    """Approve refund request REQUEST_ID (someone else's, within your limit): the refund is made today."""
    from arctui.services.refunds import approve_refund

    _decide_refund(db_path, request_id, version, approve_refund, "approved: refunded", note)


@command.command(name="refund-reject")
@db_option
@click.argument("request_id", type=int)
@click.option("--note", required=True, help="Why not.")
@request_version
def refund_reject(db_path, request_id, note, version):
    """Reject refund request REQUEST_ID: its money is free to apply or refund again."""
    from arctui.services.refunds import reject_refund

    _decide_refund(db_path, request_id, version, reject_refund, "rejected: its money is free again", note)


@command.command(name="refund-requests")
@db_option
def refund_requests(db_path):
    """Refund requests waiting for a lead or manager."""
    from arctui.store.read.refunds import requests_waiting

    ctx = open_context(db_path)
    waiting = requests_waiting(ctx.db)
    if not waiting:
        click.echo("no refund request waiting")
        return
    rows = [
        (
            r["id"],
            r["payment_id"],
            r["account_no"] or "(unknown payer)",
            format_money(r["amount_cents"], r["currency"]),
            r["currency"],
            r["requested_by"],
            r["requested_at"][:10],
            r["note"],
        )
        for r in waiting
    ]
    headers = ["request", "payment", "account", "amount", "cur", "asked by", "on", "note"]
    click.echo(text_table(headers, rows, right=[3], wrap={7: 40}))


@command.command(name="park")
@db_option
@click.argument("payment_id", type=int)
@click.option("--note", required=True, help="Why it waits: whom you asked, what you await.")
@receipt_version
def park(db_path, payment_id, note, version):
    """Set receipt PAYMENT_ID aside with a note (until the next step on it)."""
    ctx = open_context(db_path)
    _, version = _version(ctx, payment_id, version)
    cash.park_payment(ctx, payment_id, note, version)
    click.echo(f"payment {payment_id} parked")
