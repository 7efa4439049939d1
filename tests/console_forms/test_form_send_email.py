import socket

import pytest
from aiosmtpd.controller import Controller

from arctui.console.forms.send_email import SendEmailForm
from arctui.services.correspondence import queue_account_email
from arctui.services.email import open_transport, send_queued


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 2.0.0 OK queued"


@pytest.fixture
def inbox(tmp_path, monkeypatch):
    """A real SMTP server on 127.0.0.1 and the settings that point arctui at it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    config = tmp_path / "config.toml"
    config.write_text('[email]\nsender = "smtp"\nfrom_addr = "ar@arctui.test"\nhost = "127.0.0.1"\n'
                      f'port = {port}\nsecurity = "none"\ntimeout = 5\n')
    monkeypatch.setenv("ARCTUI_CONFIG", str(config))
    monkeypatch.delenv("ARCTUI_TEMPLATES_DIR", raising=False)
    yield inbox
    controller.stop()


async def test_previews_and_sends_a_statement_now(world, open_form, inbox):
    async with open_form(SendEmailForm(world.ann, world.acme)) as ui:
        await ui.choose("#template", "statement")
        preview = ui.text("#preview")
        assert preview.startswith("To: dana@acme.example\nSubject: Statement of account A-100 as of 2026-11-23\n"
                                  "\nDear Dana Diaz,")
        assert "INV-1003  issued 2026-07-01  due 2026-08-01  $4,000.00  open $4,000.00" in preview
        await ui.choose("#delivery", "send")
        await ui.save()
        assert ui.results == [True]
    assert world.rows("SELECT to_addr, template, status, sender FROM email_outbox") == [
        ("dana@acme.example", "statement", "sent", "smtp")]
    assert [m.rcpt_tos for m in inbox.messages] == [["dana@acme.example"]]
    assert b"Subject: Statement of account A-100 as of 2026-11-23" in inbox.messages[0].original_content
    assert world.rows("SELECT kind, outcome_code FROM touchpoints") == [("email", "EMS")]
    assert world.audit_actions()[-4:] == ["email.queue", "email.claim", "email.sent", "touchpoint.email"]


async def test_queues_without_sending(world, open_form, inbox):
    async with open_form(SendEmailForm(world.ann, world.acme)) as ui:
        await ui.choose("#template", "first_reminder")
        await ui.save()
        assert ui.results == [True]
    assert world.rows("SELECT template, status FROM email_outbox") == [("first_reminder", "queued")]
    assert inbox.messages == []


async def test_a_template_the_account_cannot_take_is_explained_and_nothing_is_queued(world, open_form, inbox):
    async with open_form(SendEmailForm(world.ann, world.acme)) as ui:
        await ui.choose("#template", "plan_agreement")
        assert ui.text("#form-check") == "Cannot write this email: plan: account A-100 has no open plan"
        assert ui.form.query_one("#save").disabled
        await ui.save()
        assert ui.is_open
    assert world.rows("SELECT count(*) FROM email_outbox") == [(0,)]


async def test_a_server_that_cannot_be_reached_leaves_the_form_open_with_the_reason(
        world, open_form, inbox, tmp_path, monkeypatch):
    config = tmp_path / "down.toml"
    config.write_text('[email]\nsender = "smtp"\nfrom_addr = "ar@arctui.test"\nhost = "127.0.0.1"\n'
                      'port = 9\nsecurity = "none"\ntimeout = 1\n')
    monkeypatch.setenv("ARCTUI_CONFIG", str(config))
    async with open_form(SendEmailForm(world.ann, world.acme)) as ui:
        await ui.choose("#template", "statement")
        await ui.choose("#delivery", "send")
        await ui.save()
        status = ui.text("#form-status")
        assert status.startswith("email 1 is in the outbox but smtp did not send it: attempt failed:"
                                 " 127.0.0.1:9: cannot connect")
        assert ui.is_open
    assert world.rows("SELECT status, message_id FROM email_outbox") == [("failed", None)]


async def test_sending_now_without_mail_settings_says_what_to_set_and_queues_nothing(
        world, open_form, tmp_path, monkeypatch):
    monkeypatch.setenv("ARCTUI_CONFIG", str(tmp_path / "no-settings.toml"))
    async with open_form(SendEmailForm(world.ann, world.acme)) as ui:
        await ui.choose("#template", "first_reminder")
        await ui.choose("#delivery", "send")
        await ui.save()
        assert ui.text("#form-status") == (
            f"from_addr: no From address: set from_addr in [email] of {tmp_path / 'no-settings.toml'}."
            " Nothing was saved.")
        assert ui.is_open
    assert world.rows("SELECT count(*) FROM email_outbox") == [(0,)]


async def test_an_email_already_sent_today_is_not_sent_again(world, open_form, inbox):
    queue_account_email(world.ann, world.acme, "statement")
    send_queued(world.ann, open_transport())
    async with open_form(SendEmailForm(world.ann, world.acme)) as ui:
        await ui.choose("#template", "statement")
        await ui.choose("#delivery", "send")
        await ui.save()
        assert ui.text("#form-status") == (
            "statement was already sent to dana@acme.example today (email 1); an account gets each"
            " email once a day. Nothing was saved.")
        assert ui.is_open
    assert len(inbox.messages) == 1
    assert world.rows("SELECT count(*) FROM email_outbox") == [(1,)]
