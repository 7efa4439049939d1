"""The plugin manager: entry-point plugins, a team's folder of .py plugins, and safe hook calls.

A broken plugin (import error, a hook that raises) is recorded in ``errors`` by name and
skipped; it never takes the program down.
"""
import importlib.metadata
import importlib.util
import os
from pathlib import Path

import pluggy

from arctui import hookspecs

ENTRY_POINT_GROUP = "arctui"
PLUGINS_DIR_ENV = "ARCTUI_PLUGINS_DIR"

pm = pluggy.PluginManager("arctui")
pm.add_hookspecs(hookspecs)

errors: list[str] = []
_versions: dict[str, str] = {}
_loaded_entry_points = False
_loaded_dirs: set[Path] = set()


def load_plugins(plugins_dir: str | os.PathLike | None = None) -> None:
    """Load the entry-point plugins once, then the plugins folder (argument or environment)."""
    global _loaded_entry_points
    if not _loaded_entry_points:
        _loaded_entry_points = True
        for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            if pm.has_plugin(ep.name):
                continue
            try:
                pm.register(ep.load(), name=ep.name)
            except Exception as exc:  # a plugin's own bug: report it, carry on
                errors.append(f"plugin {ep.name}: failed to load: {exc}")
                continue
            if ep.dist is not None:
                _versions[ep.name] = ep.dist.version
    folder = plugins_dir or os.environ.get(PLUGINS_DIR_ENV)
    if folder:
        _load_dir(Path(folder))


def _load_dir(folder: Path) -> None:
    folder = folder.resolve()
    if folder in _loaded_dirs:
        return
    _loaded_dirs.add(folder)
    if not folder.is_dir():
        errors.append(f"plugins folder {folder}: not a directory")
        return
    for path in sorted(folder.glob("*.py")):
        name = path.stem
        if pm.has_plugin(name):
            continue
        try:
            spec = importlib.util.spec_from_file_location(f"arctui_local_plugins.{name}", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            pm.register(module, name=name)
        except Exception as exc:
            errors.append(f"plugin {name} ({path}): failed to load: {exc}")


def call_each(hook_name: str, **kwargs) -> None:
    """Call every implementation of a hook on its own, so one raising plugin spares the rest."""
    for impl in getattr(pm.hook, hook_name).get_hookimpls():
        try:
            impl.function(**kwargs)
        except Exception as exc:
            errors.append(f"plugin {impl.plugin_name}: {hook_name} failed: {exc}")


def collect(hook_name: str) -> dict:
    """Gather what the plugins register through ``hook_name``, keyed by each thing's ``name``
    (the installed plugins are loaded first if no one has yet)."""
    load_plugins()
    found = {}
    call_each(hook_name, register=lambda thing: found.__setitem__(thing.name, thing))
    return found


def list_plugins() -> list[dict]:
    """Name, version and implemented hooks of every loaded plugin, like ``llm plugins``."""
    listing = []
    for name, plugin in sorted(pm.list_name_plugin()):
        hooks = sorted(caller.name for caller in pm.get_hookcallers(plugin) or [])
        listing.append({"name": name, "version": _versions.get(name), "hooks": hooks})
    return listing
