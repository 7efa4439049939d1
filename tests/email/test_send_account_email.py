"""One email a day, through the service the console's form and ``arctui email queue`` both call:
an account gets each template once a day, whichever of its contacts it goes to; sending now
what is already queued for the same address is the one repeat allowed."""

from dataclasses import replace
from datetime import date

import pytest

from arctui.config import Settings
from arctui.services.context import fixed_clock
from arctui.services.correspondence import AlreadyToday, NotSent, send_account_email
from arctui.services.dunning import run_dunning
from arctui.services.email import open_transport, send_queued
from arctui.services.errors import InvalidInput

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

ONCE_A_DAY = "an account gets each email once a day"


def outbox(db):
    return db.execute("SELECT id, to_addr, template, status FROM email_outbox ORDER BY id").fetchall()


@pytest.fixture
def controller(db):
    """A second contact of C101 with an email address."""
    return (
        db["contacts"]
        .insert({"customer_id": 1, "name": "Controller 1", "email": "ctl1@customer1.test", "is_primary": 0})
        .last_pk
    )


def test_a_repeat_the_same_day_is_refused_with_the_reason(ctx, db, mailbox):
    assert send_account_email(ctx, 1, "statement") == 1
    with pytest.raises(AlreadyToday) as refused:
        send_account_email(ctx, 1, "statement")
    assert str(refused.value) == f"statement was already queued to ap1@customer1.test today (email 1); {ONCE_A_DAY}"
    send_queued(ctx, open_transport(ctx))
    with pytest.raises(AlreadyToday) as refused:
        send_account_email(ctx, 1, "statement", send_now=True)
    assert str(refused.value) == f"statement was already sent to ap1@customer1.test today (email 1); {ONCE_A_DAY}"
    assert outbox(db) == [(1, "ap1@customer1.test", "statement", "sent")]
    assert len(mailbox.messages) == 1


def test_a_repeat_to_another_contact_of_the_account_is_refused(ctx, db, mailbox, controller):
    send_account_email(ctx, 1, "statement")
    for send_now in (False, True):
        with pytest.raises(AlreadyToday) as refused:
            send_account_email(ctx, 1, "statement", controller, send_now=send_now)
        assert str(refused.value) == f"statement was already queued to ap1@customer1.test today (email 1); {ONCE_A_DAY}"
    assert outbox(db) == [(1, "ap1@customer1.test", "statement", "queued")]
    assert mailbox.messages == []


def test_sending_now_what_is_queued_for_the_same_address_is_allowed(ctx, db, mailbox, controller):
    assert send_account_email(ctx, 1, "statement", controller) == 1
    assert send_account_email(ctx, 1, "statement", controller, send_now=True) == 1
    assert outbox(db) == [(1, "ctl1@customer1.test", "statement", "sent")]
    assert [e.rcpt_tos for e in mailbox.messages] == [["ctl1@customer1.test"]]
    assert db.execute("SELECT c.name FROM touchpoints t JOIN contacts c ON c.id = t.contact_id").fetchall() == [
        ("Controller 1",)
    ]


def test_the_next_day_it_may_go_again(ctx, db, mailbox):
    send_account_email(ctx, 1, "statement", send_now=True)
    tomorrow = replace(ctx, clock=fixed_clock(date(2026, 11, 24)))
    assert send_account_email(tomorrow, 1, "statement", send_now=True) == 2
    assert len(mailbox.messages) == 2


def test_another_template_the_same_day_is_another_email(ctx, db, mailbox):
    send_account_email(ctx, 1, "statement")
    assert send_account_email(ctx, 1, "first_reminder") == 2


def test_a_reminder_sent_by_hand_is_not_sent_again_by_the_dunning_run(ctx, db, mailbox):
    send_account_email(ctx, 1, "first_reminder", send_now=True)
    run_dunning(ctx, open_transport(ctx))
    assert sum(m.rcpt_tos == ["ap1@customer1.test"] for m in mailbox.messages) == 1
    with pytest.raises(AlreadyToday, match="first_reminder was already sent"):
        send_account_email(ctx, 1, "first_reminder")


def test_sending_now_without_a_from_address_queues_nothing(ctx, db):
    ctx = replace(ctx, settings=Settings({"email": {"sender": "file"}}, ctx.settings.path))
    with pytest.raises(InvalidInput, match="from_addr: no From address: set from_addr in .email. of the settings file"):
        send_account_email(ctx, 1, "statement", send_now=True)
    assert outbox(db) == []


def test_a_send_the_server_refuses_leaves_the_email_queued_and_says_why(ctx, db, mailbox):
    mailbox.refuse = 1
    with pytest.raises(NotSent) as refused:
        send_account_email(ctx, 1, "statement", send_now=True)
    assert str(refused.value).startswith("email 1 is in the outbox but smtp did not send it: attempt failed:")
    assert "451" in str(refused.value)
    assert outbox(db) == [(1, "ap1@customer1.test", "statement", "failed")]
    assert send_account_email(ctx, 1, "statement", send_now=True) == 1  # now it goes
    assert len(mailbox.messages) == 1


def test_a_template_the_account_cannot_take_queues_nothing(ctx, db):
    with pytest.raises(InvalidInput, match="plan: account C101 has no open plan"):
        send_account_email(ctx, 1, "plan_agreement")
    assert outbox(db) == []
