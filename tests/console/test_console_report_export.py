"""Reports on screen (issue 13, defect 5): a key exports the shown report to a file whose name
picks the format, through the same ``run_report`` the CLI uses; the over-10k-60 report is
never cut (its columns scroll sideways) and keeps Account and Customer at 80 columns."""

import csv
import io

import openpyxl

from arctui.console.screens.report_export import ExportPrompt
from arctui.console.screens.reports import ReportListScreen, ReportScreen
from arctui.services.reports import run_report
from tests.console.console_helpers import TODAY, context, make_app, pick_in_palette, table_lines, until

OVER = "over-10k-60"


def _alice_over_10k(book):
    """The over-10k-60 report of alice's accounts as the CLI runs it, and its one account."""
    result = run_report(context(book), OVER, collector="alice")
    (row,) = result.rows  # the small book has one such account of alice's
    return result, row


def _notices(app, severity="information"):
    return [n.message for n in app._notifications if n.severity == severity]


async def _open_over_10k(pilot):
    await pilot.press("R")
    await until(pilot, lambda: isinstance(pilot.app.screen, ReportListScreen))
    names = [name for name, _ in pilot.app.screen.query_one("#report-list").source.rows]
    await pilot.press(str((names.index(OVER) + 1) % 10))  # the list's digits run a report (0: the tenth)
    await until(pilot, lambda: isinstance(pilot.app.screen, ReportScreen))


async def test_over_10k_60_as_xlsx_from_the_queue_in_four_keys(book, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _, row = _alice_over_10k(book)
    app = make_app(book)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("R")  # 1: the reports
        await pilot.pause()
        names = [name for name, _ in app.screen.query_one("#report-list").source.rows]
        await pilot.press(str((names.index(OVER) + 1) % 10))  # 2: run over-10k-60 (0: the tenth)
        await until(pilot, lambda: isinstance(app.screen, ReportScreen))
        await pilot.press("x")  # 3: export, the file name prefilled
        await until(pilot, lambda: isinstance(app.screen, ExportPrompt))
        assert app.screen.query_one("#export-path").value == f"{OVER}-{TODAY.isoformat()}.xlsx"
        await pilot.press("enter")  # 4: write it
        await until(pilot, lambda: isinstance(app.screen, ReportScreen))
    written = tmp_path / f"{OVER}-{TODAY.isoformat()}.xlsx"
    sheet = openpyxl.load_workbook(written).active
    cells = [str(c.value) for line in sheet.iter_rows() for c in line if c.value is not None]
    assert row["account"] in cells and row["name"] in cells
    assert any(str(written) in message for message in _notices(app))


async def test_the_file_name_picks_the_format_and_the_file_is_the_clis(book, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result, row = _alice_over_10k(book)
    run_report(context(book), OVER, out=tmp_path / "cli.csv", collector="alice")  # as `arctui report -o`
    app = make_app(book)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await _open_over_10k(pilot)
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ExportPrompt))
        field = app.screen.query_one("#export-path")
        field.value = "out/over.csv"
        await pilot.pause()
        assert "CSV" in str(app.screen.query_one("#export-format").render())
        (tmp_path / "out").mkdir()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ReportScreen))
    written = (tmp_path / "out" / "over.csv").read_text(encoding="utf-8")
    assert written == (tmp_path / "cli.csv").read_text(encoding="utf-8")
    assert list(csv.reader(io.StringIO(written)))[0][:4] == [c.label for c in result.columns[:4]]
    assert any(str(tmp_path / "out" / "over.csv") in message for message in _notices(app))


async def test_every_format_by_its_extension(book, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _, row = _alice_over_10k(book)
    app = make_app(book)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await _open_over_10k(pilot)
        for extension in ("md", "txt", "html"):
            await pilot.press("x")
            await until(pilot, lambda: isinstance(app.screen, ExportPrompt))
            app.screen.query_one("#export-path").value = f"over.{extension}"
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, ReportScreen))
    for extension in ("md", "txt", "html"):
        assert row["account"] in (tmp_path / f"over.{extension}").read_text(encoding="utf-8")


