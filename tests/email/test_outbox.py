"""The outbox against a real SMTP server: sent once, refusals retried, crashes held for review."""

import sqlite3
from dataclasses import replace
from email import message_from_bytes, policy

import pytest

from arctui import hookimpl
from arctui.config import Settings
from arctui.services.email import (
    MAX_ATTEMPTS,
    Sender,
    SenderBroken,
    compose,
    open_transport,
    queue_email,
    resolve_in_doubt,
    retry_email,
    send_queued,
    stuck,
)
from arctui.services.errors import InvalidInput
from arctui.store.connection import connect
from tests.email.conftest import SMTP_PASSWORD, SMTP_USER, dump

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def received(mailbox):
    return [message_from_bytes(e.content, policy=policy.default) for e in mailbox.messages]


def outbox(db):
    cursor = db.execute("SELECT * FROM email_outbox ORDER BY id")
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row)) for row in cursor]


def touchpoints(db):
    return db.execute("SELECT customer_id, kind, outcome_code, note FROM touchpoints").fetchall()


def test_a_queued_email_reaches_the_server_and_is_recorded_sent(ctx, db, mailbox):
    queue_email(ctx, 1, "ap1@customer1.test", "Your statement", "Open: $1,234.56\n", "statement")
    report = send_queued(ctx, open_transport(ctx))
    assert report.sent == [1] and not report.failed
    [message] = received(mailbox)
    assert message["To"] == "ap1@customer1.test"
    assert message["From"] == "ar@arctui.test"
    assert message["Subject"] == "Your statement"
    assert message["Reply-To"] == "alice@arctui.test"  # the account's collector
    assert "Open: $1,234.56" in message.get_content()
    assert mailbox.messages[0].rcpt_tos == ["ap1@customer1.test"]
    [row] = outbox(db)
    assert row["status"] == "sent" and row["attempts"] == 1 and row["sender"] == "smtp"
    assert row["message_id"] == message["Message-ID"] and row["sent_at"] == "2026-11-23T09:00:00Z"
    assert touchpoints(db) == [(1, "email", "EMS", "statement to ap1@customer1.test: Your statement")]
    assert db.execute("SELECT c.name FROM touchpoints t JOIN contacts c ON c.id = t.contact_id").fetchone() == (
        "Payables 1",
    )
    assert SMTP_PASSWORD not in dump(db) and SMTP_USER not in dump(db)


def test_a_dedupe_key_seen_before_adds_no_second_row(ctx, db):
    first = queue_email(ctx, 1, "ap1@customer1.test", "Hello", "Body", dedupe_key="k:1")
    again = queue_email(ctx, 1, "ap1@customer1.test", "Hello again", "Body", dedupe_key="k:1")
    assert again == first
    assert [r["subject"] for r in outbox(db)] == ["Hello"]


def test_sending_twice_sends_once(ctx, db, mailbox):
    queue_email(ctx, 1, "ap1@customer1.test", "Once", "Body")
    transport = open_transport(ctx)
    send_queued(ctx, transport)
    report = send_queued(ctx, transport)
    assert report.sent == [] and len(mailbox.messages) == 1
    assert len(touchpoints(db)) == 1


@pytest.mark.parametrize(
    "field, value",
    [
        ("subject", "Reminder\r\nBcc: everyone@evil.test"),
        ("subject", "Reminder\nBcc: everyone@evil.test"),
        ("to_addr", "ap1@customer1.test\r\nBcc: everyone@evil.test"),
        ("to_addr", "not an address"),
    ],
)
def test_header_injection_is_refused_and_nothing_is_queued(ctx, db, field, value):
    fields = {"to_addr": "ap1@customer1.test", "subject": "Reminder", field: value}
    with pytest.raises(InvalidInput) as refused:
        queue_email(ctx, 1, fields["to_addr"], fields["subject"], "Body")
    assert refused.value.field == field.replace("_addr", "_addr")
    assert outbox(db) == []


def test_compose_refuses_a_line_break_in_any_header():
    with pytest.raises(InvalidInput, match="message-id: refused: .*linefeed or carriage return"):
        compose("a@b.test", "ok", "body", "ar@x.test", "<x@y>\r\nBcc: c@d.test")
    with pytest.raises(InvalidInput, match="from_addr"):
        compose("a@b.test", "ok", "body", "ar@x.test\nBcc: c@d.test", "<x@y>")


def test_a_refused_send_is_recorded_and_retried_on_the_next_run(ctx, db, mailbox):
    queue_email(ctx, 1, "ap1@customer1.test", "Retry me", "Body")
    mailbox.refuse = 1
    transport = open_transport(ctx)
    report = send_queued(ctx, transport)
    assert report.sent == [] and len(report.failed) == 1
    [row] = outbox(db)
    assert row["status"] == "failed" and row["attempts"] == 1 and row["message_id"] is None
    assert "451" in row["last_error"] and "mailbox busy" in row["last_error"]
    assert mailbox.messages == [] and touchpoints(db) == []

    report = send_queued(ctx, transport)
    assert report.sent == [1]
    [row] = outbox(db)
    assert row["status"] == "sent" and row["attempts"] == 2 and row["last_error"] is None
    assert len(mailbox.messages) == 1 and len(touchpoints(db)) == 1


