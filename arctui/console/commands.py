"""The ctrl+p palette: every key binding of the current screen (actions included) by name,
and the console's own themes; which keys the footer shows."""

from collections.abc import Iterable
from dataclasses import replace
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.theme import ThemeProvider

FOOTER_ACTIONS = {"c": "Log call", "p": "Promise"}
"""The account actions the footer shows (key: short label); the others are under ``?``
and ctrl+p, where every action keeps its full label."""


def in_footer(bindings: Iterable[Binding], shown: dict[str, str]) -> list[Binding]:
    """``bindings`` with only the keys of ``shown`` in the footer, under the short label
    given there; the full label stays (as the tooltip) for help and the palette."""
    return [
        replace(b, description=shown[b.key], tooltip=b.tooltip or b.description, show=True)
        if b.key in shown
        else replace(b, show=False)
        for b in bindings
    ]


def label(binding: Binding) -> str:
    """What help and the palette call a binding: its full label."""
    return binding.tooltip or binding.description


def declared_by_arctui(node, binding: Binding) -> bool:
    """Whether one of arctui's own classes declares ``binding`` on ``node`` (not one Textual
    gives every app, screen or widget: copy, quit, focus next…)."""
    for cls in type(node).__mro__:
        if cls.__module__.partition(".")[0] != "arctui":
            continue
        for declared in cls.__dict__.get("BINDINGS", ()):
            key, action = (declared.key, declared.action) if isinstance(declared, Binding) else declared[:2]
            if action == binding.action and binding.key in (k.strip() for k in key.split(",")):
                return True
    return False


def screen_commands(screen) -> list[tuple]:
    """(label, keys shown, action, node that runs it) of each described binding of arctui's
    on ``screen``, one entry per action with all of its keys."""
    found: dict[tuple, list] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if (
            binding.description
            and active.enabled
            and binding.action != "command_palette"
            and declared_by_arctui(active.node, binding)
        ):
            entry = found.setdefault(
                (binding.action, id(active.node)), [label(binding), [], binding.action, active.node]
            )
            key = screen.app.get_key_display(binding)
            if key not in entry[1]:
                entry[1].append(key)
    return sorted(
        ((label, ", ".join(keys), action, node) for label, keys, action, node in found.values()), key=lambda c: c[0]
    )


class ScreenCommands(Provider):
    def _commands(self):
        return screen_commands(self.screen)

    async def discover(self) -> Hits:
        for label, keys, action, node in self._commands():
            yield DiscoveryHit(label, partial(node.run_action, action), help=f"key: {keys}")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, keys, action, node in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), partial(node.run_action, action), help=f"key: {keys}")


class ConsoleThemes(ThemeProvider):
    """The themes of the console (its theme files, the user's, the plugins'), not Textual's
    own twenty."""

    @property
    def commands(self):
        return [(name, partial(setattr, self.app, "theme", name)) for name in sorted(self.app.console_themes)]
