"""An importer's Notice reaches the collector without refusing the file."""

from click.testing import CliRunner

from arctui import api
from arctui.cli import cli
from arctui.commands.common import CliState
from arctui.store.read.book import path_of


def parse(path, options):
    yield api.Notice(
        str(path), 1, "statement S1 does not reconcile: closing is 10.00 more than opening + credits - debits"
    )
    yield api.Record(str(path), 2, {"account_no": "C900", "name": "Notice Test Co"})


def host():
    plugins = api.PluginHost(entry_points=False)

    class Notices:
        @api.hookimpl
        def register_importers(self, register):
            register(api.Importer(name="noticing", kind="customers", description="test", parse=parse))

    plugins.register(Notices(), name="noticing")
    return plugins


def test_a_notice_is_reported_and_the_file_still_goes_in(ctx, tmp_path):
    source = tmp_path / "statement.txt"
    source.write_text("whatever\n")
    report = api.run_import(ctx, host().collect("importers")["noticing"], source)
    assert report.written and report.inserted == 1
    assert [str(n) for n in report.notices] == [
        f"{source}:1: statement S1 does not reconcile: closing is 10.00 more than opening + credits - debits"
    ]


def test_the_cli_prints_a_notice_as_a_warning(ctx, tmp_path):
    source = tmp_path / "statement.txt"
    source.write_text("whatever\n")
    db = path_of(ctx.db)
    result = CliRunner().invoke(cli, ["import", "noticing", str(source), "--db", db], obj=CliState(plugins=host()))
    assert result.exit_code == 0, result.output
    assert f"warning: {source}:1: statement S1 does not reconcile" in result.stderr
    assert ctx.db.execute("SELECT name FROM customers WHERE account_no = 'C900'").fetchone() == ("Notice Test Co",)
