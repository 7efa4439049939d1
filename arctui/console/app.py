"""The collector console: wiring of screens, themes, the palette and the shared-file refresh."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlite_utils import Database
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette

from arctui import locations
from arctui.console import actions, preferences
from arctui.console.commands import ConsoleThemes, ScreenCommands, screen_commands
from arctui.console.control_filter import ControlCharacterFilter
from arctui.console.screens.client import ClientScreen
from arctui.console.screens.collector_picker import TEAM, CollectorPicker
from arctui.console.screens.help import HelpScreen
from arctui.console.screens.inbox import InboxScreen
from arctui.console.screens.invoices import InvoicesScreen
from arctui.console.screens.queue import FIRST_PAGE, QueueScreen
from arctui.console.theme_files import load_themes
from arctui.console.typeahead import KeysInOrder
from arctui.services.context import Context
from arctui.services.queue import build_queue
from arctui.store.connection import connect, opened_read_only
from arctui.store.read import book, team
from arctui.store.read.accounts import owns_accounts

DEFAULT_THEME = "arctui-dark"
LEAD_ROLES = ("lead", "manager")


class ArctuiApp(KeysInOrder, App):
    CSS_PATH = "app.tcss"
    TITLE = "arctui"
    COMMANDS = App.COMMANDS | {ScreenCommands}
    BINDINGS = [
        Binding("question_mark", "help", "Help"),
        Binding("ctrl+p", "command_palette", "Commands", show=False),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    def __init__(
        self, ctx: Context, theme: str | None = None, refresh_seconds: float = 1.0, theme_dirs: list[Path] | None = None
    ):
        super().__init__()
        self.ctx = ctx
        self.refresh_seconds = refresh_seconds
        self._asked_theme = theme
        self.console_themes: set[str] = set()  # the themes the palette offers (_load_themes)
        self._theme_dirs = theme_dirs if theme_dirs is not None else locations.theme_dirs()
        self._data_version = self._read_data_version()
        self._problems: list[str] = []  # shown once as an error
        self._notes: list[str] = []  # shown once as a warning
        self._reader: Database | None = None
        self._control_filter = ControlCharacterFilter()
        self._first_collector = self._first_queue()
        # the top of the first queue is read while Textual starts (SQLite works without the GIL)
        pool = ThreadPoolExecutor(max_workers=1)
        self._first_rows = pool.submit(build_queue, self.reader, ctx.today(), self._first_collector, FIRST_PAGE)
        pool.shutdown(wait=False)

    def get_line_filters(self):
        """Textual's filters, then one that drops control characters from every line drawn."""
        return [*super().get_line_filters(), self._control_filter]

    @property
    def reader(self) -> Database:
        """A second connection to the same file for reads done off the UI thread."""
        if self._reader is None:
            self._reader = connect(book.path_of(self.ctx.db), read_only=opened_read_only(self.ctx.db))
        return self._reader

    # -- start --------------------------------------------------------------------------
    def on_mount(self) -> None:
        self._load_themes()
        self.push_screen(QueueScreen(self._first_collector, self._first_rows))
        if actions.LOAD_PROBLEM:
            self._problems.append(actions.LOAD_PROBLEM)
        for screen in (QueueScreen, ClientScreen):
            self._problems += actions.unbound(screen.NAV_KEYS)
        problems = list(dict.fromkeys(self._problems))
        if problems:
            self.notify("\n".join(problems), severity="error", timeout=10)
        if self._notes:
            self.notify("\n".join(self._notes), severity="warning")
        self.show_plugin_problems()
        if self.refresh_seconds > 0:
            self.set_interval(self.refresh_seconds, self.check_for_changes)

    def show_plugin_problems(self) -> None:
        """Tell the collector what plugins got wrong since last told (each names its plugin):
        after start, after each form closes and at each refresh tick."""
        problems = self.ctx.plugins.take_problems()
        if problems:
            self.notify("\n".join(problems), title="Plugin problem", severity="error", timeout=10)

    def _first_queue(self) -> str | None:
        """My queue; the whole team for a lead who owns no accounts or an unknown login."""
        me = team.collector(self.ctx.db, self.ctx.user)
        if me is None:
            self._notes.append(f"{self.ctx.user} is not a collector here: showing the whole team")
            return None
        if me["role"] in LEAD_ROLES and not owns_accounts(self.ctx.db, me["id"]):
            return None
        return me["id"]

    def _load_themes(self) -> None:
        themes, errors = load_themes(self._theme_dirs, self.ctx.plugins)
        self._problems += errors
        for theme in themes.values():
            self.register_theme(theme)
        wanted = self._asked_theme or preferences.remembered_theme(self.ctx.user) or DEFAULT_THEME
        if wanted not in self.available_themes:
            self._problems.append(f"theme {wanted!r} not found; have {', '.join(sorted(themes))}")
            wanted = DEFAULT_THEME if DEFAULT_THEME in self.available_themes else "textual-dark"
        self.console_themes = set(themes) | {wanted}  # what the palette offers
        self._starting_theme = wanted
        self.theme = wanted

    # -- the palette: the screens' commands and the console's themes, not Textual's own --
    def get_system_commands(self, screen):
        yield SystemCommand("Theme", "Change the colours (the console's themes and your own)", self.action_change_theme)

    def search_themes(self) -> None:
        self.push_screen(CommandPalette(providers=[ConsoleThemes], placeholder="Search for themes…"))

    def watch_theme(self, theme: str) -> None:
        if getattr(self, "_starting_theme", theme) == theme:
            return
        self._starting_theme = theme
        problem = preferences.remember_theme(self.ctx.user, theme)
        if problem:
            self.notify(problem, severity="warning")

    # -- shared file: other collectors' commits ----------------------------------------
    def _read_data_version(self) -> int:
        return book.data_version(self.ctx.db)

    def check_for_changes(self) -> None:
        """Reload every open screen when another connection committed (forms stay open);
        show what plugins got wrong meanwhile."""
        version = self._read_data_version()
        if version != self._data_version:
            self._data_version = version
            self.reload_screens()
        self.show_plugin_problems()

    def after_action(self, saved: bool | None) -> None:
        """An action form closed: show the book as it now is if it saved, and any plugin
        problem it met."""
        if saved:
            self.reload_screens()
        self.show_plugin_problems()

    def reload_screens(self) -> None:
        for screen in self.screen_stack:
            if hasattr(screen, "reload_data") and screen.is_mounted:
                screen.reload_data()

    # -- navigation ---------------------------------------------------------------------
    def open_client(self, customer_id: int) -> None:
        self.push_screen(ClientScreen(customer_id))

    def open_invoices(self, collector: str | None) -> None:
        self.push_screen(InvoicesScreen(collector))

    def choose_queue(self) -> None:
        me = team.collector(self.ctx.db, self.ctx.user)
        if me is None or me["role"] not in LEAD_ROLES:
            self.notify("Only a team lead or manager can open another collector's queue.", severity="warning")
            return
        self.push_screen(CollectorPicker(team.active_collectors(self.ctx.db)), self._show_queue_of)

    def open_inbox(self) -> None:
        """A lead's or manager's inbox; anyone else is told what it is for."""
        me = team.collector(self.ctx.db, self.ctx.user)
        if me is None or not me["active"] or me["role"] not in LEAD_ROLES:
            self.notify(
                f"The inbox lists what waits for a lead's decision (memos, write-offs, credit-limit raises"
                f" and refunds to approve, disputes past due, escalations, promises broken today);"
                f" {self.ctx.user} is not an active lead or manager.",
                title="Inbox is for leads",
                severity="warning",
                markup=False,
            )
            return
        self.push_screen(InboxScreen(me))

    def action_cash_workbench(self) -> None:
        from arctui.console.screens.cash import CashScreen  # the cash workbench (C from the queue)

        self.push_screen(CashScreen())

    def _show_queue_of(self, choice: str | None) -> None:
        if choice is not None:
            queue = self.query_one_screen(QueueScreen)
            queue.show_collector(None if choice == TEAM else choice)

    def query_one_screen(self, kind: type):
        return next(s for s in self.screen_stack if isinstance(s, kind))

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        sections = {"Move": [], "This screen": [], "Actions on the account": [], "Anywhere": []}
        for description, keys, action, node in screen_commands(self.screen):
            if node is self:
                heading = "Anywhere"
            elif action.startswith("act("):
                heading = "Actions on the account"
            else:
                heading = "This screen" if node is self.screen else "Move"
            sections[heading].append((keys, description))
        self.push_screen(HelpScreen(sections, getattr(self.screen, "HELP_LEGEND", None)))
