"""The group imports a command's module only to run it, and ``arctui --help`` / ``arctui queue``
start without the heavy modules they do not use (issue 9 item 5)."""

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from tabulate import tabulate

from arctui import plugins
from arctui.cli import COMMANDS, cli
from arctui.commands import common
from arctui.commands.common import text_table
from tests.cli.test_core_commands import make_book

# what `arctui --help` and `arctui queue` must never import
HEAVY = ("jinja2", "email", "importlib.metadata", "textual", "openpyxl")


def test_the_table_names_each_commands_module_and_its_one_line_help():
    for name, (module, help) in COMMANDS.items():
        command = importlib.import_module(f"arctui.commands.{module}").command
        assert command.name == name
        assert command.get_short_help_str(limit=1000) == help, name


def test_help_lists_every_built_in_command_and_how_to_see_plugin_commands():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    listed = result.output.split("Commands:")[1].split("Plugin commands:")[0]
    assert [line.split()[0] for line in listed.strip().splitlines()] == sorted(COMMANDS)
    assert "`arctui plugins --commands` lists them" in result.output
    assert "--plugins-dir" in result.output and "--user" in result.output


def test_the_group_options_are_declared_once_and_the_console_reuses_them():
    console = importlib.import_module("arctui.commands.console").command
    group_options = {p.name: p for p in cli.params if p.name in ("user", "plugins_dir")}
    console_options = {p.name: p for p in console.params if p.name in ("user", "plugins_dir")}
    assert group_options.keys() == console_options.keys() == {"user", "plugins_dir"}
    for name, option in group_options.items():
        assert (option.opts, option.envvar, option.help) == (
            console_options[name].opts,
            console_options[name].envvar,
            console_options[name].help,
        )


def test_the_plugins_folder_variable_is_the_hosts():
    assert common.PLUGINS_DIR_ENV == plugins.PLUGINS_DIR_ENV


def loaded_modules(cwd: Path, *args: str) -> set[str]:
    """The modules a fresh ``arctui ARGS`` process imported by the time it ended (run in
    ``cwd``, which is also its home: no settings file, no ARCTUI_* variable)."""
    script = (
        "import atexit, json, sys\n"
        "atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))\n"
        "from arctui.cli import main\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": str(cwd)},
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def present(modules: set[str], names) -> list[str]:
    return sorted(name for name in names if name in modules)


def test_help_imports_no_command_module_and_nothing_heavy(tmp_path):
    modules = loaded_modules(tmp_path, "--help")
    assert present(modules, [*HEAVY, "sqlite_utils", "pluggy", "tabulate"]) == []
    assert sorted(m for m in modules if m.startswith("arctui.commands.")) == ["arctui.commands.common"]


def test_queue_help_imports_only_the_queue_command(tmp_path):
    modules = loaded_modules(tmp_path, "queue", "--help")
    assert present(modules, HEAVY) == []
    commands = {m for m in modules if m.startswith("arctui.commands.")}
    assert commands == {"arctui.commands.common", "arctui.commands.queue"}


def test_running_the_queue_loads_no_plugin_and_nothing_heavy(tmp_path):
    modules = loaded_modules(tmp_path, "--user", "alice", "queue", "--db", make_book(tmp_path), "--collector", "all")
    assert present(modules, HEAVY) == []
    assert not any(m.startswith("arctui_plugins") for m in modules)


@pytest.mark.parametrize("scores", [["103.3", "44.3", "9.9"], ["5.5", "12.5", "7.2"]])
def test_text_table_lays_out_as_tabulate_simple_does(scores):
    rows = [
        [
            1,
            "C000160",
            "Tidewater Electric",
            "$78,216.12",
            416,
            scores[0],
            "past_due +48.3: $78,216.12 past due, age-weighted $258,797.91; broken_promise +25.0: promise"
            " of $9,456.77 broken; promise_due +20.0: overdue by 6 days",
        ],
        [2, "C2", "Bluebird", "$8.00", 3, scores[1], ""],
        [10, "C000098", "Hawthorne", "€1.234,56", 27, scores[2], "no_contact +10.0"],
    ]
    headers = ["#", "account", "name", "past due", "oldest", "score", "why"]
    expected = tabulate(rows, headers=headers, maxcolwidths=[None] * 6 + [40])
    assert text_table(headers, rows, right=(0, 4, 5), wrap={6: 40}) == expected


def test_text_table_keeps_a_score_as_the_command_wrote_it():
    """tabulate printed the queue's score 44.0 as 44: the queue writes one decimal, kept."""
    assert text_table(["score"], [["44.0"], ["9.5"]], right=[0]) == "  score\n-------\n   44.0\n    9.5"


def test_text_table_shows_control_characters_as_escapes_and_keeps_its_columns():
    rows = [["ACME\x1b]0;pwned\x07\x1b[2J Ltd", "a\x9bb\tc\u202e"], ["two\nlines", "tab\tin wrap"], ["x\ty", ""]]
    lines = text_table(["name\x1b", "why"], rows, wrap={1: 40}).splitlines()
    assert lines == [
        "name\\x1b                         why",
        "-------------------------------  ---------------",
        "ACME\\x1b]0;pwned\\x07\\x1b[2J Ltd  a\\x9bb  c\\u202e",  # a wrapped column expands tabs
        "two                              tab     in wrap",
        "lines",
        "x\\ty",
    ]
