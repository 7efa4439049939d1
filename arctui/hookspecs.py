"""The hooks a plugin may implement.

A plugin imports only ``arctui.api`` (its types, read functions and ``hookimpl``, also
``from arctui import hookimpl``); docs/plugins.md shows each hook at work. Most hooks receive a
``register`` callback: the plugin calls it once per thing it adds.
"""

import pluggy

hookspec = pluggy.HookspecMarker("arctui")
hookimpl = pluggy.HookimplMarker("arctui")


@hookspec
def register_commands(cli):
    """Add click commands or groups to ``cli`` (``@cli.command()``, ``cli.add_command(...)``);
    they run as ``arctui NAME``. A name a built-in command has is ignored, and
    ``arctui plugins --commands`` lists what plugins added."""


@hookspec
def register_importers(register):
    """Register importers: ``register(arctui.api.Importer(...))``."""


@hookspec
def register_email_senders(register):
    """Register email senders: ``register(arctui.api.Sender(...))``."""


@hookspec
def register_credit_memo_coders(register):
    """Register coders that propose a memo's reason and GL code:
    ``register(arctui.api.Coder(...))``."""


@hookspec
def register_reports(register):
    """Register named reports: ``register(arctui.api.Report(...))``."""


@hookspec
def register_report_exporters(register):
    """Register report exporters: ``register(arctui.api.Exporter(...))``."""


@hookspec
def register_themes(register):
    """Register console themes: ``register(textual.theme.Theme(...))`` (Textual's own type)."""