def test_after_repeated_refusals_it_waits_for_a_person(ctx, db, mailbox):
    queue_email(ctx, 1, "ap1@customer1.test", "Stubborn", "Body")
    mailbox.refuse = MAX_ATTEMPTS
    transport = open_transport(ctx)
    for _ in range(MAX_ATTEMPTS + 1):
        send_queued(ctx, transport)
    assert [(r["state"], r["attempts"]) for r in stuck(db)] == [("gave up", MAX_ATTEMPTS)]
    assert mailbox.messages == []
    retry_email(ctx, 1)
    assert send_queued(ctx, transport).sent == [1] and stuck(db) == []


def test_a_wrong_password_fails_cleanly_and_is_never_stored(ctx, db, mailbox):
    wrong = {**ctx.settings.section("email"), "password": "wrong-" + SMTP_PASSWORD}
    ctx = replace(ctx, settings=Settings({"email": wrong}))
    queue_email(ctx, 1, "ap1@customer1.test", "Hello", "Body")
    report = send_queued(ctx, open_transport(ctx))
    [(_, error)] = report.failed
    assert "login refused (535 5.7.8 Authentication credentials invalid)" in error
    assert SMTP_PASSWORD not in dump(db) and SMTP_USER not in dump(db)
    assert mailbox.messages == []


def test_a_message_whose_acceptance_was_lost_is_held_for_review(ctx, db, mailbox):
    """The server got the message but hung up before answering: never resent automatically."""
    queue_email(ctx, 1, "ap1@customer1.test", "Lost reply", "Body")
    mailbox.drop = 1
    transport = open_transport(ctx)
    report = send_queued(ctx, transport)
    assert report.sent == [] and report.failed == [] and len(report.in_doubt) == 1
    [row] = outbox(db)
    assert row["status"] == "queued" and row["message_id"] and "in doubt" in row["last_error"]

    assert send_queued(ctx, transport).sent == []
    assert len(mailbox.messages) == 1
    assert [(r["id"], r["state"]) for r in stuck(db)] == [(1, "in doubt")]

    resolve_in_doubt(ctx, 1, delivered=True, note="found in the relay's log")
    [row] = outbox(db)
    assert row["status"] == "sent" and stuck(db) == [] and len(touchpoints(db)) == 1


def test_an_email_found_undelivered_is_released_and_sent_again(ctx, db, mailbox):
    queue_email(ctx, 1, "ap1@customer1.test", "Lost reply", "Body")
    mailbox.drop = 1
    transport = open_transport(ctx)
    send_queued(ctx, transport)
    resolve_in_doubt(ctx, 1, delivered=False, note="not in the relay's log")
    assert outbox(db)[0]["status"] == "failed"
    assert send_queued(ctx, transport).sent == [1]
    assert len(mailbox.messages) == 2


def test_an_unknown_sender_names_the_known_ones(ctx):
    with pytest.raises(InvalidInput, match="'pigeon' is not a registered email sender.*file.*smtp"):
        open_transport(ctx, "pigeon")


class PigeonPost:
    """A team's own sender, registered through the hook as any plugin would."""

    def __init__(self):
        self.carried = []

    @hookimpl
    def register_email_senders(self, register):
        register(Sender("pigeon", lambda config: self.fly, "birds"))

    def fly(self, message):
        self.carried.append(message)
        return message["Message-ID"]


def test_a_sender_from_a_teams_plugin_is_used_like_the_bundled_ones(ctx, db):
    pigeon = PigeonPost()
    ctx.plugins.register(pigeon, name="pigeon_post")
    try:
        queue_email(ctx, 2, "ap2@customer2.test", "By air", "Coo")
        assert send_queued(ctx, open_transport(ctx, "pigeon")).sent == [1]
    finally:
        ctx.plugins.unregister(name="pigeon_post")
    [message] = pigeon.carried
    assert (message["To"], message["Subject"]) == ("ap2@customer2.test", "By air")
    assert outbox(db)[0]["sender"] == "pigeon"


class BrokenPost:
    """A team's sender with bugs: ``make`` raises for ``crash``, ``send`` raises for ``lost``."""

    @hookimpl
    def register_email_senders(self, register):
        register(Sender("crash", self.make_crash, "breaks while being set up"))
        register(Sender("lost", lambda config: self.lose, "breaks mid-send"))

    def make_crash(self, config):
        return config["no_such_setting"]

    def lose(self, message):
        raise ConnectionResetError("peer went away")


@pytest.fixture
def broken_post(ctx):
    ctx.plugins.register(BrokenPost(), name="broken_post")
    yield
    ctx.plugins.unregister(name="broken_post")


