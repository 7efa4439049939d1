"""The email outbox: queue a message once, send it through a registered sender, never twice.

Crash safety. Before a message leaves, its row is *claimed* in a committed transaction: it
gets a fresh Message-ID and one more attempt. Only once the server has accepted the message
is the row marked ``sent``, in one transaction with the account's touchpoint. A send the
server refused or could not take (``SendFailed``) clears the Message-ID and leaves the row
``failed`` for a later run to retry. A row that holds a Message-ID but is not ``sent`` was in
flight when the process died or the connection broke mid-transfer: the server may have it, so
it is never resent automatically. ``stuck`` lists such rows; a person checks the mail log and
records what they found with ``resolve_in_doubt``. (The schema's statuses are queued,
sent and failed; "in flight" is a queued or failed row with a Message-ID.) An email that
never left and is no longer wanted is withdrawn: its row is deleted, its content kept in
the audit.

A send run that finds the book busy (another writer held the lock for the whole busy
timeout) stops there: what it had not claimed stays queued for the next run, and a message
already handed to the sender whose outcome could not be recorded is in doubt, as after a
crash.

Senders are plugins (``register_email_senders``, collected from ``ctx.plugins``); they are
configured from the ``[email]`` table of ``ctx.settings``.
"""

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.errors import HeaderParseError, MessageDefect
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from functools import partial

from arctui.services.context import Context
from arctui.services.errors import InvalidInput, ServiceError
from arctui.services.records import action, get
from arctui.services.touchpoints import log_touchpoint
from arctui.services.validate import optional, required
from arctui.store.connection import BookBusy, replayed, write
from arctui.store.read import email as read

MAX_ATTEMPTS = 5
"""A row refused this many times stays ``failed`` until a person looks at it."""
DEFAULT_SENDER = "smtp"
IN_DOUBT, GAVE_UP = read.IN_DOUBT, read.GAVE_UP
"""The states of a stuck email (see ``stuck``)."""
_ERROR_CHARS = 500


class SendFailed(Exception):
    """The server refused the message or could not be reached: it was certainly not accepted."""


class SenderBroken(ServiceError):
    """A sender plugin failed (other than by refusing its settings) while being set up."""


@dataclass(frozen=True)
class Sender:
    """An email transport a plugin registers: ``make(config)`` (the ``[email]`` settings)
    returns the function that sends one message and returns its Message-ID. It raises
    ``SendFailed`` only when the message was certainly not accepted (it will be retried); any
    other exception leaves the message in doubt (held for a person, never resent)."""

    name: str
    make: Callable[[Mapping], Callable[[EmailMessage], str]]
    description: str = ""


@dataclass(frozen=True)
class Transport:
    """A sender configured for use: its name, the From address and the send function."""

    name: str
    from_addr: str
    send: Callable[[EmailMessage], str]

    def message(
        self, to_addr: str, subject: str, body: str, tag: str, date=None, reply_to: str | None = None
    ) -> EmailMessage:
        """A message from this transport's address with a fresh Message-ID (``tag`` in it)."""
        domain = address("from_addr", self.from_addr).domain
        message_id = f"<{tag}.{secrets.token_hex(6)}@{domain}>"
        return compose(to_addr, subject, body, self.from_addr, message_id, date, reply_to)


@dataclass
class SendReport:
    sent: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)
    in_doubt: list[tuple[int, str]] = field(default_factory=list)
    not_tried: list[int] = field(default_factory=list)
    """Left queued because the run stopped (``busy`` says why)."""
    busy: str | None = None


def available_senders(ctx: Context) -> dict[str, Sender]:
    """The email senders the plugins registered, by name."""
    return ctx.plugins.collect("senders")


def open_transport(ctx: Context, name: str | None = None, overrides: Mapping | None = None) -> Transport:
    """The sender ``name`` (default: ``[email] sender`` of the settings, else smtp), configured
    from the ``[email]`` settings with ``overrides`` on top.

    A sender that refuses its settings says why (InvalidInput, ServiceError); any other
    exception while it is set up is a SenderBroken naming the plugin."""
    config = {**ctx.settings.section("email"), **(overrides or {})}
    name = name or config.get("sender") or DEFAULT_SENDER
    senders = available_senders(ctx)
    if name not in senders:
        known = ", ".join(sorted(senders)) or "none"
        raise InvalidInput("sender", f"{name!r} is not a registered email sender (known: {known})")
    from_addr = config.get("from_addr")
    if not from_addr:
        raise InvalidInput("from_addr", f"no From address: set from_addr in [email] of {ctx.settings.where}")
    address("from_addr", from_addr)
    sender = senders[name]
    try:
        send = sender.make(config)
    except ServiceError:
        raise
    except Exception as exc:  # the plugin's bug: name it, never a traceback
        plugin = ctx.plugins.plugin_of(sender)
        raise SenderBroken(
            f"plugin {plugin}: email sender {name!r} could not be set up: {type(exc).__name__}: {exc}"
        ) from exc
    return Transport(name, from_addr, send)


