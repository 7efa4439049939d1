"""Who acts and when: every service takes a ``Context`` (database, user, injectable clock)."""
import getpass
import os
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Callable

from sqlite_utils import Database

USER_ENV = "ARCTUI_USER"


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def fixed_clock(moment: datetime | date) -> Callable[[], datetime]:
    """A clock stopped at ``moment`` (a date means 09:00 UTC that day): tests and sample data."""
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day, 9, tzinfo=timezone.utc)
    return lambda: moment


def current_user() -> str:
    """The OS login, unless ``ARCTUI_USER`` says otherwise."""
    return os.environ.get(USER_ENV) or getpass.getuser()


@dataclass(frozen=True)
class Context:
    db: Database
    user: str
    clock: Callable[[], datetime] = field(default=utc_now)

    def now(self) -> str:
        """UTC timestamp, ISO-8601 to the second."""
        return self.clock().astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    def today(self) -> date:
        return self.clock().astimezone(timezone.utc).date()
