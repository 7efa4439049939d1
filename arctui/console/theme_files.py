"""Console themes from TOML files (one theme a file, fields of ``textual.theme.Theme``)
and from plugins' ``register_themes``. A bad file is reported, never fatal."""

import dataclasses
import tomllib
from pathlib import Path

from textual.theme import Theme

from arctui.plugins import PluginHost

THEME_FIELDS = {f.name for f in dataclasses.fields(Theme)}


def load_theme_file(path: Path) -> Theme:
    """One theme; ValueError naming the file and what is wrong."""
    try:
        fields = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: cannot be read as TOML ({exc})") from None
    unknown = sorted(set(fields) - THEME_FIELDS)
    if unknown:
        raise ValueError(
            f"{path}: unknown field {', '.join(unknown)}; expected some of {', '.join(sorted(THEME_FIELDS))}"
        )
    fields.setdefault("name", path.stem)
    try:
        theme = Theme(**fields)
        theme.to_color_system()  # parses every colour
    except Exception as exc:  # Theme and ColorSystem raise several kinds on bad values
        raise ValueError(f"{path}: {exc}") from None
    return theme


def load_themes(dirs: list[Path], plugins: PluginHost) -> tuple[dict[str, Theme], list[str]]:
    """Themes by name from the folders (later folders win), then the plugins' (``themes``);
    and what was wrong with the files. A plugin's bad theme is recorded in ``plugins``'
    problems, naming the plugin."""
    themes, errors = {}, []
    for folder in dirs:
        for path in sorted(folder.glob("*.toml")) if folder.is_dir() else ():
            try:
                theme = load_theme_file(path)
            except ValueError as exc:
                errors.append(str(exc))
            else:
                themes[theme.name] = theme
    for name, theme in plugins.collect("themes").items():
        if isinstance(theme, Theme):
            themes[name] = theme
        else:
            plugins.report(plugins.plugin_of(theme), f"theme {name!r} is not a textual.theme.Theme")
    return themes, errors
