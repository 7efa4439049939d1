"""A fresh machine: the wheel built from this tree, installed (not editable) into a new
virtualenv with its dependencies from the index, works with no source tree in sight:
`arctui --help`, and the console opens headless on sample.db with each bundled theme."""

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
THEME_FILES = sorted((ROOT / "themes").glob("*.toml"))
# a theme's name is its file's `name`, else the file's stem (arctui/console/theme_files.py)
THEMES = [tomllib.loads(p.read_text(encoding="utf-8")).get("name", p.stem) for p in THEME_FILES]

pytestmark = pytest.mark.slow

# run by the fresh virtualenv's python: each theme asked for is the one the console shows
OPEN_WITH_EACH_THEME = """
import asyncio, sys
from datetime import date
from pathlib import Path

import arctui
from arctui import locations
from arctui.api import open_book
from arctui.console.app import ArctuiApp

print("arctui from", Path(arctui.__file__).resolve().parent)
print("bundled themes in", locations.BUNDLED_THEMES)


async def main(db, names):
    for name in names:
        app = ArctuiApp(open_book(db, user="alice", today=date(2026, 11, 23)), theme=name,
                        refresh_seconds=0)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            errors = [n.message for n in app._notifications if n.severity == "error"]
            if app.theme != name or errors:
                print("THEME FAILED", name, "shows", app.theme, errors)
            else:
                print("THEME OK", name)


asyncio.run(main(sys.argv[1], sys.argv[2:]))
"""


def run(*args, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=900, **kwargs)
    assert result.returncode == 0, f"{args} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


def copy_of_the_tree(dest: Path) -> Path:
    """The working tree as it is, without what earlier builds and runs left: setuptools puts
    build/lib as it finds it into the wheel, a module deleted since included."""
    leftovers = shutil.ignore_patterns(
        ".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis", "*.db", "*.db-*"
    )
    shutil.copytree(ROOT, dest, ignore=leftovers)
    return dest


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A new virtualenv with the wheel installed: its folder."""
    work = tmp_path_factory.mktemp("wheel")
    source = copy_of_the_tree(work / "source")
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", work / "dist", ".", cwd=source)
    [wheel] = (work / "dist").glob("arctui-*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    assert {f"arctui_themes/{p.name}" for p in THEME_FILES} <= shipped

    env = work / "venv"
    run(sys.executable, "-m", "venv", env, cwd=work)
    run(env / "bin" / "python", "-m", "pip", "install", "--quiet", wheel, cwd=work)
    return env


def clean_environment(home: Path) -> dict:
    """This process's environment less what could point the fresh install at this tree or at
    a user's own themes, state or settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARCTUI_", "PYTHON", "XDG_"))}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "config"), XDG_STATE_HOME=str(home / "state"))
    return env


def test_arctui_help_runs(installed, tmp_path):
    result = run(installed / "bin" / "arctui", "--help", cwd=tmp_path, env=clean_environment(tmp_path))
    assert "Usage: arctui" in result.stdout


def test_the_console_opens_with_each_bundled_theme(installed, tmp_path):
    assert THEMES, "no bundled theme"
    shutil.copy(ROOT / "sample.db", tmp_path / "sample.db")
    (tmp_path / "open_with_each_theme.py").write_text(OPEN_WITH_EACH_THEME)
    result = run(
        installed / "bin" / "python",
        "open_with_each_theme.py",
        "sample.db",
        *THEMES,
        cwd=tmp_path,
        env=clean_environment(tmp_path),
    )
    lines = result.stdout.splitlines()
    site_packages = str(installed.resolve())
    assert lines[0].startswith("arctui from " + site_packages), result.stdout
    assert lines[1].startswith("bundled themes in " + site_packages), result.stdout
    assert [line for line in lines if line.startswith("THEME")] == [f"THEME OK {name}" for name in THEMES], (
        result.stdout + result.stderr
    )
