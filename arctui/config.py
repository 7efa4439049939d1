"""The user's settings: one small TOML file at ``$ARCTUI_CONFIG`` or the XDG config folder.

Only what a database cannot hold lives here, such as how to reach the mail server:

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
"""
import os
import tomllib
from pathlib import Path

from arctui.locations import config_dir
from arctui.services.errors import ServiceError

CONFIG_ENV = "ARCTUI_CONFIG"


class ConfigError(ServiceError):
    """A settings file that cannot be read; the message names the file and the line."""


def config_path() -> Path:
    """``$ARCTUI_CONFIG``, else ``config.toml`` in the XDG config folder (~/.config/arctui)."""
    return Path(os.environ.get(CONFIG_ENV) or config_dir() / "config.toml")


def load_section(name: str, path: Path | None = None) -> dict:
    """One ``[name]`` table of the settings file; empty when the file or the table is absent."""
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from None
    try:
        settings = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    section = settings.get(name, {})
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [{name}] must be a table of settings, got {section!r}")
    return section
