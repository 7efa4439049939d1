"""pyproject lists every package, so a plain (non-editable) install carries all of arctui."""
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_is_listed():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "arctui").rglob("__init__.py")}
    assert on_disk | {"arctui_plugins"} == listed
