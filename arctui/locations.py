"""Where arctui keeps files outside the database (XDG folders, each with an env override).

- themes: ``$ARCTUI_THEMES_DIR``, the user's ``$XDG_CONFIG_HOME/arctui/themes`` and the
  bundled ``themes/`` folder (a user's theme of the same name wins);
- state (the remembered theme per user): ``$ARCTUI_STATE_DIR`` or ``$XDG_STATE_HOME/arctui``.
"""
import os
from pathlib import Path

THEMES_DIR_ENV = "ARCTUI_THEMES_DIR"
STATE_DIR_ENV = "ARCTUI_STATE_DIR"
BUNDLED_THEMES = Path(__file__).resolve().parent.parent / "themes"


def _xdg(variable: str, default: str) -> Path:
    return Path(os.environ.get(variable) or Path.home() / default) / "arctui"


def config_dir() -> Path:
    return _xdg("XDG_CONFIG_HOME", ".config")


def state_dir() -> Path:
    if os.environ.get(STATE_DIR_ENV):
        return Path(os.environ[STATE_DIR_ENV])
    return _xdg("XDG_STATE_HOME", ".local/state")


def theme_dirs() -> list[Path]:
    """Theme folders, lowest precedence first (later folders override earlier names)."""
    dirs = [BUNDLED_THEMES, config_dir() / "themes"]
    if os.environ.get(THEMES_DIR_ENV):
        dirs.append(Path(os.environ[THEMES_DIR_ENV]))
    return dirs
