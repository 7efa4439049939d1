"""Who acts and when: every service takes a ``Context`` (database, user, injectable clock,
the settings and the plugins, each made once at the edge and passed in)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlite_utils import Database

from arctui.config import Settings
from arctui.identity import IdentityError, who_acts
from arctui.identity import os_login as os_login  # where the services and tests have always found it
from arctui.plugins import PluginHost
from arctui.services.errors import ServiceError
from arctui.store.read.identity import held_to_own_name, server_login
from arctui.store.read.team import collector


def utc_now() -> datetime:
    return datetime.now(UTC)


def fixed_clock(moment: datetime | date) -> Callable[[], datetime]:
    """A clock stopped at ``moment`` (a date means 09:00 UTC that day): tests and sample data."""
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day, 9, tzinfo=UTC)
    return lambda: moment


def acting_user(db: Database, requested: str | None, login: str | None = None) -> str:
    """Whom the actions are recorded as (``arctui.identity.who_acts``): the OS login (on PostgreSQL
    the role the server authenticated), or whom ``requested`` names where that login is no
    collector in this book (nor, on PostgreSQL, a role the server holds to its own name)."""

    def is_collector(name: str) -> bool:
        return collector(db, name) is not None or held_to_own_name(db, name)

    try:
        return who_acts(requested, is_collector, login or server_login(db))
    except IdentityError as exc:
        raise ServiceError(str(exc)) from None


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
