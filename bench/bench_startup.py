"""How long ``arctui`` takes to start: the whole ``arctui --help`` process against the
yardstick ``python -c "import sqlite3, click"``, and ``import arctui.cli`` on its own.

Each figure is a fresh Python process, timed from outside (``arctui --help``, the yardstick)
or from inside around the import (``import arctui.cli``); runs alternate between the two
processes so a drifting machine moves both. Printed as min and median milliseconds and the
ratio of the medians (the aim: ``arctui --help`` within 3x the yardstick).

    python bench/bench_startup.py [--runs N] [--source DIR]

``--source`` measures another checkout (``git worktree add /tmp/before COMMIT``) with the
same interpreter: DIR goes first on ``PYTHONPATH``, and its ``plugins/`` and ``themes/`` are
found as ``arctui_plugins`` and ``arctui_themes`` (through links in a temporary folder), so the
entry-point plugins load that checkout's code.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELP = ["-c", "from arctui.cli import main; main()", "--help"]
YARDSTICK = ["-c", "import sqlite3, click"]
IMPORT = ["-c", "import time; t = time.perf_counter(); import arctui.cli; print(time.perf_counter() - t)"]


def run(args: list[str], env: dict, cwd: Path) -> tuple[float, str]:
    """Wall seconds of one ``python ARGS`` process, and what it printed."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, *args], env=env, cwd=cwd, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, done.stdout


def line(label: str, seconds: list[float]) -> str:
    return f"{label:<34} min {min(seconds) * 1000:7.1f} ms   median {statistics.median(seconds) * 1000:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--source", type=Path, default=ROOT, help="The checkout to measure (default: this one).")
    options = parser.parse_args()
    source = options.source.resolve()
    with tempfile.TemporaryDirectory() as links:
        for package, folder in (("arctui_plugins", "plugins"), ("arctui_themes", "themes")):
            if (source / folder).is_dir():
                (Path(links) / package).symlink_to(source / folder)
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(source), links, os.environ.get("PYTHONPATH")])),
        }
        env.pop("ARCTUI_PLUGINS_DIR", None)
        measure(source, env, options.runs)


def measure(source: Path, env: dict, runs: int) -> None:
    found = run(["-c", "import arctui; print(arctui.__file__)"], env, source)[1].strip()
    print(f"source: {Path(found).parent.parent}   python: {sys.version.split()[0]}")
    helps, yardsticks, imports = [], [], []
    for _ in range(2):  # warm the file cache and the .pyc files
        run(HELP, env, source), run(YARDSTICK, env, source), run(IMPORT, env, source)
    for _ in range(runs):
        helps.append(run(HELP, env, source)[0])
        yardsticks.append(run(YARDSTICK, env, source)[0])
        imports.append(float(run(IMPORT, env, source)[1]))

    print(line("arctui --help (whole process)", helps))
    print(line('python -c "import sqlite3, click"', yardsticks))
    print(line("import arctui.cli (in process)", imports))
    ratio = statistics.median(helps) / statistics.median(yardsticks)
    print(f"ratio arctui --help / yardstick (medians): {ratio:.2f}x (aim <= 3x)")


if __name__ == "__main__":
    main()
