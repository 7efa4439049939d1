"""What a plugin gets wrong reaches the collector: an error notice naming the plugin, after
start, at each refresh tick and when an action form closes; each problem once."""

from dataclasses import replace

from arctui import hookimpl
from arctui.console.app import ArctuiApp
from arctui.console.forms.touchpoint import TouchpointForm
from arctui.locations import BUNDLED_THEMES
from arctui.plugins import PluginHost
from arctui.services.credit_memos import Coder, MemoContext, propose_coding
from tests.console.console_helpers import context, until


class BrokenThemes:
    @hookimpl
    def register_themes(self, register):
        raise RuntimeError("themes.toml is missing")


def _failing_proposal(memo):
    raise KeyError("gl_account")


class BrokenCoder:
    @hookimpl
    def register_credit_memo_coders(self, register):
        register(Coder("house_rules", _failing_proposal))


def app_with(book, host: PluginHost, **kwargs) -> ArctuiApp:
    kwargs.setdefault("refresh_seconds", 0)
    return ArctuiApp(replace(context(book), plugins=host), theme_dirs=[BUNDLED_THEMES], **kwargs)


def errors(app) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


def coder_fails(app: ArctuiApp) -> None:
    """The credit memo service asks the coders for a proposal (as the memo form does)."""
    customer = app.ctx.db["customers"].get(1)
    assert propose_coding(app.ctx, MemoContext(customer, None, 10_000, "pricing")) == []


async def test_a_theme_hook_that_raises_is_shown_at_start_naming_its_plugin(book):
    host = PluginHost(entry_points=False)
    host.register(BrokenThemes(), name="team_themes")
    app = app_with(book, host)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert errors(app) == ["plugin team_themes: register_themes failed: themes.toml is missing"]
        assert app.theme == "arctui-dark"  # the console opened all the same
        assert app.screen.table.row_count > 0
        app.show_plugin_problems()
        await pilot.pause()
        assert len(errors(app)) == 1  # shown once


async def test_a_coder_failing_later_is_shown_at_the_next_refresh_tick(book):
    host = PluginHost(entry_points=False)
    host.register(BrokenCoder(), name="house_coders")
    app = app_with(book, host, refresh_seconds=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert errors(app) == []
        coder_fails(app)
        await until(pilot, lambda: errors(app))
        assert errors(app) == ["plugin house_coders: credit memo coder house_rules failed: 'gl_account'"]


async def test_a_problem_met_while_a_form_was_open_is_shown_when_it_closes(book):
    host = PluginHost(entry_points=False)
    host.register(BrokenCoder(), name="house_coders")
    app = app_with(book, host)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, TouchpointForm)
        coder_fails(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, TouchpointForm)
        assert errors(app) == ["plugin house_coders: credit memo coder house_rules failed: 'gl_account'"]
