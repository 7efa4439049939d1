"""What a batch of emails (a dunning run, a statement run) shares: what became of each item's
email, counted, and the dry run's one message to the file outbox."""

from collections import Counter

from arctui.services.context import Context
from arctui.services.correspondence import Draft
from arctui.services.email import SendFailed, SendReport, Transport, collector_reply_to

SENT, FAILED, IN_DOUBT, NOT_TRIED = "sent", "failed", "in doubt", "not tried"
"""What became of an item's email (its ``sending``); a dry run's files count as sent."""
DRY_RUN_WRITTEN = "written (dry run)"


def record_outcomes(report: SendReport, by_outbox_id: dict) -> None:
    """Set each item's ``outcome`` and ``sending`` from what the send run did with its email."""
    for outbox_id in report.sent:
        by_outbox_id[outbox_id].outcome, by_outbox_id[outbox_id].sending = "sent", SENT
    for sending, errors in ((FAILED, report.failed), (IN_DOUBT, report.in_doubt)):
        for outbox_id, error in errors:
            by_outbox_id[outbox_id].outcome, by_outbox_id[outbox_id].sending = error, sending
    for outbox_id in report.not_tried:
        by_outbox_id[outbox_id].outcome, by_outbox_id[outbox_id].sending = f"not sent: {report.busy}", NOT_TRIED


def tally(items) -> Counter:
    """How many emails of a run were sent, failed, left in doubt or not tried."""
    return Counter(item.sending for item in items if item.sending)


def dry_send(ctx: Context, transport: Transport, draft: Draft, item) -> None:
    """Hand ``draft`` to ``transport`` (the file outbox) as the run would send it, recording
    nothing in the book; the item's ``outcome`` and ``sending`` say how it went."""
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
