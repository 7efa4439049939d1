"""The user's settings, read once per process into a ``Settings`` the services receive.

One small TOML file at ``$ARCTUI_CONFIG`` or the XDG config folder holds only what a
database cannot hold, such as how to reach the mail server:

    [email]
    sender = "smtp"                  # a registered email sender (`arctui plugins`)
    from_addr = "ar@example.com"
    host = "smtp.example.com"
    port = 587
    security = "starttls"            # starttls, ssl or none
    templates_dir = "/srv/ar/templates"   # the team's own templates (or $ARCTUI_TEMPLATES_DIR)

    [dunning]                        # days; these are the defaults
    first_reminder = 1               # past due (oldest open item) from which each step may go
    second_reminder = 15
    final_notice = 45
    step_gap_days = 7                # at most one step per this many days
    quiet_days = 3                   # none within this many days of any contact

    [credit_memos]
    rules = "/srv/ar/memo_rules.csv" # the rule coder's table (or $ARCTUI_MEMO_RULES)

The environment overrides are read here and nowhere else (``Settings.load``); tests build a
``Settings`` directly instead of patching the environment.
"""

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from arctui.locations import config_dir
from arctui.services.errors import ServiceError

CONFIG_ENV = "ARCTUI_CONFIG"
TEMPLATES_ENV = "ARCTUI_TEMPLATES_DIR"
MEMO_RULES_ENV = "ARCTUI_MEMO_RULES"
SMTP_USER_ENV = "ARCTUI_SMTP_USER"
SMTP_PASSWORD_ENV = "ARCTUI_SMTP_PASSWORD"
# a variable that wins over the file, and one that stands in where the file says nothing
ENV_OVERRIDES = {("email", "templates_dir"): TEMPLATES_ENV, ("credit_memos", "rules"): MEMO_RULES_ENV}
ENV_FALLBACKS = {("email", "user"): SMTP_USER_ENV, ("email", "password"): SMTP_PASSWORD_ENV}


class ConfigError(ServiceError):
    """A settings file that cannot be read; the message names the file and the line."""


@dataclass(frozen=True)
class Settings:
    """The settings file's tables, with the environment's overrides already applied.

    A file that cannot be read is not an error until a table of it is asked for, so a
    broken ``[email]`` never stops a collector who only opens the queue.
    """

    sections: Mapping[str, Mapping] = field(default_factory=dict)
    path: Path | None = None
    problem: str | None = None

    @classmethod
    def load(cls, path: Path | None = None, environ: Mapping[str, str] = os.environ) -> "Settings":
        """Read the settings file (``path``, ``$ARCTUI_CONFIG`` or the XDG one) and the
        environment's overrides once."""
        path = Path(path or environ.get(CONFIG_ENV) or config_dir() / "config.toml")
        sections, problem = _read(path)
        for (table, key), variable in ENV_OVERRIDES.items():
            if environ.get(variable):
                sections[table] = {**sections.get(table, {}), key: environ[variable]}
        for (table, key), variable in ENV_FALLBACKS.items():
            if environ.get(variable) and not sections.get(table, {}).get(key):
                sections[table] = {**sections.get(table, {}), key: environ[variable]}
        return cls(sections, path, problem)

    def section(self, name: str) -> dict:
        """One ``[name]`` table; empty when the file or the table is absent."""
        if self.problem:
            raise ConfigError(self.problem)
        section = self.sections.get(name, {})
        if not isinstance(section, Mapping):
            raise ConfigError(f"{self.where}: [{name}] must be a table of settings, got {section!r}")
        return dict(section)

    @property
    def where(self) -> str:
        """The settings file, for messages that tell the user what to edit."""
        return str(self.path) if self.path else "the settings file"


def _read(path: Path) -> tuple[dict, str | None]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, None
    except (OSError, UnicodeDecodeError) as exc:
        return {}, f"{path}: cannot be read ({exc})"
    try:
        return tomllib.loads(text), None
    except tomllib.TOMLDecodeError as exc:
        return {}, f"{path}: not valid TOML: {exc}"
