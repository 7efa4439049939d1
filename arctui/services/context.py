"""Who acts and when: every service takes a ``Context`` (database, user, injectable clock,
the settings and the plugins, each made once at the edge and passed in)."""

import os
import pwd
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlite_utils import Database

from arctui.config import Settings
from arctui.plugins import PluginHost
from arctui.services.errors import ServiceError
from arctui.store.read.team import collector


def utc_now() -> datetime:
    return datetime.now(UTC)


def fixed_clock(moment: datetime | date) -> Callable[[], datetime]:
    """A clock stopped at ``moment`` (a date means 09:00 UTC that day): tests and sample data."""
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day, 9, tzinfo=UTC)
    return lambda: moment


def os_login() -> str:
    """The login of the process's real uid. Never ``LOGNAME``/``USER`` (what
    ``getpass.getuser()`` reads first): anyone sets those to a colleague's name."""
    uid = os.getuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # a uid with no passwd entry (a container): name it by number
        return f"uid-{uid}"


def acting_user(db: Database, requested: str | None, login: str | None = None) -> str:
    """Whom the actions are recorded as: the OS login (``login``, by default that of the real
    uid), or whom ``requested`` (``--user`` / ``ARCTUI_USER``) names.

    Naming someone else is only for a login that is no collector in this book (the
    administrator's, a robot's, a test's). A login the team knows, active or deactivated, lead
    or manager, always acts as itself: nobody is audited, approves or is trusted as a colleague.
    """
    login = login or os_login()
    if not requested or requested == login:
        return login
    if collector(db, login) is not None:
        raise ServiceError(
            f"you are logged in as {login}, a collector in this book: you act as yourself, not as {requested}"
            " (--user / ARCTUI_USER is only for a login that is no collector)"
        )
    return requested


@dataclass(frozen=True)
class Context:
    db: Database
    user: str
    clock: Callable[[], datetime] = field(default=utc_now)
    settings: Settings = field(default_factory=Settings)
    plugins: PluginHost = field(default_factory=PluginHost)

    def now(self) -> str:
        """UTC timestamp, ISO-8601 to the second."""
        return self.clock().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def today(self) -> date:
        return self.clock().astimezone(UTC).date()
