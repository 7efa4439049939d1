"""A dry-run email sender: each message becomes an ``.eml`` file in a folder.

Settings (``[email]``): ``outbox_dir`` (default ``./outbox``).

The messages hold customers' names and balances: the folder is made 0770 and each file
0660, group-shared like the database and never world-readable, whatever the umask.
"""

import os
import re
from email import policy
from pathlib import Path

from arctui.api import Sender, SendFailed, hookimpl


@hookimpl
def register_email_senders(register):
    register(Sender("file", make_file_outbox, "write .eml files to [email] outbox_dir (dry runs)"))


FOLDER_MODE = 0o770
FILE_MODE = 0o660


def make_file_outbox(config):
    folder = Path(config.get("outbox_dir") or "outbox")

    def send(message):
        message_id = message["Message-ID"]
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", message_id.strip("<>")) + ".eml"
        try:
            _make_folder(folder)
            partial = folder / f".{name}.part"
            _write(partial, message.as_bytes(policy=policy.SMTP))
            os.replace(partial, folder / name)
        except OSError as exc:
            raise SendFailed(f"cannot write to {folder}: {exc}") from None
        return message_id

    return send


def _make_folder(folder: Path) -> None:
    """The outbox folder, made 0770 if it is new (one that exists keeps its owner's modes)."""
    if folder.is_dir():
        return
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        folder.mkdir(FOLDER_MODE)
    except FileExistsError:
        return  # another run made it meanwhile
    os.chmod(folder, FOLDER_MODE)  # mkdir's mode passes through the umask


def _write(path: Path, content: bytes) -> None:
    """``content`` in a new file of mode 0660 (never through a link planted at ``path``)."""
    path.unlink(missing_ok=True)  # a part left by a run that died
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(fd, "wb") as stream:
        os.fchmod(fd, FILE_MODE)
        stream.write(content)