def address(field_name: str, value: str) -> Address:
    """An email address parsed by ``email.headerregistry``; CR or LF in it is refused."""
    try:
        return Address(addr_spec=value.strip())
    except (ValueError, HeaderParseError, MessageDefect) as exc:
        raise InvalidInput(field_name, f"{value!r} is not an email address ({exc})") from None


def compose(
    to_addr: str, subject: str, body: str, from_addr: str, message_id: str, date=None, reply_to: str | None = None
) -> EmailMessage:
    """An ``EmailMessage`` whose headers go through ``email.headerregistry``: a CR or LF in any
    header value is refused (InvalidInput), so no one can inject a header."""
    message = EmailMessage()
    headers = {
        "To": address("to_addr", to_addr),
        "From": address("from_addr", from_addr),
        "Subject": subject,
        "Message-ID": message_id,
    }
    if date is not None:
        headers["Date"] = format_datetime(date)
    if reply_to:
        headers["Reply-To"] = address("reply_to", reply_to)
    _set_headers(message, headers)
    message.set_content(body)
    return message


def check_headers(to_addr: str, subject: str) -> None:
    """Refuse (InvalidInput) an address or a subject that could not be put in a message."""
    _set_headers(EmailMessage(), {"To": address("to_addr", to_addr), "Subject": subject})


def _set_headers(message: EmailMessage, headers: dict) -> None:
    for name, value in headers.items():
        try:
            message[name] = value
        except ValueError as exc:
            raise InvalidInput(name.lower(), f"refused: {exc}") from None


def queue_email(
    ctx: Context,
    customer_id: int | None,
    to_addr: str,
    subject: str,
    body: str,
    template: str | None = None,
    dedupe_key: str | None = None,
) -> int:
    """Queue one email; a ``dedupe_key`` seen before returns that row's id and adds nothing."""
    check_headers(to_addr, subject)
    with action(ctx, "email.queue", "email_outbox") as act:
        if dedupe_key is not None:
            seen = read.outbox_by_dedupe_key(act.db, dedupe_key)
            if seen:
                return seen["id"]
        if customer_id is not None:
            act.get("customers", customer_id)
        return act.insert(
            "email_outbox",
            {
                "customer_id": customer_id,
                "to_addr": to_addr.strip(),
                "subject": subject,
                "body": body,
                "template": template,
                "dedupe_key": dedupe_key,
                "status": "queued",
                "attempts": 0,
                "created_at": ctx.now(),
                "created_by": ctx.user,
            },
        )


def sendable_ids(db, ids=None, limit: int | None = None, except_templates=()) -> list[int]:
    """Rows waiting to be sent (queued, or failed fewer than MAX_ATTEMPTS times), oldest first;
    rows in flight (holding a Message-ID) are not among them."""
    return read.sendable_ids(db, MAX_ATTEMPTS, ids, limit, except_templates)


def send_queued(
    ctx: Context, transport: Transport, limit: int | None = None, ids=None, except_templates=()
) -> SendReport:
    """Send what waits in the outbox (or only ``ids``, or all but ``except_templates``), at
    most ``limit`` messages."""
    report = SendReport()
    pending = sendable_ids(ctx.db, ids, limit, except_templates)
    for n, outbox_id in enumerate(pending):
        try:
            message = replayed(ctx.db, partial(_claim, ctx, transport, outbox_id))
        except InvalidInput as exc:  # a row written behind queue_email's back: never sendable
            report.failed.append((outbox_id, _give_up(ctx, outbox_id, f"cannot be sent: {exc}")))
            continue
        except BookBusy as exc:  # every later claim would wait as long: stop, nothing claimed
            report.busy, report.not_tried = str(exc), pending[n:]
            break
        if message is None:
            continue  # another run claimed it first
        try:
            _deliver(ctx, transport, outbox_id, message, report)
        except BookBusy as exc:
            error = f"handed to {transport.name}, but the book was too busy to record what became of it"
            report.in_doubt.append((outbox_id, f"in doubt, check the mail log before resending: {error}"))
            report.busy, report.not_tried = str(exc), pending[n + 1 :]
            break
    return report


def _deliver(ctx: Context, transport: Transport, outbox_id: int, message: EmailMessage, report: SendReport) -> None:
    """Hand a claimed message to the sender and record what became of it (each record replayed
    on a write conflict: the message is sent once, whatever happens to its record)."""
    try:
        accepted_id = transport.send(message)
    except SendFailed as exc:
        report.failed.append((outbox_id, replayed(ctx.db, partial(_release, ctx, outbox_id, f"attempt failed: {exc}"))))
        return
    except Exception as exc:  # e.g. the connection broke mid-transfer: it may have arrived
        report.in_doubt.append((outbox_id, replayed(ctx.db, partial(_record_in_doubt, ctx, outbox_id, exc))))
        return
    replayed(ctx.db, partial(_mark_sent, ctx, outbox_id, accepted_id or message["Message-ID"]))
    report.sent.append(outbox_id)


