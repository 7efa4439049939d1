"""``arctui plugins``: the loaded plugins as JSON, like ``llm plugins``."""
import json

import click

from arctui import plugins


@click.command(name="plugins")
def command():
    """List loaded plugins: name, version and the hooks each implements."""
    click.echo(json.dumps(plugins.list_plugins(), indent=2))
