"""The automated dunning run: for each overdue account decide the due step, render it, queue
it once, send it, and log the touchpoint when the server accepted it.

Never twice: each step is queued under ``dunning:<customer id>:<step>:<date>`` (a second
run that day finds the key and adds nothing), an account with a dunning email still in the
outbox gets no new one (that email is retried instead, or withdrawn if the account no
longer needs it), and sending follows the outbox's claim-then-confirm protocol (see
``arctui.services.email``): a message whose fate a crash left unknown is held for a person
to check, never resent automatically.

Each item's ``sending`` says what became of its email (``SENT``, ``FAILED``, ``IN_DOUBT``,
``NOT_TRIED`` when the run stopped on a busy book); ``tally`` counts them, so a run where
anything failed can say so and end non-zero.
"""

from collections import Counter
from dataclasses import dataclass, fields
from datetime import date

from arctui.config import Settings
from arctui.domain.dunning import Decision, DunningFacts, Policy, PolicyError, due_step
from arctui.services.context import Context
from arctui.services.correspondence import Draft, draft_email, queue_draft
from arctui.services.email import SendFailed, Transport, collector_reply_to, send_queued, sendable_ids, withdraw_email
from arctui.services.errors import InvalidInput
from arctui.services.templates import Templates
from arctui.store.connection import doing, write
from arctui.store.read import email as read

DRY_RUN_WRITTEN = "written (dry run)"
SENT, FAILED, IN_DOUBT, NOT_TRIED = "sent", "failed", "in doubt", "not tried"
"""What became of an item's email (``DunningItem.sending``); a dry run's files count as sent."""
RUN_WORDS = "sending dunning reminders"
"""What the note beside the book says a run is doing, while it holds the write lock."""


@dataclass
class DunningItem:
    customer_id: int
    account_no: str
    name: str
    facts: DunningFacts
    decision: Decision
    draft: Draft | None = None
    outbox_id: int | None = None
    outcome: str = ""
    sending: str = ""


def policy_from_settings(settings: Settings) -> Policy:
    """The team's ``[dunning]`` settings over the default policy."""
    numbers = settings.section("dunning")
    known = [f.name for f in fields(Policy)]
    unknown = sorted(set(numbers) - set(known))
    if unknown:
        raise InvalidInput(
            "dunning", f"{settings.where}: [dunning] has no setting {', '.join(unknown)} (known: {', '.join(known)})"
        )
    try:
        return Policy(**numbers).check()
    except PolicyError as exc:
        raise InvalidInput("dunning", f"{settings.where}: [dunning] {exc}") from None


def plan_dunning(
    db, today: date, templates: Templates, policy: Policy, collector: str | None = None
) -> list[DunningItem]:
    """Every account in scope that is overdue or has a dunning email waiting, with its decision
    and, where a step is due, the rendered email. Reads only: a template error stops the run
    before anything is queued."""
    items = []
    for row in read.dunning_facts(db, today, collector):
        customer_id, account_no, name = row["id"], row["account_no"], row["name"]
        facts = _facts(row, today)
        item = DunningItem(customer_id, account_no, name, facts, due_step(facts, policy))
        if item.decision.step:
            try:
                item.draft = draft_email(db, templates, customer_id, item.decision.step, today)
            except InvalidInput as exc:  # e.g. a contact address that is no address
                item.decision = Decision(None, f"{item.decision.step} not composed: {exc}")
        items.append(item)
    return items


def _facts(row: dict, today: date) -> DunningFacts:
    step, step_at = row["last_step"].split(" ") if row["last_step"] else (None, None)
    return DunningFacts(
        oldest_days_past_due=_days_since(row["oldest_due"], today) or 0,
        days_since_contact=_days_since(row["last_contact"], today),
        last_step=step,
        days_since_last_step=_days_since(step_at, today),
        open_dispute=bool(row["open_dispute"]),
        plan_current=bool(row["plan_current"]),
        promise_pending=bool(row["promise_pending"]),
        pending_email_id=row["pending_email_id"],
        status=row["status"],
        has_contact_email=bool(row["has_contact_email"]),
    )


def _days_since(timestamp: str | None, today: date) -> int | None:
    return None if timestamp is None else (today - date.fromisoformat(timestamp[:10])).days


