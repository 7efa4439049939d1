"""Themes: files in themes/, plugin themes, --theme, switching remembered per user."""

from textual.filter import Monochrome
from textual.theme import Theme

from arctui import hookimpl
from arctui.console.theme_files import load_themes
from arctui.locations import BUNDLED_THEMES
from arctui.plugins import PluginHost
from tests.console.console_helpers import make_app, pick_in_palette, until

REQUIRED = {"arctui-dark", "arctui-light", "high-contrast", "ansi-16"}


def test_bundled_themes_load_without_errors():
    themes, errors = load_themes([BUNDLED_THEMES], PluginHost(entry_points=False))
    assert REQUIRED <= set(themes)
    assert errors == []
    assert themes["ansi-16"].ansi and not themes["arctui-light"].dark


async def test_bad_theme_files_are_reported_once_and_the_rest_still_load(book, tmp_path):
    folder = tmp_path / "themes"
    folder.mkdir()
    (folder / "typo.toml").write_text('name = "typo"\nprimery = "#ff0000"\n')
    (folder / "badcolour.toml").write_text('name = "badcolour"\nprimary = "not-a-colour"\n')
    (folder / "broken.toml").write_text('name = "broken\n')
    (folder / "mine.toml").write_text('name = "mine"\nprimary = "#336699"\ndark = false\n')
    app = make_app(book, theme="mine", theme_dirs=[BUNDLED_THEMES, folder])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme == "mine"
        errors = [n for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1
        message = errors[0].message
        assert "typo.toml: unknown field primery" in message
        assert "badcolour.toml" in message and "broken.toml" in message
        assert REQUIRED <= set(app.available_themes)


async def test_theme_switch_is_remembered_for_that_user_only(book):
    app = make_app(book, theme="high-contrast")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme == "high-contrast"
        app.theme = "arctui-light"
        await pilot.pause()
    again = make_app(book)
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert again.theme == "arctui-light"
    other = make_app(book, user="bob")
    async with other.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert other.theme == "arctui-dark"


async def test_an_unknown_theme_name_falls_back_with_a_message(book):
    app = make_app(book, theme="no-such-theme")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme == "arctui-dark"
        assert any("no-such-theme" in n.message for n in app._notifications)


class TealThemePlugin:
    @hookimpl
    def register_themes(self, register):
        register(Theme(name="teal", primary="#008080"))


async def test_a_plugin_registers_a_theme(book):
    app = make_app(book, theme="teal")
    app.ctx.plugins.register(TealThemePlugin(), name="teal-theme")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme == "teal"


async def test_switching_theme_from_the_palette(book):
    app = make_app(book)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pick_in_palette(pilot, "theme")
        await pick_in_palette(pilot, "arctui-light")
        await until(pilot, lambda: app.theme == "arctui-light")
    again = make_app(book)
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert again.theme == "arctui-light"


async def test_no_color_is_honoured(book, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.no_color
        assert any(isinstance(f, Monochrome) for f in app._filters)  # greys every line
        assert app.screen.table.row_count > 0
