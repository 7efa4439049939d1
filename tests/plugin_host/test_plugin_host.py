import json
import subprocess
import sys
from pathlib import Path

import pytest

from arctui import hookimpl
from arctui.plugins import PluginHost

PLUGINS_DIR = Path(__file__).parent / "plugins_dir"


def run_arctui(*args, env_extra=None, cwd=None):
    import os

    env = {**os.environ, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-c", "from arctui.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
    )


def test_entry_point_plugins_are_listed_with_version_and_hooks():
    result = run_arctui("plugins")
    assert result.returncode == 0, result.stderr
    listing = {p["name"]: p for p in json.loads(result.stdout)}
    assert listing["rule_coder"]["version"] == "0.1.0"
    assert "register_credit_memo_coders" in listing["rule_coder"]["hooks"]


def test_plugins_dir_adds_commands_and_survives_broken_plugins(tmp_path):
    result = run_arctui("--plugins-dir", str(PLUGINS_DIR), "hello")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "hello from the team folder"
    assert "plugin broken_import" in result.stderr and "No module named" in result.stderr
    assert "plugin raising_hook: register_commands failed: boom" in result.stderr
    assert "Traceback" not in result.stderr


def test_plugins_lists_the_commands_a_folder_adds(tmp_path):
    result = run_arctui("--plugins-dir", str(PLUGINS_DIR), "plugins", "--commands")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "hello  Say hello from a team plugin.\n"
    assert "plugin raising_hook: register_commands failed: boom" in result.stderr


def test_a_mistyped_command_is_unknown_after_the_plugin_commands_were_looked_up():
    result = run_arctui("--plugins-dir", str(PLUGINS_DIR), "helo")
    assert result.returncode == 2
    assert "No such command 'helo'. Did you mean 'hello'?" in result.stderr
    assert "warning: plugin raising_hook: register_commands failed: boom" in result.stderr


def test_plugins_dir_from_environment(tmp_path):
    result = run_arctui("plugins", env_extra={"ARCTUI_PLUGINS_DIR": str(PLUGINS_DIR)})
    names = {p["name"] for p in json.loads(result.stdout)}
    assert {"good_greeting", "raising_hook"} <= names and "broken_import" not in names


class _Things:
    @hookimpl
    def register_reports(self, register):
        class Thing:
            name = "thing-one"

        register(Thing())


class _Broken:
    @hookimpl
    def register_reports(self, register):
        raise ValueError("cannot count")


@pytest.fixture
def host():
    host = PluginHost(entry_points=False)
    host.register(_Things(), name="things")
    host.register(_Broken(), name="broken")
    return host


def test_collect_skips_a_raising_hook_and_reports_it(host):
    found = host.collect("reports")
    assert "thing-one" in found
    assert host.problems[-1] == "plugin broken: register_reports failed: cannot count"


def test_a_plugin_failing_again_and_again_is_reported_once():
    host = PluginHost(entry_points=False)

    def propose(context):
        raise KeyError("reason_code")

    for _keystroke in range(3):
        assert host.guarded(object(), "credit memo coder rules", propose, None) is None
    assert host.take_problems() == ["plugin ?: credit memo coder rules failed: 'reason_code'"]
    assert host.take_problems() == []
