"""A process killed after the server accepted a message but before it recorded the send:
the next run must not send it again."""

import os
import signal
import subprocess
import sys

import pytest

from arctui.services.email import open_transport, queue_email, send_queued, stuck
from tests.email.conftest import SMTP_LOGIN_ENV

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def test_a_kill_between_accept_and_commit_never_leads_to_a_second_send(
    book_target, ctx, db, tmp_path, mailbox, config_file
):
    queue_email(ctx, 1, "ap1@customer1.test", "Exactly once", "Body")
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from arctui.cli import main; main()",
            "--user",
            "alice",
            "email",
            "send-queued",
            "--db",
            str(book_target),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "ARCTUI_CONFIG": str(config_file), **SMTP_LOGIN_ENV},
    )
    mailbox.kill = process.pid  # set long before the fresh interpreter reaches the server
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert len(mailbox.messages) == 1

    report = send_queued(ctx, open_transport(ctx))
    assert report.sent == [] and len(mailbox.messages) == 1
    [held] = stuck(db)
    assert (held["id"], held["state"], held["attempts"]) == (1, "in doubt", 1) and held["message_id"]