def plan_for(
    ctx: Context, collector: str | None = None, templates: Templates | None = None, policy: Policy | None = None
) -> list[DunningItem]:
    """``plan_dunning`` as of the context's day, with the team's templates and policy from its
    settings unless given."""
    templates = templates or Templates.from_settings(ctx.settings)
    return plan_dunning(ctx.db, ctx.today(), templates, policy or policy_from_settings(ctx.settings), collector)


def run_dunning(
    ctx: Context,
    transport: Transport,
    collector: str | None = None,
    limit: int | None = None,
    templates: Templates | None = None,
    policy: Policy | None = None,
) -> list[DunningItem]:
    """Queue each due step (at most ``limit``) and send them; retry an account's dunning email
    the server refused before, if nothing holds it back now, else withdraw it (the account
    paid, disputed, promised...). Each item's ``outcome`` says what happened."""
    items = plan_for(ctx, collector, templates, policy)
    with doing(ctx.db, RUN_WORDS):
        by_outbox_id = _queue_and_withdraw(ctx, items, limit)
        report = send_queued(ctx, transport, ids=list(by_outbox_id))
    for outbox_id in report.sent:
        by_outbox_id[outbox_id].outcome, by_outbox_id[outbox_id].sending = "sent", SENT
    for sending, errors in ((FAILED, report.failed), (IN_DOUBT, report.in_doubt)):
        for outbox_id, error in errors:
            by_outbox_id[outbox_id].outcome, by_outbox_id[outbox_id].sending = error, sending
    for outbox_id in report.not_tried:
        by_outbox_id[outbox_id].outcome, by_outbox_id[outbox_id].sending = f"not sent: {report.busy}", NOT_TRIED
    return items


def _queue_and_withdraw(ctx: Context, items: list[DunningItem], limit: int | None) -> dict[int, DunningItem]:
    """In one transaction (all or nothing, so a busy book leaves nothing half-done): queue each
    due step, pick up the waiting emails to retry, withdraw the ones no longer wanted. The
    items to send, by outbox id."""
    by_outbox_id = {}
    with write(ctx.db):
        for item in _due(items, limit):
            item.outbox_id = queue_draft(ctx, item.draft)
            by_outbox_id[item.outbox_id] = item
        waiting = {i.facts.pending_email_id: i for i in items if i.facts.pending_email_id is not None}
        retries = set(sendable_ids(ctx.db, waiting))
        for outbox_id, item in waiting.items():
            if item.decision.send_waiting and outbox_id in retries:
                item.outbox_id = outbox_id
                by_outbox_id[outbox_id] = item
            elif not item.decision.send_waiting and _withdraw(ctx, outbox_id, item.decision.reason):
                item.outcome = f"withdrew email {outbox_id}"
    return by_outbox_id


def tally(items: list[DunningItem]) -> Counter:
    """How many emails of a run were sent, failed, left in doubt or not tried."""
    return Counter(item.sending for item in items if item.sending)


def _withdraw(ctx: Context, outbox_id: int, reason: str) -> bool:
    """Withdraw an unwanted email unless it is in doubt (that one waits for a person)."""
    try:
        withdraw_email(ctx, outbox_id, f"dunning run: {reason}")
    except InvalidInput:
        return False
    return True


def dry_run(
    ctx: Context,
    transport: Transport,
    collector: str | None = None,
    limit: int | None = None,
    templates: Templates | None = None,
    policy: Policy | None = None,
) -> list[DunningItem]:
    """Decide and render as a run would, hand each message to ``transport`` (the file
    outbox) and write nothing to the database."""
    items = plan_for(ctx, collector, templates, policy)
    for item in _due(items, limit):
        draft = item.draft
        message = transport.message(
            draft.to_addr,
            draft.subject,
            draft.body,
            f"arctui.dry-run.{draft.customer_id}",
            reply_to=collector_reply_to(ctx.db, draft.customer_id),
        )
        try:
            transport.send(message)
            item.outcome, item.sending = DRY_RUN_WRITTEN, SENT
        except SendFailed as exc:
            item.outcome, item.sending = f"dry run failed: {exc}", FAILED
    return items


def _due(items: list[DunningItem], limit: int | None) -> list[DunningItem]:
    due = [item for item in items if item.decision.step]
    for item in due[limit:] if limit is not None else ():
        item.outcome = "left for a later run (--limit)"
    return due[:limit]
