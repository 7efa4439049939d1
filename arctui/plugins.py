"""The plugin host: entry-point plugins, a team's folder of .py plugins, and guarded hook calls.

One ``PluginHost`` per process (the CLI's ``main``, ``arctui.api.open_book``, a test) holds
the pluggy manager, what each hook registered (collected once, again only after a plugin is
added or removed) and the problems plugins caused. A broken plugin (import error, a hook
that raises, a coder or sender that raises when called) is recorded by name and skipped; it
never takes the program down, and the console shows each problem once (``take_problems``).
"""

import importlib.util
import os
import stat
from pathlib import Path

import pluggy

from arctui import hookspecs

ENTRY_POINT_GROUP = "arctui"
PLUGINS_DIR_ENV = "ARCTUI_PLUGINS_DIR"

# the register_* hooks whose things the core looks up by name
KINDS = {
    "importers": "register_importers",
    "senders": "register_email_senders",
    "coders": "register_credit_memo_coders",
    "reports": "register_reports",
    "exporters": "register_report_exporters",
    "themes": "register_themes",
}


class PluginHost:
    """The loaded plugins of this process and what they registered."""

    def __init__(self, entry_points: bool = True, plugins_dir: str | Path | None = None):
        """The installed (entry-point) plugins unless ``entry_points`` is false, and a team's
        ``plugins_dir``; both load on first use, so a command that needs no plugin pays
        nothing for them."""
        self._pm = pluggy.PluginManager("arctui")
        self._pm.add_hookspecs(hookspecs)
        self._pending = (entry_points, Path(plugins_dir) if plugins_dir else None)
        self.problems: list[str] = []
        self._shown = 0
        self._versions: dict[str, str] = {}
        self._collected: dict[str, dict] = {}
        self._origin: dict[int, str] = {}

    @property
    def pm(self) -> pluggy.PluginManager:
        """The pluggy manager, with the plugins loaded."""
        if self._pending:
            entry_points, plugins_dir = self._pending
            self._pending = None
            if entry_points:
                self._load_entry_points()
            if plugins_dir:
                self._load_dir(plugins_dir)
        return self._pm

    # -- loading ------------------------------------------------------------------------
    def _load_entry_points(self) -> None:
        import importlib.metadata  # only when plugins are loaded: it costs start time

        for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            if self._pm.has_plugin(ep.name):
                continue
            try:
                self._pm.register(ep.load(), name=ep.name)
            except Exception as exc:  # a plugin's own bug: report it, carry on
                self.report(ep.name, f"failed to load: {exc}")
                continue
            if ep.dist is not None:
                self._versions[ep.name] = ep.dist.version

    def _load_dir(self, folder: Path) -> None:
        """Register every ``*.py`` of a team's folder as a plugin named after the file."""
        folder = folder.resolve()
        if not folder.is_dir():
            self.problems.append(f"plugins folder {folder}: not a directory")
            return
        if problem := untrusted(folder):
            self.problems.append(problem)
            return
        for path in sorted(folder.glob("*.py")):
            name = path.stem
            if self._pm.has_plugin(name):
                continue
            if problem := untrusted(path):
                self.problems.append(problem)
                continue
            try:
                spec = importlib.util.spec_from_file_location(f"arctui_local_plugins.{name}", path)
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
                self._pm.register(module, name=name)
            except Exception as exc:
                self.report(name, f"({path}) failed to load: {exc}")

    def register(self, plugin, name: str | None = None):
        """Add a plugin (a module or an object with ``@hookimpl`` methods)."""
        self._collected.clear()
        return self.pm.register(plugin, name=name)

    def unregister(self, name: str):
        self._collected.clear()
        return self.pm.unregister(name=name)

    # -- calling ------------------------------------------------------------------------
    def report(self, plugin_name: str, problem: str) -> None:
        """Record a problem a plugin caused, naming the plugin; the same problem again (a
        coder failing at every keystroke) is recorded once."""
        message = f"plugin {plugin_name}: {problem}"
        if message not in self.problems:
            self.problems.append(message)

    def take_problems(self) -> list[str]:
        """The problems recorded since the last call (each is shown once)."""
        new = self.problems[self._shown :]
        self._shown = len(self.problems)
        return new

    def call_each(self, hook_name: str, **kwargs) -> None:
        """Call every implementation of a hook on its own, so one raising plugin spares the rest."""
        for impl in getattr(self.pm.hook, hook_name).get_hookimpls():
            try:
                impl.function(**kwargs)
            except Exception as exc:
                self.report(impl.plugin_name, f"{hook_name} failed: {exc}")

    def collect(self, kind: str) -> dict:
        """What the plugins register as ``kind`` (a key of ``KINDS``), by each thing's ``name``;
        gathered once, and again only after a plugin is added or removed."""
        if kind not in self._collected:
            found = {}
            for impl in getattr(self.pm.hook, KINDS[kind]).get_hookimpls():

                def register(thing, plugin=impl.plugin_name):
                    found[thing.name] = thing
                    self._origin[id(thing)] = plugin

                try:
                    impl.function(register=register)
                except Exception as exc:
                    self.report(impl.plugin_name, f"{KINDS[kind]} failed: {exc}")
            self._collected[kind] = found
        return self._collected[kind]

    def plugin_of(self, thing) -> str:
        """The name of the plugin that registered ``thing``."""
        return self._origin.get(id(thing), "?")

    def guarded(self, thing, what: str, function, *args, **kwargs):
        """Call a plugin's ``function``; if it raises, record the problem naming the plugin and
        ``what`` failed, and return None so the collector's work goes on."""
        try:
            return function(*args, **kwargs)
        except Exception as exc:  # a plugin's bug must not stop the collector
            self.report(self.plugin_of(thing), f"{what} failed: {exc}")
            return None

    def listing(self) -> list[dict]:
        """Name, version and implemented hooks of every loaded plugin, like ``llm plugins``."""
        rows = []
        for name, plugin in sorted(self.pm.list_name_plugin()):
            hooks = sorted(caller.name for caller in self.pm.get_hookcallers(plugin) or [])
            rows.append({"name": name, "version": self._versions.get(name), "hooks": hooks})
        return rows


def untrusted(path: Path) -> str | None:
    """Why code at ``path`` must not run, or None: it is writable by others than its owner
    and group, or owned by another login than this one or root (anyone could have put
    code there that would then run as every collector who opens the book)."""
    info = path.stat()
    if info.st_mode & stat.S_IWOTH:
        return f"plugins: {path} is writable by everyone, so it was not loaded; fix: chmod o-w {path}"
    if info.st_uid not in (0, os.getuid()):
        return (
            f"plugins: {path} belongs to another login (uid {info.st_uid}), so it was not"
            f" loaded; fix: have its owner or root install it"
        )
    return None
