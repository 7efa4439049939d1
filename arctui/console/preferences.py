"""What the console remembers per user between runs (the theme), in the state folder."""

import json
from pathlib import Path

from arctui import locations


def _path() -> Path:
    return locations.state_dir() / "console.json"


def _load() -> dict:
    try:
        data = json.loads(_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remembered_theme(user: str) -> str | None:
    theme = _load().get("themes", {}).get(user)
    return theme if isinstance(theme, str) else None


def remember_theme(user: str, theme: str) -> str | None:
    """Save the user's theme; an error message when the state folder cannot be written."""
    data = _load()
    data.setdefault("themes", {})[user] = theme
    path = _path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
    except OSError as exc:
        return f"cannot remember the theme in {path}: {exc}"
    return None
