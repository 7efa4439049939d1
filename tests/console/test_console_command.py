"""``arctui [DB]``: the console's command line."""

from click.testing import CliRunner

from arctui.cli import cli


def test_console_options_are_listed_and_today_is_hidden():
    result = CliRunner().invoke(cli, ["console", "--help"])
    assert result.exit_code == 0
    assert "--theme" in result.output and "--refresh-seconds" in result.output
    assert "--today" not in result.output


def test_a_missing_database_is_one_clear_line(tmp_path):
    missing = tmp_path / "nope.db"
    result = CliRunner().invoke(cli, [str(missing)])
    assert result.exit_code == 1
    assert f"{missing}: no such database file" in result.output
    assert "Traceback" not in result.output


def test_a_bad_today_is_refused_before_opening(book):
    result = CliRunner().invoke(cli, [str(book), "--today", "23/11/2026"])
    assert result.exit_code == 2
    assert "--today" in result.output
