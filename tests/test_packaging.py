"""pyproject lists every package, so a plain (non-editable) install carries all of arctui,
its bundled plugins (plugins/ as ``arctui_plugins``) and themes (themes/ as ``arctui_themes``)."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]

# top-level folders of the source tree installed as packages of another name
RENAMED = {"arctui_plugins": "plugins", "arctui_themes": "themes"}


def test_every_package_is_listed():
    listed = set(SETUPTOOLS["packages"])
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "arctui").rglob("__init__.py")}
    assert on_disk | set(RENAMED) == listed


def test_renamed_folders_are_packages_with_their_data():
    assert SETUPTOOLS["package-dir"] == RENAMED
    for folder in RENAMED.values():
        assert (ROOT / folder / "__init__.py").is_file(), f"{folder}/ needs an __init__.py"
        assert not list((ROOT / folder).rglob("*/__init__.py")), f"{folder}/ has subpackages nobody lists"
    assert "*.toml" in SETUPTOOLS["package-data"]["arctui_themes"]
    assert sorted((ROOT / "themes").glob("*.toml")), "no bundled theme"


def test_bundled_themes_are_found_through_the_installed_package():
    import arctui_themes
    from arctui.locations import BUNDLED_THEMES

    assert BUNDLED_THEMES == Path(arctui_themes.__file__).resolve().parent
    assert {p.name for p in BUNDLED_THEMES.glob("*.toml")} == {p.name for p in (ROOT / "themes").glob("*.toml")}