def test_a_sender_that_breaks_while_set_up_is_named_not_a_traceback(ctx, db, broken_post):
    with pytest.raises(SenderBroken) as broken:
        open_transport(ctx, "crash")
    assert str(broken.value) == (
        "plugin broken_post: email sender 'crash' could not be set up: KeyError: 'no_such_setting'"
    )


def test_a_sender_that_raises_anything_but_send_failed_leaves_the_email_in_doubt(ctx, db, broken_post):
    queue_email(ctx, 1, "ap1@customer1.test", "Maybe", "Body")
    report = send_queued(ctx, open_transport(ctx, "lost"))
    [(outbox_id, error)] = report.in_doubt
    assert error == "in doubt, check the mail log before resending: ConnectionResetError: peer went away"
    assert [(r["id"], r["state"]) for r in stuck(db)] == [(1, "in doubt")]
    assert send_queued(ctx, open_transport(ctx, "lost")).in_doubt == []  # never resent on its own


def test_a_collector_email_that_is_no_address_only_drops_the_reply_to(ctx, db, mailbox):
    db.execute("UPDATE collectors SET email = 'alice at the office' WHERE id = 'alice'")
    queue_email(ctx, 1, "ap1@customer1.test", "Hello", "Body")
    assert send_queued(ctx, open_transport(ctx)).sent == [1]
    [message] = received(mailbox)
    assert message["Reply-To"] is None


def test_a_row_written_behind_the_outbox_s_back_cannot_inject_or_block_the_rest(ctx, db, mailbox):
    db["email_outbox"].insert(
        {
            "to_addr": "ap1@customer1.test\r\nBcc: all@evil.test",
            "subject": "Hi",
            "body": "x",
            "created_at": "2026-11-23T08:00:00Z",
            "created_by": "someone",
        }
    )
    queue_email(ctx, 2, "ap2@customer2.test", "Fine", "Body")
    report = send_queued(ctx, open_transport(ctx))
    assert report.sent == [2]
    [(bad_id, error)] = report.failed
    assert bad_id == 1 and error.startswith("cannot be sent: to_addr:")
    assert [e.rcpt_tos for e in mailbox.messages] == [["ap2@customer2.test"]]
    assert [(r["id"], r["state"]) for r in stuck(db)] == [(1, "gave up")]


def busy_ctx(ctx, tmp_path):
    """Alice on a connection of her own that waits only 0.2 s for the write lock."""
    return replace(ctx, db=connect(tmp_path / "book.db", busy_timeout=0.2))


def hold_lock(tmp_path):
    holder = sqlite3.connect(tmp_path / "book.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    return holder


@pytest.mark.sqlite_only  # holds SQLite's write lock from a sqlite3 connection (PostgreSQL's: tests/pg)
def test_a_send_run_that_finds_the_book_busy_stops_and_leaves_the_rest_queued(ctx, db, mailbox, tmp_path):
    for n in (1, 2):
        queue_email(ctx, n, f"ap{n}@customer{n}.test", "Your statement", "Open: $1.00\n", "statement")
    alice = busy_ctx(ctx, tmp_path)
    holder = hold_lock(tmp_path)
    report = send_queued(alice, open_transport(alice))
    holder.rollback()
    holder.close()
    assert report.sent == [] and report.failed == [] and report.in_doubt == []
    assert report.not_tried == [1, 2]
    assert report.busy.startswith("the book is busy: another collector's change is being written")
    assert [(r["status"], r["message_id"], r["attempts"]) for r in outbox(db)] == [("queued", None, 0)] * 2
    assert mailbox.messages == []
    assert send_queued(alice, open_transport(alice)).sent == [1, 2]  # the next run sends them
    alice.db.close()


@pytest.mark.sqlite_only  # holds SQLite's write lock from a sqlite3 connection (PostgreSQL's: tests/pg)
def test_a_message_sent_while_the_book_turned_busy_is_in_doubt_never_resent(ctx, db, mailbox, tmp_path):
    for n in (1, 2):
        queue_email(ctx, n, f"ap{n}@customer{n}.test", "Your statement", "Open: $1.00\n", "statement")
    alice = busy_ctx(ctx, tmp_path)
    transport = open_transport(alice)
    holders = []

    def send_then_an_import_starts(message):
        accepted = transport.send(message)
        holders.append(hold_lock(tmp_path))
        return accepted

    report = send_queued(alice, replace(transport, send=send_then_an_import_starts))
    holders[0].rollback()
    holders[0].close()
    assert report.sent == [] and report.not_tried == [2]
    [(outbox_id, error)] = report.in_doubt
    assert outbox_id == 1 and error.startswith("in doubt, check the mail log before resending: handed to smtp")
    assert [s["id"] for s in stuck(db)] == [1]
    assert send_queued(alice, transport).sent == [2]
    assert [e.rcpt_tos for e in mailbox.messages] == [["ap1@customer1.test"], ["ap2@customer2.test"]]
    alice.db.close()
