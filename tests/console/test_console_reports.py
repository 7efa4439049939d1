"""R: the reports of `arctui report`, listed and shown in the console for the queue's collector."""

from arctui import hookimpl
from arctui.console.screens.reports import ReportListScreen, ReportScreen
from arctui.services.reports import Report, get_report
from tests.console.console_helpers import TODAY, context, make_app, table_lines


async def test_reports_are_listed_and_run_for_the_queues_collector(book):
    ctx = context(book)
    expected = get_report(ctx.plugins, "aging").run(ctx.db, TODAY, collector="alice")
    app = make_app(book)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, ReportListScreen)
        listing = "\n".join(table_lines(app.screen.query_one("#report-list")))
        for name in (
            "aging",
            "over-10k-60",
            "cadence",
            "promises",
            "disputes",
            "credit-memos",
            "cash-vs-target",
            "kpi",
        ):
            assert name in listing
        await pilot.press("enter")  # the first report: aging
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        lines = table_lines(app.screen.query_one("#report"))
        first_column = [line.split()[0] for line in lines[1:] if line.strip()]
        assert first_column[-1] == "Total"
        total_line = lines[len(expected.text_lines())]
        assert expected.text_lines()[-1][1][-1] in total_line  # the grand total as the CLI gives it
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "QueueScreen"


class BrokenReport:
    @hookimpl
    def register_reports(self, register):
        register(
            Report("broken", "Broken", "a team report with a bug", lambda db, today, collector=None: {}["no such key"])
        )


async def test_a_failing_report_is_a_notice_naming_its_plugin(book):
    app = make_app(book)
    app.ctx.plugins.register(BrokenReport(), name="team_reports")
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        await pilot.press("R")
        await pilot.pause()
        await pilot.press("j", "enter")  # aging, then broken
        await pilot.pause()
        assert isinstance(app.screen, ReportListScreen)  # still the list, no traceback
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert errors == ["plugin team_reports: report broken failed: 'no such key'"]
