"""``arctui [DB]``: the console is the default command, chosen inside click's own command
resolution; a mistyped command is an unknown command with click's suggestion."""

import pytest
from click.testing import CliRunner

from arctui import hookimpl
from arctui.cli import cli, looks_like_database
from arctui.commands.common import CliState, open_context
from arctui.config import Settings
from arctui.plugins import PluginHost
from arctui.services.context import os_login
from arctui.store.connection import connect
from tests.services.conftest import seed


def invoke(*args, obj=None, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], obj=obj, env=env)


@pytest.fixture
def book(tmp_path):
    """A book in which the OS login is a plain collector: naming anyone else with --user is
    refused before the console opens, which shows where --user arrived."""
    path = tmp_path / "book.db"
    db = connect(path, create=True)
    db["collectors"].insert_all(
        [{"id": "alice", "name": "Alice"}, {"id": "bob", "name": "Bob"}, {"id": os_login(), "name": "The login"}]
    )
    seed(db)
    db.close()
    return path


def refused_as(user: str) -> str:
    return (
        f"you are logged in as {os_login()}, a collector in this book: you act as yourself, not as {user}"
        " (--user / ARCTUI_USER is only for a login that is no collector)"
    )


def test_a_mistyped_command_is_unknown_with_a_suggestion():
    result = invoke("quue")
    assert result.exit_code == 2
    assert "No such command 'quue'. Did you mean 'queue'?" in result.output


def test_a_plugin_command_is_suggested_too():
    host = PluginHost(entry_points=False)
    host.register(_Greeter(), name="greeter")
    result = invoke("greet", obj=CliState(plugins=host))
    assert "No such command 'greet'. Did you mean 'greeting'?" in result.output


@pytest.mark.parametrize("args", [["--user", "alice", "{book}"], ["{book}", "--user", "alice"]])
def test_user_before_or_after_the_database_opens_the_console_as_that_user(book, args):
    result = invoke(*[a.format(book=book) for a in args])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {refused_as('alice')}"


def test_no_argument_opens_the_console_on_arctui_db(book, tmp_path):
    result = invoke("--user", "alice", env={"ARCTUI_DB": str(book)})
    assert result.exit_code == 1 and result.output.strip() == f"Error: {refused_as('alice')}"
    missing = tmp_path / "gone.db"
    result = invoke(env={"ARCTUI_DB": str(missing)})
    assert (
        result.exit_code == 1
        and result.output.strip()
        == f"Error: {missing}: no such database file; `arctui init --db {missing}` creates an empty book"
    )


def test_no_argument_and_no_arctui_db_asks_for_the_database():
    result = invoke(env={"ARCTUI_DB": None})
    assert result.exit_code == 2 and "Missing argument 'DB_PATH'" in result.output


def test_a_typed_user_wins_over_the_environment_on_either_side(tmp_path):
    missing = tmp_path / "nope.db"
    for args, expected in (
        (["--user", "alice", missing], "alice"),
        ([missing, "--user", "alice"], "alice"),
        ([missing], "bob"),
        (["--user", "carol", missing, "--user", "alice"], "alice"),
    ):
        state = CliState()
        invoke(*args, obj=state, env={"ARCTUI_USER": "bob"})
        assert state.user == expected, args


def test_plugins_dir_before_or_after_the_database(tmp_path):
    missing, folder = tmp_path / "nope.db", tmp_path / "team"
    for args in (["--plugins-dir", folder, missing], [missing, "--plugins-dir", folder]):
        state = CliState()
        result = invoke(*args, obj=state)
        assert (
            result.output.strip()
            == f"Error: {missing}: no such database file; `arctui init --db {missing}` creates an empty book"
        )
        assert state.plugins_dir == str(folder)


@pytest.mark.parametrize("name", ["book.db", "BOOK.SQLITE", "ar.sqlite3", "data/ar", "./queue", "/srv/ar/book"])
def test_a_name_spelled_like_a_database_is_one(name):
    assert looks_like_database(name)


