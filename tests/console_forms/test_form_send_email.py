import socket
from dataclasses import replace

import pytest
from aiosmtpd.controller import Controller

from arctui.config import Settings
from arctui.console.forms.send_email import SendEmailForm
from arctui.services.correspondence import send_account_email
from arctui.services.email import open_transport, send_queued


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 2.0.0 OK queued"


def mail_settings(port: int, timeout: int = 5) -> Settings:
    return Settings(
        {
            "email": {
                "sender": "smtp",
                "from_addr": "ar@arctui.test",
                "host": "127.0.0.1",
                "port": port,
                "security": "none",
                "timeout": timeout,
            }
        }
    )


@pytest.fixture
def inbox(world):
    """A real SMTP server on 127.0.0.1; ``inbox.ann`` is Ann with the settings that point at it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.ann = replace(world.ann, settings=mail_settings(port))
    yield inbox
    controller.stop()


async def test_previews_and_sends_a_statement_now(world, open_form, inbox):
    async with open_form(SendEmailForm(inbox.ann, world.acme)) as ui:
        await ui.choose("#template", "statement")
        preview = ui.text("#preview")
        assert preview.startswith(
            "To: dana@acme.example\nSubject: Statement of account A-100 as of 2026-11-23\n\nDear Dana Diaz,"
        )
        assert "INV-1003  issued 2026-07-01  due 2026-08-01  $4,000.00  open $4,000.00" in preview
        await ui.choose("#delivery", "send")
        await ui.save()
        assert ui.results == [True]
    assert world.rows("SELECT to_addr, template, status, sender FROM email_outbox") == [
        ("dana@acme.example", "statement", "sent", "smtp")
    ]
    assert [m.rcpt_tos for m in inbox.messages] == [["dana@acme.example"]]
    assert b"Subject: Statement of account A-100 as of 2026-11-23" in inbox.messages[0].original_content
    assert world.rows("SELECT kind, outcome_code FROM touchpoints") == [("email", "EMS")]
    assert world.audit_actions()[-4:] == ["email.queue", "email.claim", "email.sent", "touchpoint.email"]


async def test_queues_without_sending(world, open_form, inbox):
    async with open_form(SendEmailForm(inbox.ann, world.acme)) as ui:
        await ui.choose("#template", "first_reminder")
        await ui.save()
        assert ui.results == [True]
    assert world.rows("SELECT template, status FROM email_outbox") == [("first_reminder", "queued")]
    assert inbox.messages == []


async def test_a_template_the_account_cannot_take_is_explained_and_nothing_is_queued(world, open_form, inbox):
    async with open_form(SendEmailForm(inbox.ann, world.acme)) as ui:
        await ui.choose("#template", "plan_agreement")
        assert ui.text("#form-check") == "Cannot write this email: plan: account A-100 has no open plan"
        assert ui.form.query_one("#save").disabled
        await ui.save()
        assert ui.is_open
    assert world.rows("SELECT count(*) FROM email_outbox") == [(0,)]


async def test_a_server_that_cannot_be_reached_leaves_the_form_open_with_the_reason(world, open_form):
    ann = replace(world.ann, settings=mail_settings(9, timeout=1))
    async with open_form(SendEmailForm(ann, world.acme)) as ui:
        await ui.choose("#template", "statement")
        await ui.choose("#delivery", "send")
        await ui.save()
        status = ui.text("#form-status")
        assert status.startswith(
            "email 1 is in the outbox but smtp did not send it: attempt failed: 127.0.0.1:9: cannot connect"
        )
        assert ui.is_open
    assert world.rows("SELECT status, message_id FROM email_outbox") == [("failed", None)]


async def test_sending_now_without_mail_settings_says_what_to_set_and_queues_nothing(world, open_form, tmp_path):
    ann = replace(world.ann, settings=Settings({}, tmp_path / "no-settings.toml"))
    async with open_form(SendEmailForm(ann, world.acme)) as ui:
        await ui.choose("#template", "first_reminder")
        await ui.choose("#delivery", "send")
        await ui.save()
        assert ui.text("#form-status") == (
            f"from_addr: no From address: set from_addr in [email] of {tmp_path / 'no-settings.toml'}."
            " Nothing was saved."
        )
        assert ui.is_open
    assert world.rows("SELECT count(*) FROM email_outbox") == [(0,)]


async def test_an_email_already_sent_today_is_not_sent_again(world, open_form, inbox):
    send_account_email(inbox.ann, world.acme, "statement")
    send_queued(inbox.ann, open_transport(inbox.ann))
    async with open_form(SendEmailForm(inbox.ann, world.acme)) as ui:
        await ui.choose("#template", "statement")
        await ui.choose("#delivery", "send")
        await ui.save()
        assert ui.text("#form-status") == (
            "statement was already sent to dana@acme.example today (email 1); an account gets each"
            " email once a day. Nothing was saved."
        )
        assert ui.is_open
    assert len(inbox.messages) == 1
    assert world.rows("SELECT count(*) FROM email_outbox") == [(1,)]
