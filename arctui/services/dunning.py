"""The automated dunning run: for each overdue account find its strategy, decide the due
step, take it (queue and send an email, write a letter, leave a call task), once.

Never twice: each email step is queued under ``dunning:<customer id>:<step>:<date>`` (a
second run that day finds the key and adds nothing), an account with a dunning email still
in the outbox gets no new one (that email is retried instead, or withdrawn if the account no
longer needs it), and sending follows the outbox's claim-then-confirm protocol (see
``arctui.services.email``): a message whose fate a crash left unknown is held for a person
to check, never resent automatically. A call or letter step is one ``dunning_tasks`` row per
account, template and day. One step per account per run: its one message lists the
account's reminded invoices (those past due that no open dispute holds).

Each item's ``sending`` says what became of its email (``SENT``, ``FAILED``, ``IN_DOUBT``,
``NOT_TRIED`` when the run stopped on a busy book); ``tally`` counts them, so a run where
anything failed can say so and end non-zero.
"""

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from arctui.domain.dunning import STEPS, Decision, DunningFacts, Strategy, due_step, strategy_for
from arctui.domain.money import exponent
from arctui.services.batch_send import dry_send, record_outcomes
from arctui.services.context import Context
from arctui.services.correspondence import Draft, account_context, draft_from_context, queue_draft, render_letter
from arctui.services.email import Transport, send_queued, sendable_ids, withdraw_email
from arctui.services.errors import InvalidInput
from arctui.services.letters import LETTERS_DIR, write_letter
from arctui.services.records import action
from arctui.services.strategies import book_strategies
from arctui.services.templates import Templates
from arctui.store.connection import doing, write
from arctui.store.read import dunning as read_dunning
from arctui.store.read import email as read

RUN_WORDS = "sending dunning reminders"
"""What the note beside the book says a run is doing, while it holds the write lock."""


@dataclass
class DunningItem:
    customer_id: int
    account_no: str
    name: str
    facts: DunningFacts
    decision: Decision
    strategy: str = ""
    draft: Draft | None = None
    """The email (or the letter's text) of the step due."""
    reminded: tuple[str, ...] = ()
    """The numbers of the invoices the step reminds the account of."""
    outbox_id: int | None = None
    outcome: str = ""
    sending: str = ""


def plan_dunning(
    db,
    today: date,
    templates: Templates,
    strategies: list[Strategy],
    collector: str | None = None,
    customer_id: int | None = None,
) -> list[DunningItem]:
    """Every account in scope (``collector``'s, or only ``customer_id``) that is overdue or
    has a dunning email waiting, with its strategy, its decision and, where a step is due,
    what it says. Reads only: a template error stops the run before anything is queued."""
    facts_rows = read.dunning_facts(db, today, collector, customer_id)
    extras = read_dunning.dunning_extras(db, today, [row["id"] for row in facts_rows], _templates_of(strategies))
    items = []
    for row in facts_rows:
        extra = extras[row["id"]]
        strategy = _strategy_of(strategies, extra)
        facts = _facts(row, extra, today)
        item = DunningItem(row["id"], row["account_no"], row["name"], facts, due_step(facts, strategy), strategy.name)
        if item.decision.step:
            try:
                _compose(db, templates, item, today)
            except InvalidInput as exc:  # e.g. a contact address that is no address
                item.decision = Decision(None, f"{item.decision.step} not composed: {exc}")
        items.append(item)
    return items


def _templates_of(strategies: list[Strategy]) -> list[str]:
    """Every template a step of the strategies (or of today's ladder) is sent with."""
    return sorted({step.template for s in strategies for step in s.steps} | set(STEPS))


def _strategy_of(strategies: list[Strategy], extra: dict) -> Strategy:
    open_units = extra["open_cents"] // 10 ** exponent(extra["currency"])
    return strategy_for(strategies, extra["region"], extra["risk_class"], open_units)


def account_outlook(ctx: Context, customer_id: int) -> DunningItem:
    """The account's strategy and the step it is due (or why none, and what comes next), as
    a run would decide today; the client screen shows it."""
    strategies = book_strategies(ctx.db, ctx.settings)
    templates = Templates.from_settings(ctx.settings)
    for item in plan_dunning(ctx.db, ctx.today(), templates, strategies, customer_id=customer_id):
        return item
    extra = read_dunning.dunning_extras(ctx.db, ctx.today(), [customer_id], [])[customer_id]
    facts = DunningFacts(0, status=_status(extra["status"], extra))
    return DunningItem(customer_id, "", "", facts, due_step(facts), _strategy_of(strategies, extra).name)


def outlook_line(item: DunningItem) -> str:
    """The account's strategy and its next step in one line, as the client screen and
    ``arctui strategy account`` say it."""
    decision = item.decision
    if decision.step:
        return f"strategy {item.strategy} · due now: {decision.step} by {decision.channel}"
    return f"strategy {item.strategy} · no reminder: {decision.reason}"


def _compose(db, templates: Templates, item: DunningItem, today: date) -> None:
    step, channel = item.decision.step, item.decision.channel
    context = {**account_context(db, item.customer_id, today), "reminded_before": item.facts.last_step is not None}
    item.reminded = tuple(
        i["number"] for i in context["invoices"] if i["open_cents"] > 0 and i["days_past_due"] > 0 and not i["disputed"]
    )
    if channel == "email":
        item.draft = draft_from_context(templates, context, step)
    elif channel == "letter":
        letter = render_letter(templates, context, step)
        item.draft = Draft(item.customer_id, step, "", letter.subject, letter.body)


