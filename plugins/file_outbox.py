"""A dry-run email sender: each message becomes an ``.eml`` file in a folder.

Settings (``[email]``): ``outbox_dir`` (default ``./outbox``).
"""

import os
import re
from email import policy
from pathlib import Path

from arctui.api import Sender, SendFailed, hookimpl


@hookimpl
def register_email_senders(register):
    register(Sender("file", make_file_outbox, "write .eml files to [email] outbox_dir (dry runs)"))


def make_file_outbox(config):
    folder = Path(config.get("outbox_dir") or "outbox")

    def send(message):
        message_id = message["Message-ID"]
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", message_id.strip("<>")) + ".eml"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            partial = folder / f".{name}.part"
            partial.write_bytes(message.as_bytes(policy=policy.SMTP))
            os.replace(partial, folder / name)
        except OSError as exc:
            raise SendFailed(f"cannot write to {folder}: {exc}") from None
        return message_id

    return send
