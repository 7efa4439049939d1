"""The automated dunning run: for each overdue account decide the due step, render it, queue
it once, send it, and log the touchpoint when the server accepted it.

Never twice: each step is queued under ``dunning:<customer id>:<step>:<date>`` (a second
run that day finds the key and adds nothing), an account with a dunning email still in the
outbox gets no new one (that email is retried instead, or withdrawn if the account no
longer needs it), and sending follows the outbox's claim-then-confirm protocol (see
``arctui.services.email``): a message whose fate a crash left unknown is held for a person
to check, never resent automatically.
"""
from dataclasses import dataclass, fields
from datetime import date

from arctui.config import config_path, load_section
from arctui.domain.dunning import STEPS, Decision, DunningFacts, Policy, PolicyError, due_step
from arctui.services.context import Context
from arctui.services.correspondence import Draft, draft_email, queue_draft
from arctui.services.email import (SendFailed, Transport, collector_reply_to, send_queued,
                                   sendable_ids, withdraw_email)
from arctui.services.errors import InvalidInput
from arctui.services.templates import Templates

DRY_RUN_WRITTEN = "written (dry run)"
_STEP_LIST = ", ".join(f"'{step}'" for step in STEPS)
_PENDING = f"""(SELECT min(id) FROM email_outbox e WHERE e.customer_id = c.id
     AND e.status <> 'sent' AND e.template IN ({_STEP_LIST}))"""
FACTS_SQL = f"""
WITH overdue AS (
    SELECT customer_id, min(due_date) AS oldest_due FROM invoices
    WHERE open_cents > 0 AND due_date < :today GROUP BY customer_id
)
SELECT c.id, c.account_no, c.name, c.status, o.oldest_due,
    (SELECT max(at) FROM touchpoints t WHERE t.customer_id = c.id AND t.kind <> 'note')
        AS last_contact,
    (SELECT template || ' ' || sent_at FROM email_outbox e
     WHERE e.customer_id = c.id AND e.status = 'sent' AND e.template IN ({_STEP_LIST})
       AND e.sent_at >= o.oldest_due ORDER BY e.sent_at DESC, e.id DESC LIMIT 1) AS last_step,
    EXISTS (SELECT 1 FROM disputes d WHERE d.customer_id = c.id AND d.status = 'open')
        AS open_dispute,
    EXISTS (SELECT 1 FROM payment_plans p WHERE p.customer_id = c.id AND p.status = 'active'
            AND NOT EXISTS (SELECT 1 FROM plan_instalments i WHERE i.plan_id = p.id
                            AND i.due_date < :today AND i.paid_cents < i.amount_cents))
        AS plan_current,
    EXISTS (SELECT 1 FROM promises p WHERE p.customer_id = c.id AND p.status = 'open'
            AND date(p.promised_date, '+' || p.grace_days || ' days') >= :today)
        AS promise_pending,
    {_PENDING} AS pending_email_id,
    EXISTS (SELECT 1 FROM contacts k WHERE k.customer_id = c.id AND coalesce(k.email, '') <> '')
        AS has_contact_email
FROM customers c LEFT JOIN overdue o ON o.customer_id = c.id
WHERE (o.customer_id IS NOT NULL OR {_PENDING} IS NOT NULL)
  AND (:collector IS NULL OR c.owner = :collector)
ORDER BY o.oldest_due IS NULL, o.oldest_due, c.id
"""


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


def policy_from_settings() -> Policy:
    """The team's ``[dunning]`` settings over the default policy."""
    settings = load_section("dunning")
    known = [f.name for f in fields(Policy)]
    unknown = sorted(set(settings) - set(known))
    if unknown:
        raise InvalidInput("dunning", f"{config_path()}: [dunning] has no setting"
                                      f" {', '.join(unknown)} (known: {', '.join(known)})")
    try:
        return Policy(**settings).check()
    except PolicyError as exc:
        raise InvalidInput("dunning", f"{config_path()}: [dunning] {exc}") from None