async def test_an_existing_file_is_replaced_only_on_a_second_enter_and_a_missing_folder_is_said(
    book, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "over.csv").write_text("keep me", encoding="utf-8")
    app = make_app(book)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await _open_over_10k(pilot)
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ExportPrompt))
        prompt = app.screen
        prompt.query_one("#export-path").value = "nowhere/over.csv"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is prompt
        assert "no folder" in str(prompt.query_one("#export-format").render()).lower()
        prompt.query_one("#export-path").value = "over.csv"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is prompt  # asked first
        assert "exists" in str(prompt.query_one("#export-format").render())
        assert (tmp_path / "over.csv").read_text(encoding="utf-8") == "keep me"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ReportScreen))
    assert (tmp_path / "over.csv").read_text(encoding="utf-8") != "keep me"


async def test_an_extension_no_format_has_is_refused(book, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _open_over_10k(pilot)
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ExportPrompt))
        prompt = app.screen
        await pilot.press("backspace", "backspace", "backspace", "backspace", *"xslx", "enter")
        await pilot.pause()
        assert app.screen is prompt
        said = str(prompt.query_one("#export-format").render())
        assert "Nothing written" in said and ".xslx" in said and ".xlsx" in said
    assert list(tmp_path.glob("over-10k-60*")) == []


async def test_esc_leaves_the_export_without_writing(book, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(book)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await _open_over_10k(pilot)
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ExportPrompt))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ReportScreen))
    assert list(tmp_path.glob("over-10k-60*")) == []


async def test_ctrl_p_finds_export(book, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(book)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await _open_over_10k(pilot)
        await pilot.press("ctrl+p")
        await pick_in_palette(pilot, "export")
        await until(pilot, lambda: isinstance(app.screen, ExportPrompt))


async def test_at_160_columns_nothing_is_cut_the_columns_scroll_sideways(book):
    result, row = _alice_over_10k(book)
    app = make_app(book)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await _open_over_10k(pilot)
        table = app.screen.query_one("#report")
        seen_headers = set()
        for _ in range(len(result.columns)):
            lines = table_lines(table)
            line = next(text for text in lines if row["account"] in text)
            assert row["account"] in line and row["name"] in line  # they never scroll away
            seen_headers |= {c.label for c in result.columns if c.label in lines[0]}
            await pilot.press("right")
        assert seen_headers == {c.label for c in result.columns}
        lines = table_lines(table)
        assert row["next_action"] in next(text for text in lines if row["account"] in text)  # the last column
        assert table.hidden_columns[1] == 0 and not lines[0].rstrip().endswith("▶")  # nothing more on the right


async def test_at_80x24_account_and_customer_stay(book):
    result, row = _alice_over_10k(book)
    app = make_app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _open_over_10k(pilot)
        lines = table_lines(app.screen.query_one("#report"))
        assert "Account" in lines[0] and "Customer" in lines[0]
        line = next(text for text in lines if row["account"] in text)
        assert row["name"][:16] in line
        assert "Subtotal" in "\n".join(lines) and "Total" in "\n".join(lines)  # labels are not lost
        assert lines[0].rstrip().endswith("▶")  # the header says more columns are there


async def test_the_footer_offers_more_columns_only_while_some_are_hidden(book):
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    app = make_app(book)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("R", "1")  # aging: its columns fit 160
        await until(pilot, lambda: isinstance(app.screen, ReportScreen))
        await pilot.pause()
        keys = {key.key for key in app.screen.query_one(Footer).query(FooterKey)}
        assert "x" in keys and "right" not in keys
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press(str((sorted(app.screen.reports).index(OVER) + 1) % 10))  # 0: the tenth
        await until(pilot, lambda: isinstance(app.screen, ReportScreen))
        await pilot.pause()
        assert "right" in {key.key for key in app.screen.query_one(Footer).query(FooterKey)}


async def test_a_summary_label_shows_once_when_its_column_scrolls_into_sight(book):
    app = make_app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _open_over_10k(pilot)
        table = app.screen.query_one("#report")
        for _ in range(20):
            await pilot.press("right")
        lines = table_lines(table)
        assert "Collector" in lines[0]  # at 80 columns the leading Collector column comes last
        total = next(line for line in lines if "Total" in line)
        assert total.count("Total") == 1
