"""The ctrl+p palette: every key binding of the current screen (actions included) by name."""

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


def screen_commands(screen) -> list[tuple]:
    """(label, keys shown, action, node that runs it) of each described binding on ``screen``,
    one entry per action with all of its keys."""
    found: dict[tuple, list] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if binding.description and active.enabled:
            entry = found.setdefault(
                (binding.action, id(active.node)), [binding.description, [], binding.action, active.node]
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
