"""A team's plugins folder runs code as every collector who opens the book: only a folder
and files that no one else can write, owned by this login or root, are loaded."""

import os

import pytest

from arctui.plugins import PluginHost

PLUGIN = """
from arctui import hookimpl

@hookimpl
def register_commands(cli):
    pass
"""


@pytest.fixture
def folder(tmp_path):
    team = tmp_path / "team"
    team.mkdir(mode=0o770)
    (team / "team_rules.py").write_text(PLUGIN)
    os.chmod(team / "team_rules.py", 0o660)
    return team


def loaded(folder) -> tuple[set[str], list[str]]:
    host = PluginHost(entry_points=False, plugins_dir=folder)
    return {name for name, _ in host.pm.list_name_plugin()}, host.problems


def test_a_folder_only_the_owner_and_group_can_write_is_loaded(folder):
    assert loaded(folder) == ({"team_rules"}, [])


def test_a_file_everyone_can_write_is_refused_naming_the_fix(folder):
    os.chmod(folder / "team_rules.py", 0o666)
    names, problems = loaded(folder)
    assert "team_rules" not in names
    assert problems == [
        f"plugins: {folder / 'team_rules.py'} is writable by everyone, so it was"
        f" not loaded; fix: chmod o-w {folder / 'team_rules.py'}"
    ]


def test_a_folder_everyone_can_write_is_refused(folder):
    os.chmod(folder, 0o777)
    names, problems = loaded(folder)
    assert "team_rules" not in names
    assert problems == [f"plugins: {folder} is writable by everyone, so it was not loaded; fix: chmod o-w {folder}"]


@pytest.mark.skipif(os.getuid() != 0, reason="giving a file to another login needs root")
def test_a_file_owned_by_another_login_is_refused(folder):
    os.chown(folder / "team_rules.py", 65534, 65534)
    names, problems = loaded(folder)
    assert "team_rules" not in names
    assert problems == [
        f"plugins: {folder / 'team_rules.py'} belongs to another login (uid 65534),"
        f" so it was not loaded; fix: have its owner or root install it"
    ]
