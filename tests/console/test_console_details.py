"""The small things of issue 13, defect 8, on the console's own screens: the palette offers
arctui's commands and themes only, the footer fits 80 and 160 columns, the why panel speaks
words and says what "age-weighted" means, help explains the queue's columns, the status
total follows the filter, and the queue's amounts use one notation."""

import re

import pytest
from textual.command import CommandList
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from arctui.console.screens.client import ClientScreen
from arctui.console.screens.help import HelpScreen
from arctui.console.widgets.filter_bar import FilterBar
from arctui.console.widgets.why_panel import WhyPanel
from arctui.locations import BUNDLED_THEMES
from arctui.services.queue import build_queue
from tests.console.console_helpers import TODAY, context, make_app, shown, until

TEXTUAL_THEMES = {"textual-dark", "textual-light", "nord", "gruvbox", "dracula", "monokai", "tokyo-night"}


async def _palette_entries(pilot) -> list[str]:
    """What the open palette lists before anything is typed."""
    await until(
        pilot, lambda: pilot.app.screen.query(CommandList) and pilot.app.screen.query_one(CommandList).option_count
    )
    await pilot.pause(0.3)
    options = pilot.app.screen.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_the_palette_lists_arctuis_commands_and_themes_only(book):
    app = make_app(book)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        entries = "\n".join(await _palette_entries(pilot))
        for generic in ("Maximize", "Screenshot", "Keys", "Minimize", "Copy selected text", "Focus", "Quit the app"):
            assert generic not in entries
        assert "Log call / email / note" in entries and "Reports" in entries and "Theme" in entries
        await pilot.press(*"theme", "enter")
        await until(pilot, lambda: "Search for themes" in str(app.screen.query("Input").first().placeholder))
        themes = set(line.strip() for line in await _palette_entries(pilot))
        assert themes == app.console_themes
        assert {"arctui-dark", "arctui-light", "high-contrast", "ansi-16"} <= themes
        assert not themes & TEXTUAL_THEMES


def _footer_keys(screen) -> list[FooterKey]:
    return list(screen.query_one(Footer).query(FooterKey))


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_the_footer_fits_and_keeps_the_essential_keys(book, size):
    app = make_app(book)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for _ in range(2):  # the queue, then an account
            footer = app.screen.query_one(Footer)
            await pilot.pause()
            keys = _footer_keys(app.screen)
            assert all(key.region.right <= footer.region.right for key in keys), [k.key for k in keys]
            assert footer.max_scroll_x == 0  # nothing cut off to scroll to
            shown_keys = {key.key for key in keys}
            assert {"c", "p", "question_mark", "ctrl+p"} <= shown_keys
            if isinstance(app.screen, ClientScreen):
                break
            assert {"slash", "R"} <= shown_keys
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, ClientScreen))


async def test_help_and_the_palette_keep_the_full_labels(book):
    app = make_app(book)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = shown(app.screen.query_one("#help Static"))
        assert "Log call / email / note" in text and "Promise to pay" in text and "Whose queue" in text


async def test_help_explains_the_queue_columns(book):
    app = make_app(book)
    async with app.run_test(size=(120, 48)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        lines = shown(app.screen.query_one("#help Static")).splitlines()
        assert any("Queue columns" in line for line in lines)
        for column, words in (("0", "not yet due"), ("Old", "oldest"), ("Cont", "last contact"), ("Next", "promise")):
            assert any(re.match(rf"^\W*{re.escape(column)}\s+.*{words}", line) for line in lines), column


def _why_lines(panel: WhyPanel) -> list[str]:
    """The why panel's lines as its table holds them (points, words), before wrapping."""
    table = panel.content
    points, words = (list(column.cells) for column in table.columns)
    return [f"{str(p).strip()} {w}".strip() for p, w in zip(points, words)]


async def test_the_why_panel_names_factors_in_words_and_explains_age_weighted(book):
    top = build_queue(context(book).db, TODAY, "alice")[0]
    assert "past_due" in {c.name for c in top.score.components}
    app = make_app(book)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        lines = _why_lines(app.screen.query_one(WhyPanel))
    assert not any("_" in line for line in lines)
    past_due = next(i for i, line in enumerate(lines) if "Past due:" in line)
    assert lines[past_due + 1] == (
        "age-weighted: older debt weighs more, ×1 at 1-30, ×2 at 31-60, ×3 at 61-90, ×4 at 90+ days late"
    )
    for component in top.score.components:
        label = component.name.replace("_", " ").capitalize().replace("Follow up", "Follow-up")
        assert any(line.startswith(f"{component.points:+.1f} {label}") for line in lines), label


async def test_the_status_total_is_of_the_rows_shown(book):
    everyone = build_queue(context(book).db, TODAY, "alice")
    app = make_app(book)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        table = app.screen.table
        await pilot.press("slash")
        app.screen.query_one(FilterBar).insert_text_at_cursor("b:90+")
        await until(pilot, lambda: 0 < table.row_count < len(everyone))
        shown_ids = {table.row(i)[0] for i in range(table.row_count)}
        total = sum(r.past_due_cents for r in everyone if r.customer_id in shown_ids)
        assert total != sum(r.past_due_cents for r in everyone)
        status = shown(app.screen.query_one("#status"))
        assert f"past due ${total / 100:,.2f}" in status


async def test_the_queue_amounts_use_one_notation(tmp_path, monkeypatch):
    monkeypatch.setenv("ARCTUI_STATE_DIR", str(tmp_path / "state"))
    from arctui.sample import SampleSpec, generate

    generate(tmp_path / "big.db", SampleSpec(customers=60, invoices=2400, seed=3, today=TODAY))
    app = make_app(tmp_path / "big.db", theme_dirs=[BUNDLED_THEMES])
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        table = app.screen.table
        amounts = [
            cell
            for i in range(table.row_count)
            for key, cell in table.row(i)[1].items()
            if key in ("past_due", "current", "1-30", "31-60", "61-90", "90+") and cell
        ]
    assert any(a.endswith("k") for a in amounts) and any(re.fullmatch(r"\d{1,3}", a) for a in amounts)
    assert all(re.fullmatch(r"-?(\d{1,3}|\d{1,3}\.\dk|\d+\.\d\dM)", a) for a in amounts), amounts
    assert not any("," in a for a in amounts)
