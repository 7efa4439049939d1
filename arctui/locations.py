"""Where arctui keeps files outside the database (XDG folders, each with an env override).

- themes: ``$ARCTUI_THEMES_DIR``, the user's ``$XDG_CONFIG_HOME/arctui/themes`` and the
  bundled themes (a user's theme of the same name wins);
- state (the remembered theme per user): ``$ARCTUI_STATE_DIR`` or ``$XDG_STATE_HOME/arctui``.

The bundled themes are the top-level ``themes/`` folder of the source tree, installed as the
package ``arctui_themes`` (pyproject's ``package-dir``): found through that package, they are
where the install put them, editable or not.
"""

import importlib.util
import os
from pathlib import Path

THEMES_DIR_ENV = "ARCTUI_THEMES_DIR"
STATE_DIR_ENV = "ARCTUI_STATE_DIR"
THEMES_PACKAGE = "arctui_themes"


def _bundled_themes() -> Path:
    """The installed ``arctui_themes`` package's folder; in a source tree that was never
    installed (no such package), the ``themes/`` folder beside ``arctui/``."""
    spec = importlib.util.find_spec(THEMES_PACKAGE)
    if spec is not None and spec.origin:
        return Path(spec.origin).resolve().parent
    return Path(__file__).resolve().parent.parent / "themes"


BUNDLED_THEMES = _bundled_themes()


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
