"""Who acts: the login of the process's real uid, and when it may act as someone else.

On a PostgreSQL book the login is the role the server authenticated (``session_user``, given
by the store), not the uid's: each collector connects as their own role, and the same rule
below keeps ``--user`` from changing who acts.

Kept free of the store and the services so that a command that must start fast
(``arctui status``) applies the same rule as every other command.
"""

import os
import pwd
from collections.abc import Callable


class IdentityError(ValueError):
    """A login that may not act as the one it named."""


def os_login() -> str:
    """The login of the process's real uid. Never ``LOGNAME``/``USER`` (what
    ``getpass.getuser()`` reads first): anyone sets those to a colleague's name."""
    uid = os.getuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # a uid with no passwd entry (a container): name it by number
        return f"uid-{uid}"


def who_acts(requested: str | None, is_collector: Callable[[str], bool], login: str | None = None) -> str:
    """The login (``login``: the server's role on PostgreSQL; by default the real uid's), or whom ``requested``
    (``--user`` / ``ARCTUI_USER``) names. Naming someone else is only for a login that is no
    collector in the book (``is_collector(login)`` False): the administrator's, a robot's, a
    test's. A login the team knows, active or deactivated, lead or manager, always acts as
    itself: nobody is audited, approves or is trusted as a colleague."""
    login = login or os_login()
    if not requested or requested == login:
        return login
    if is_collector(login):
        raise IdentityError(
            f"you are logged in as {login}, a collector in this book: you act as yourself, not as {requested}"
            " (--user / ARCTUI_USER is only for a login that is no collector)"
        )
    return requested