def plan_dunning(db, today: date, templates: Templates, collector: str | None = None,
                 policy: Policy | None = None) -> list[DunningItem]:
    """Every account in scope that is overdue or has a dunning email waiting, with its decision
    and, where a step is due, the rendered email. Reads only: a template error stops the run
    before anything is queued."""
    policy = policy or policy_from_settings()
    items = []
    for row in db.execute(FACTS_SQL, {"today": today.isoformat(), "collector": collector}):
        customer_id, account_no, name = row[:3]
        facts = _facts(row, today)
        item = DunningItem(customer_id, account_no, name, facts, due_step(facts, policy))
        if item.decision.step:
            try:
                item.draft = draft_email(db, templates, customer_id, item.decision.step, today)
            except InvalidInput as exc:  # e.g. a contact address that is no address
                item.decision = Decision(None, f"{item.decision.step} not composed: {exc}")
        items.append(item)
    return items


def _facts(row, today: date) -> DunningFacts:
    (_, _, _, status, oldest_due, last_contact, last_step, open_dispute, plan_current,
     promise_pending, pending_email_id, has_contact_email) = row
    step, step_at = last_step.split(" ") if last_step else (None, None)
    return DunningFacts(
        oldest_days_past_due=_days_since(oldest_due, today) or 0,
        days_since_contact=_days_since(last_contact, today),
        last_step=step, days_since_last_step=_days_since(step_at, today),
        open_dispute=bool(open_dispute), plan_current=bool(plan_current),
        promise_pending=bool(promise_pending), pending_email_id=pending_email_id,
        status=status, has_contact_email=bool(has_contact_email),
    )


def _days_since(timestamp: str | None, today: date) -> int | None:
    return None if timestamp is None else (today - date.fromisoformat(timestamp[:10])).days


def run_dunning(ctx: Context, transport: Transport, collector: str | None = None,
                limit: int | None = None, templates: Templates | None = None) -> list[DunningItem]:
    """Queue each due step (at most ``limit``) and send them; retry an account's dunning email
    the server refused before, if nothing holds it back now, else withdraw it (the account
    paid, disputed, promised...). Each item's ``outcome`` says what happened."""
    items = plan_dunning(ctx.db, ctx.today(), templates or Templates(), collector)
    by_outbox_id = {}
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
    report = send_queued(ctx, transport, ids=list(by_outbox_id))
    for outbox_id in report.sent:
        by_outbox_id[outbox_id].outcome = "sent"
    for outbox_id, error in report.failed + report.in_doubt:
        by_outbox_id[outbox_id].outcome = error
    return items


def _withdraw(ctx: Context, outbox_id: int, reason: str) -> bool:
    """Withdraw an unwanted email unless it is in doubt (that one waits for a person)."""
    try:
        withdraw_email(ctx, outbox_id, f"dunning run: {reason}")
    except InvalidInput:
        return False
    return True


def dry_run(db, today: date, transport: Transport, collector: str | None = None,
            limit: int | None = None, templates: Templates | None = None) -> list[DunningItem]:
    """Decide and render as a run would, hand each message to ``transport`` (the file
    outbox) and write nothing to the database."""
    items = plan_dunning(db, today, templates or Templates(), collector)
    for item in _due(items, limit):
        draft = item.draft
        message = transport.message(draft.to_addr, draft.subject, draft.body,
                                    f"arctui.dry-run.{draft.customer_id}",
                                    reply_to=collector_reply_to(db, draft.customer_id))
        try:
            transport.send(message)
            item.outcome = DRY_RUN_WRITTEN
        except SendFailed as exc:
            item.outcome = f"dry run failed: {exc}"
    return items


def _due(items: list[DunningItem], limit: int | None) -> list[DunningItem]:
    due = [item for item in items if item.decision.step]
    for item in due[limit:] if limit is not None else ():
        item.outcome = "left for a later run (--limit)"
    return due[:limit]
