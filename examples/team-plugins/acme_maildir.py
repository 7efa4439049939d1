"""A team's own email sender: every message is delivered into a Maildir the team's mail
client (mutt, Thunderbird) reads, for a dry run of the reminder ladder::

    # ~/.config/arctui/config.toml
    [email]
    sender = "maildir"
    from_addr = "ar@example.com"
    maildir = "/srv/ar/dry-run"
"""

import mailbox

from arctui.api import InvalidInput, Sender, SendFailed, hookimpl


def make_maildir_sender(config):
    folder = config.get("maildir")
    if not folder:
        raise InvalidInput("maildir", "set maildir in [email] to the folder to deliver into")

    def send(message):
        try:
            mailbox.Maildir(folder, create=True).add(message)
        except OSError as exc:  # nothing was delivered: arctui may try again later
            raise SendFailed(f"cannot deliver into {folder}: {exc}") from None
        return message["Message-ID"]

    return send


@hookimpl
def register_email_senders(register):
    register(Sender("maildir", make_maildir_sender, "deliver into the Maildir of [email] maildir"))
