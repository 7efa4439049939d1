"""A plugin whose hook raises: the other plugins' hooks still run."""

from arctui import hookimpl


@hookimpl
def register_commands(cli):
    raise RuntimeError("boom in register_commands")