def test_an_existing_file_is_a_database_and_other_names_are_not(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "receivables").write_bytes(b"")
    (tmp_path / "folder").mkdir()
    assert looks_like_database("receivables")
    assert not looks_like_database("quue") and not looks_like_database("folder")


def test_a_built_in_command_wins_over_a_file_of_its_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "queue").write_bytes(b"")
    result = invoke("queue", env={"ARCTUI_DB": None})
    assert result.exit_code == 2 and "Missing option '--db'" in result.output


def test_a_database_opens_without_looking_for_plugin_commands(tmp_path):
    host = PluginHost(entry_points=False)
    host.register(_Greeter(), name="greeter")
    host.register(_RaisingCommands(), name="raising")
    result = invoke(tmp_path / "nope.db", obj=CliState(plugins=host))
    assert result.exit_code == 1
    assert "register_commands" not in result.output  # the hook never ran


# -- the host and settings made once, passed to commands ---------------------------------------


class _Greeter:
    @hookimpl
    def register_commands(self, cli):
        @cli.command(name="greeting")
        def greeting():
            """Say hello."""
            print("hello")


class _RaisingCommands:
    @hookimpl
    def register_commands(self, cli):
        raise RuntimeError("no commands today")


class _ContextProbe:
    """A plugin command that opens the book as a built-in command does."""

    def __init__(self, book):
        self.book = book
        self.seen = []

    @hookimpl
    def register_commands(self, cli):
        @cli.command(name="probe")
        def probe():
            self.seen.append(open_context(str(self.book)))


def test_commands_get_the_one_host_and_settings_through_open_context(book):
    host, settings = PluginHost(entry_points=False), Settings({"email": {"from_addr": "ar@test"}})
    probe = _ContextProbe(book)
    host.register(probe, name="probe")
    result = invoke("--user", os_login(), "probe", obj=CliState(plugins=host, settings=settings))
    assert result.exit_code == 0, result.output
    (ctx,) = probe.seen
    assert ctx.plugins is host and ctx.settings is settings and ctx.user == os_login()


def test_the_host_is_made_from_plugins_dir_and_settings_are_loaded_once(tmp_path):
    state = CliState(plugins_dir=str(tmp_path))
    assert state.plugins is state.plugins and state.settings is state.settings
    assert isinstance(state.plugins, PluginHost) and isinstance(state.settings, Settings)


def test_a_plugin_problem_is_a_warning_at_the_end_and_the_command_still_runs():
    host = PluginHost(entry_points=False)
    host.register(_Greeter(), name="greeter")
    host.register(_RaisingCommands(), name="raising")
    result = invoke("greeting", obj=CliState(plugins=host))
    assert result.exit_code == 0
    assert result.stdout == "hello\n"
    assert result.stderr == "warning: plugin raising: register_commands failed: no commands today\n"


def test_a_built_in_command_never_runs_register_commands(book):
    host = PluginHost(entry_points=False)
    host.register(_RaisingCommands(), name="raising")
    result = invoke("queue", "--db", book, "--collector", "all", obj=CliState(plugins=host))
    assert result.exit_code == 0 and "Northwind Supply" in result.stdout
    assert result.stderr == ""


def test_a_plugin_cannot_replace_a_built_in_command(book):
    class Shadow:
        @hookimpl
        def register_commands(self, cli):
            @cli.command(name="queue")
            def queue():
                print("not the queue")

    host = PluginHost(entry_points=False)
    host.register(Shadow(), name="shadow")
    result = invoke("queue", "--db", book, "--collector", "all", obj=CliState(plugins=host))
    assert "not the queue" not in result.output and "Northwind Supply" in result.output
    assert invoke("plugins", "--commands", obj=CliState(plugins=host)).output == ""


def test_plugins_lists_the_hosts_plugins_and_the_commands_they_add():
    host = PluginHost(entry_points=False)
    host.register(_Greeter(), name="greeter")
    listing = invoke("plugins", obj=CliState(plugins=host))
    assert '"name": "greeter"' in listing.output and '"register_commands"' in listing.output
    commands = invoke("plugins", "--commands", obj=CliState(plugins=host))
    assert commands.output == "greeting  Say hello.\n"
