"""``arctui plugins``: the loaded plugins as JSON, like ``llm plugins``."""

import json

import click

from arctui.commands.common import cli_state


@click.command(name="plugins")
@click.option("--commands", "commands", is_flag=True, help="List the commands plugins add instead, one line each.")
def command(commands):
    """List loaded plugins: name, version and the hooks each implements."""
    state = cli_state()
    if commands:
        from arctui.cli import COMMANDS  # a plugin's command named like a built-in never runs

        added = {name: cmd for name, cmd in state.plugin_commands().items() if name not in COMMANDS}
        width = max(map(len, added), default=0)
        for name, cmd in sorted(added.items()):
            click.echo(f"{name:{width}}  {cmd.get_short_help_str(80)}".rstrip())
        return
    click.echo(json.dumps(state.plugins.listing(), indent=2))
