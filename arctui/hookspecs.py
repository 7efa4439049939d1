"""The hooks a plugin may implement.

Most hooks receive a ``register`` callback: the plugin calls it once per thing it adds.
"""
import pluggy

hookspec = pluggy.HookspecMarker("arctui")
hookimpl = pluggy.HookimplMarker("arctui")


@hookspec
def register_commands(cli):
    """Add click commands or groups to the ``arctui`` command group."""


@hookspec
def register_importers(register):
    """Register importers: ``register(arctui.services.imports.Importer(...))``."""


@hookspec
def register_email_senders(register):
    """Register email senders: ``register(arctui.services.email.Sender(...))``."""


@hookspec
def register_credit_memo_coders(register):
    """Register coders that propose a memo's reason and GL code:
    ``register(arctui.services.credit_memos.Coder(...))``."""


@hookspec
def register_reports(register):
    """Register named reports: ``register(arctui.services.reports.Report(...))``."""


@hookspec
def register_report_exporters(register):
    """Register report exporters: ``register(arctui.services.reports.Exporter(...))``."""


@hookspec
def register_themes(register):
    """Register console themes: ``register(textual.theme.Theme(...))``."""