def stuck(db) -> list[dict]:
    """Rows no run will send on its own, each with its ``state``: ``in doubt`` (handed to a
    sender, never confirmed) or ``gave up`` (refused MAX_ATTEMPTS times)."""
    return read.stuck(db, MAX_ATTEMPTS)


def resolve_in_doubt(ctx: Context, outbox_id: int, delivered: bool, note: str = "") -> None:
    """Record what a person found in the mail log: delivered (mark sent, log the touchpoint)
    or not delivered (release the row for the next send)."""
    with write(ctx.db):
        row = get(ctx.db, "email_outbox", outbox_id)
        if row["status"] == "sent" or row["message_id"] is None:
            raise InvalidInput("email", f"email {outbox_id} is {row['status']}, not in doubt")
        if delivered:
            _mark_sent(ctx, outbox_id, row["message_id"])
        else:
            _release(ctx, outbox_id, f"not delivered (checked by {ctx.user}) {optional('note', note) or ''}".strip())


def retry_email(ctx: Context, outbox_id: int) -> None:
    """Give an email the server refused MAX_ATTEMPTS times a fresh start, once its cause (an
    address, the server's settings) is fixed; the next send tries it again."""
    with action(ctx, "email.retry", "email_outbox", outbox_id) as act:
        row = act.get("email_outbox", outbox_id)
        if row["status"] != "failed" or row["message_id"] is not None:
            raise InvalidInput("email", f"email {outbox_id} is not a failed email")
        act.update("email_outbox", outbox_id, {"attempts": 0})


def withdraw_email(ctx: Context, outbox_id: int, reason: str) -> None:
    """Take an email that never left out of the outbox, e.g. a reminder the account no longer
    needs; its content stays in the audit. One that may have left (in doubt) cannot be."""
    with action(ctx, "email.withdraw", "email_outbox", outbox_id) as act:
        row = act.get("email_outbox", outbox_id)
        if row["status"] == "sent" or row["message_id"] is not None:
            raise InvalidInput("email", f"email {outbox_id} was or may have been sent")
        act.delete("email_outbox", outbox_id, {"withdrawn": required("reason", reason)})


def collector_reply_to(db, customer_id: int | None) -> str | None:
    """The email of the account's collector, so the customer's reply reaches them; None when
    there is none or it is no address (the message then goes without a Reply-To)."""
    email = read.owner_email(db, customer_id)
    try:
        return str(address("reply_to", email).addr_spec) if email else None
    except InvalidInput:
        return None


def _claim(ctx: Context, transport: Transport, outbox_id: int) -> EmailMessage | None:
    with action(ctx, "email.claim", "email_outbox", outbox_id) as act:
        row = act.get("email_outbox", outbox_id)
        if row["status"] == "sent" or row["message_id"] is not None:
            return None
        message = transport.message(
            row["to_addr"],
            row["subject"],
            row["body"],
            f"arctui.{outbox_id}",
            ctx.clock(),
            collector_reply_to(ctx.db, row["customer_id"]),
        )
        act.update(
            "email_outbox",
            outbox_id,
            {
                "message_id": message["Message-ID"],
                "attempts": row["attempts"] + 1,
                "sender": transport.name,
            },
        )
        return message


def _release(ctx: Context, outbox_id: int, error: str) -> str:
    """Back to ``failed`` without a Message-ID: certainly not delivered, so safe to retry."""
    return _note_failure(ctx, outbox_id, "email.fail", error, {"status": "failed", "message_id": None})


def _give_up(ctx: Context, outbox_id: int, error: str) -> str:
    return _note_failure(ctx, outbox_id, "email.fail", error, {"status": "failed", "attempts": MAX_ATTEMPTS})


def _record_in_doubt(ctx: Context, outbox_id: int, exc: Exception) -> str:
    error = f"in doubt, check the mail log before resending: {type(exc).__name__}: {exc}"
    return _note_failure(ctx, outbox_id, "email.in_doubt", error, {})


def _note_failure(ctx: Context, outbox_id: int, name: str, error: str, changes: dict) -> str:
    error = error[:_ERROR_CHARS]
    with action(ctx, name, "email_outbox", outbox_id) as act:
        act.update("email_outbox", outbox_id, {**changes, "last_error": error})
    return error


def _mark_sent(ctx: Context, outbox_id: int, message_id: str) -> None:
    """``sent`` and the account's touchpoint, in one transaction."""
    with write(ctx.db):
        with action(ctx, "email.sent", "email_outbox", outbox_id) as act:
            row = act.get("email_outbox", outbox_id)
            act.update(
                "email_outbox",
                outbox_id,
                {
                    "status": "sent",
                    "message_id": message_id,
                    "sent_at": ctx.now(),
                    "last_error": None,
                },
            )
        if row["customer_id"] is not None:
            contact_id = read.contact_id_by_email(ctx.db, row["customer_id"], row["to_addr"])
            note = f"{row['template'] or 'email'} to {row['to_addr']}: {row['subject']}"
            log_touchpoint(ctx, row["customer_id"], "email", "EMS", note=note, contact_id=contact_id)
