"""A team plugin that adds a command: proves the plugins folder path."""

import click

from arctui import hookimpl


@hookimpl
def register_commands(cli):
    @cli.command(name="hello")
    def hello():
        """Say hello from a team plugin."""
        click.echo("hello from the team folder")
