"""Console themes from TOML files (one theme a file, fields of ``textual.theme.Theme``)
and from plugins' ``register_themes``. A bad file is reported, never fatal."""
import dataclasses
import tomllib
from pathlib import Path

from textual.theme import Theme

from arctui import plugins

THEME_FIELDS = {f.name for f in dataclasses.fields(Theme)}


def load_theme_file(path: Path) -> Theme:
    """One theme; ValueError naming the file and what is wrong."""
    try:
        fields = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: cannot be read as TOML ({exc})") from None
    unknown = sorted(set(fields) - THEME_FIELDS)
    if unknown:
        raise ValueError(f"{path}: unknown field {', '.join(unknown)}; "
                         f"expected some of {', '.join(sorted(THEME_FIELDS))}")
    fields.setdefault("name", path.stem)
    try:
        theme = Theme(**fields)
        theme.to_color_system()  # parses every colour
    except Exception as exc:  # Theme and ColorSystem raise several kinds on bad values
        raise ValueError(f"{path}: {exc}") from None
    return theme


def load_themes(dirs: list[Path]) -> tuple[dict[str, Theme], list[str]]:
    """Themes by name from the folders (later folders win) and the plugins; and the errors."""
    themes, errors = {}, []
    for folder in dirs:
        for path in sorted(folder.glob("*.toml")) if folder.is_dir() else ():
            try:
                theme = load_theme_file(path)
            except ValueError as exc:
                errors.append(str(exc))
            else:
                themes[theme.name] = theme
    before = len(plugins.errors)
    for name, theme in plugins.collect("register_themes").items():
        if isinstance(theme, Theme):
            themes[name] = theme
        else:
            errors.append(f"theme {name!r} from a plugin is not a textual.theme.Theme")
    errors.extend(plugins.errors[before:])
    return themes, errors
