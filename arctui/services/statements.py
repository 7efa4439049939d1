"""Statements of account and the monthly statement run.

A statement lists the account's open invoices, its credits, the cash received and not yet
applied, and the aging of its open items; its balance is the open items less the unapplied
cash, the account's balance (``account_context``'s ``totals``, rendered by the ``statement``
template). The run sends one to every account with an open item or unapplied cash (but
those with outside collections) through the configured sender, and writes it as a letter to
print for an account with no email address, once a month: the period's run is recorded (and
audited) in the transaction that queues its emails, and a second run of the period is refused.
An email the sender refused stays in the outbox for ``arctui email send-queued`` to retry.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from arctui.services.batch_send import dry_send, record_outcomes
from arctui.services.context import Context
from arctui.services.correspondence import Draft, account_context, draft_from_context, render_letter
from arctui.services.email import Transport, queue_email, send_queued
from arctui.services.errors import InvalidInput, ServiceError
from arctui.services.letters import LETTERS_DIR, write_letter
from arctui.services.records import action
from arctui.services.templates import Templates
from arctui.store.connection import doing
from arctui.store.read import statements as read

TEMPLATE = "statement"
RUN_WORDS = "sending statements"


class AlreadyRun(ServiceError):
    """The period's statements were already run."""


@dataclass
class StatementItem:
    customer_id: int
    account_no: str
    name: str
    draft: Draft | None = None
    letter: Draft | None = None
    """The statement as a letter to print, for an account with no email address."""
    outbox_id: int | None = None
    outcome: str = ""
    sending: str = ""


def period_of(day: date) -> str:
    """The statement period a day falls in: its month, 'YYYY-MM'."""
    return day.strftime("%Y-%m")


def plan_statements(ctx: Context, templates: Templates | None = None) -> list[StatementItem]:
    """A statement for every account that gets one, rendered as of the context's day (see
    ``statement_item``). Refused (AlreadyRun) when the period's statements were already run.
    Reads only."""
    _not_run_yet(ctx)
    templates = templates or Templates.from_settings(ctx.settings)
    return [statement_item(ctx, templates, row) for row in read.statement_accounts(ctx.db)]


def statement_item(ctx: Context, templates: Templates, account: dict) -> StatementItem:
    """The statement of ``account`` (id, account_no, name) as of the context's day: an email, or
    a letter to print for an account with no contact to email, or why there is none."""
    item = StatementItem(account["id"], account["account_no"], account["name"])
    context = account_context(ctx.db, account["id"], ctx.today())
    if context["contact"] is None:
        rendered = render_letter(templates, context, TEMPLATE)
        item.letter = Draft(account["id"], TEMPLATE, "", rendered.subject, rendered.body)
        item.outcome = "letter to print"
        return item
    try:
        item.draft = draft_from_context(templates, context, TEMPLATE)
    except InvalidInput as exc:
        item.outcome = f"no statement: {exc}"
    return item


def run_statements(
    ctx: Context, transport: Transport, templates: Templates | None = None, letters_dir: Path = LETTERS_DIR
) -> list[StatementItem]:
    """Queue the period's statements, write its letters into ``letters_dir`` and record the run
    in one transaction, then send the emails. A letter written by a run that then fails is
    written again, under the same name, by the next."""
    items = plan_statements(ctx, templates)
    period = period_of(ctx.today())
    by_outbox_id = {}
    with doing(ctx.db, RUN_WORDS):
        with action(ctx, "statements.run", "statement_runs") as act:
            _not_run_yet(ctx)  # again, under the write lock: two runs at once make one
            for item in (i for i in items if i.draft):
                d = item.draft
                key = f"statement:{d.customer_id}:{period}"
                item.outbox_id = queue_email(ctx, d.customer_id, d.to_addr, d.subject, d.body, TEMPLATE, key)
                by_outbox_id[item.outbox_id] = item
            for item in (i for i in items if i.letter):
                path = write_letter(
                    letters_dir, period, item.account_no, TEMPLATE, item.letter.subject, item.letter.body
                )
                item.outcome = f"letter written to {path}"
            act.insert(
                "statement_runs",
                {
                    "period": period,
                    "run_at": ctx.now(),
                    "run_by": ctx.user,
                    "accounts": len(items),
                    "queued": len(by_outbox_id),
                    "letters": sum(1 for i in items if i.letter),
                },
            )
        report = send_queued(ctx, transport, ids=list(by_outbox_id))
    record_outcomes(report, by_outbox_id)
    return items


def dry_run(ctx: Context, transport: Transport, templates: Templates | None = None) -> list[StatementItem]:
    """Render the period's statements and hand them to ``transport`` (the file outbox),
    recording nothing."""
    items = plan_statements(ctx, templates)
    for item in (i for i in items if i.draft):
        dry_send(ctx, transport, item.draft, item)
    return items


def _not_run_yet(ctx: Context) -> None:
    period = period_of(ctx.today())
    done = read.statement_run(ctx.db, period)
    if done:
        raise AlreadyRun(
            f"the statements of {period} were already run by {done['run_by']} at {done['run_at']}"
            f" ({done['queued']} queued); one run a month"
        )