def _facts(row: dict, extra: dict, today: date) -> DunningFacts:
    step, step_at = _last_step(row["oldest_due"], extra["last_email"], extra["last_task"])
    paused_until, _, pause_reason = (extra["pause"] or "").partition(" ")
    return DunningFacts(
        oldest_days_past_due=_days_since(row["oldest_due"], today) or 0,
        days_since_contact=_days_since(row["last_contact"], today),
        last_step=step,
        days_since_last_step=_days_since(step_at, today),
        open_dispute=bool(row["open_dispute"]),
        plan_current=bool(row["plan_current"]),
        promise_pending=bool(row["promise_pending"]),
        pending_email_id=row["pending_email_id"] or extra["pending_email_id"],
        status=_status(row["status"], extra),
        has_contact_email=bool(row["has_contact_email"]),
        paused_until=date.fromisoformat(paused_until) if paused_until else None,
        pause_reason=pause_reason,
    )


def _status(status: str, extra: dict) -> str:
    """The account's status, or for an active account the kind of an escalation in force that
    sets none (legal)."""
    return extra["escalated"] or status if status == "active" else status


def _last_step(oldest_due: str | None, *taken: str | None) -> tuple[str | None, str | None]:
    """(template, when) of the latest step taken, by email or otherwise, since the oldest
    open item fell due; (None, None) when none was."""
    steps = [t.rpartition(" ")[::2] for t in taken if t]
    latest = max(steps, key=lambda s: s[1], default=(None, None))
    return latest if oldest_due and latest[1] and latest[1] >= oldest_due else (None, None)


def _days_since(timestamp: str | None, today: date) -> int | None:
    return None if timestamp is None else (today - date.fromisoformat(timestamp[:10])).days


def plan_for(
    ctx: Context,
    collector: str | None = None,
    templates: Templates | None = None,
    strategies: list[Strategy] | None = None,
) -> list[DunningItem]:
    """``plan_dunning`` as of the context's day, with the team's templates and the book's
    strategies unless given."""
    templates = templates or Templates.from_settings(ctx.settings)
    strategies = strategies or book_strategies(ctx.db, ctx.settings)
    return plan_dunning(ctx.db, ctx.today(), templates, strategies, collector)


def run_dunning(
    ctx: Context,
    transport: Transport,
    collector: str | None = None,
    limit: int | None = None,
    templates: Templates | None = None,
    strategies: list[Strategy] | None = None,
    letters_dir: Path = LETTERS_DIR,
) -> list[DunningItem]:
    """Take each due step (at most ``limit``): queue and send its email, write its letter into
    ``letters_dir``, or leave its call task; retry an account's dunning email the server
    refused before, if nothing holds it back now, else withdraw it (the account paid,
    disputed, promised...). Each item's ``outcome`` says what happened."""
    items = plan_for(ctx, collector, templates, strategies)
    with doing(ctx.db, RUN_WORDS):
        by_outbox_id = _queue_and_withdraw(ctx, items, limit, letters_dir)
        report = send_queued(ctx, transport, ids=list(by_outbox_id))
    record_outcomes(report, by_outbox_id)
    return items


def _queue_and_withdraw(
    ctx: Context, items: list[DunningItem], limit: int | None, letters_dir: Path
) -> dict[int, DunningItem]:
    """In one transaction (all or nothing, so a busy book leaves nothing half-done): queue each
    due email step and record each call or letter step, pick up the waiting emails to retry,
    withdraw the ones no longer wanted. The items to send, by outbox id."""
    by_outbox_id = {}
    with write(ctx.db):
        for item in _due(items, limit):
            if item.decision.channel != "email":
                _take_task(ctx, item, letters_dir)
                continue
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


def _take_task(ctx: Context, item: DunningItem, letters_dir: Path) -> None:
    """Record a call or letter step (once per account, template and day) and write the letter.
    A letter written before a run that then fails is written again, under the same name, by
    the next run; a run that finds the step taken today (by a run at the same time) leaves it."""
    day = ctx.today().isoformat()
    if read_dunning.task_taken(ctx.db, item.customer_id, item.decision.step, day):
        item.outcome = f"{item.decision.step} already taken today"
        return
    path = None
    if item.decision.channel == "letter":
        path = write_letter(letters_dir, day, item.account_no, item.decision.step, item.draft.subject, item.draft.body)
    with action(ctx, "dunning.task", "dunning_tasks") as act:
        act.insert(
            "dunning_tasks",
            {
                "customer_id": item.customer_id,
                "strategy": item.strategy,
                "template": item.decision.step,
                "channel": item.decision.channel,
                "day": day,
                "invoices": ", ".join(item.reminded),
                "path": os.fspath(path) if path else None,
                "created_at": ctx.now(),
                "created_by": ctx.user,
            },
        )
    item.outcome = f"letter written to {path}" if path else "call task for the collector"


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
    strategies: list[Strategy] | None = None,
) -> list[DunningItem]:
    """Decide and render as a run would, hand each email to ``transport`` (the file outbox),
    write no letter and nothing to the database."""
    items = plan_for(ctx, collector, templates, strategies)
    for item in _due(items, limit):
        if item.decision.channel != "email":
            item.outcome = f"{item.decision.channel} step, not taken (dry run)"
            continue
        dry_send(ctx, transport, item.draft, item)
    return items


def _due(items: list[DunningItem], limit: int | None) -> list[DunningItem]:
    due = [item for item in items if item.decision.step]
    for item in due[limit:] if limit is not None else ():
        item.outcome = "left for a later run (--limit)"
    return due[:limit]
