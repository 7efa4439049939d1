"""Running a report through the service: a plugin's report or exporter that fails is one
ServiceError naming the plugin, and a file is written whole or not at all."""

import io

import pytest

from arctui import hookimpl
from arctui.plugins import PluginHost
from arctui.services.context import Context, fixed_clock
from arctui.services.errors import InvalidInput, ServiceError
from arctui.services.reports import (
    Column,
    Exporter,
    Report,
    ReportResult,
    Section,
    available_reports,
    format_for,
    open_output,
    run_report,
)
from tests.reports.conftest import TODAY


def one_row(db, today, collector=None):
    return ReportResult("One row", today, [Column("n", "N", "int")], [Section(None, [{"n": 1}])])


def export_then_fail(result, target):
    with open_output(target) as stream:
        stream.write("half a report")
        raise OSError("disk full")


class Shaky:
    @hookimpl
    def register_reports(self, register):
        register(Report("one", "One row", "a row", one_row))
        register(Report("crash", "Crashes", "divides by zero", lambda db, today, **_: 1 / 0))
        register(Report("wrong", "Wrong type", "returns a dict", lambda db, today, **_: {}))

    @hookimpl
    def register_report_exporters(self, register):
        register(Exporter("half", "half", "writes half, then fails", export_then_fail))
        register(Exporter("bin", "bin", "bytes", lambda result, target: None, binary=True))


@pytest.fixture
def ctx(book):
    plugins = PluginHost(entry_points=False)
    plugins.register(Shaky(), name="shaky_plugin")
    return Context(book, "lead", fixed_clock(TODAY), plugins=plugins)


def test_the_host_given_is_the_one_read(ctx):
    assert list(available_reports(ctx.plugins)) == ["crash", "one", "wrong"]
    assert format_for(ctx.plugins, "x.HALF") == "half"
    assert format_for(ctx.plugins, "x.csv") == "txt"  # no csv exporter here: the default


def test_a_report_that_raises_is_a_service_error_naming_the_plugin(ctx):
    with pytest.raises(ServiceError) as raised:
        run_report(ctx, "crash")
    assert str(raised.value) == "plugin shaky_plugin: report crash failed: division by zero"
    assert isinstance(raised.value.__cause__, ZeroDivisionError)


def test_a_report_that_returns_something_else_is_a_service_error(ctx):
    with pytest.raises(ServiceError, match="plugin shaky_plugin: report wrong returned dict, not a ReportResult"):
        run_report(ctx, "wrong")


def test_a_failing_exporter_leaves_no_file_and_the_old_one_intact(ctx, tmp_path):
    out = tmp_path / "one.half"
    with pytest.raises(ServiceError, match="plugin shaky_plugin: exporter half failed: disk full"):
        run_report(ctx, "one", out=out)
    assert list(tmp_path.iterdir()) == []
    out.write_text("last month's", encoding="utf-8")
    with pytest.raises(ServiceError):
        run_report(ctx, "one", "half", out)
    assert [p.name for p in tmp_path.iterdir()] == ["one.half"]
    assert out.read_text(encoding="utf-8") == "last month's"


def test_a_failing_exporter_on_a_stream(ctx):
    with pytest.raises(ServiceError, match="plugin shaky_plugin: exporter half failed"):
        run_report(ctx, "one", "half", io.StringIO())


def test_a_binary_format_is_refused_on_a_text_stream(ctx):
    with pytest.raises(InvalidInput, match="bin is a binary format: write it to a file"):
        run_report(ctx, "one", "bin", io.StringIO())


def test_without_output_the_result_is_only_returned(ctx, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_report(ctx, "one", collector="alice")
    assert result.rows == [{"n": 1}] and result.as_of == TODAY
    assert list(tmp_path.iterdir()) == []
