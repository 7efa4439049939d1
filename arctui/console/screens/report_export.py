"""``x`` on a report: one line holding the file to write, prefilled with the report's name,
its day and ``.xlsx``; the extension picks the format (csv, xlsx, md, txt, html: the same
exporters as ``arctui report -o``). ``enter`` writes the file through ``run_report``, ``esc``
leaves. A missing folder, or a file already there (replaced only on a second ``enter``), is
said on the line under it, and nothing is written."""

import os
from datetime import date
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from arctui.services.errors import ServiceError
from arctui.services.reports import available_exporters, format_for, run_report

DEFAULT_EXTENSION = "xlsx"


def default_file_name(report: str, as_of: date) -> str:
    """``over-10k-60-2026-11-26.xlsx``."""
    return f"{report}-{as_of.isoformat()}.{DEFAULT_EXTENSION}"


class ExportPrompt(ModalScreen[Path | None]):
    """Dismisses with the file written, or None."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]
    AUTO_FOCUS = "#export-path"

    def __init__(self, report: str, title: str, as_of: date, collector: str | None):
        super().__init__()
        self.report, self.title_text, self.as_of, self.collector = report, title, as_of, collector
        self._confirmed: Path | None = None  # an existing file the collector was told about

    def compose(self) -> ComposeResult:
        with Vertical(id="export"):
            yield Static(f"Save “{self.title_text}” as", id="export-title", markup=False)
            # the cursor at the end: enter takes the name, backspaces change the extension
            yield Input(default_file_name(self.report, self.as_of), id="export-path", select_on_focus=False)
            yield Static("", id="export-format", markup=False)

    def on_mount(self) -> None:
        self.query_one("#export").border_title = "Export (enter saves, esc cancels)"
        self._describe(self.query_one("#export-path", Input).value)

    # -- what the name asks for ---------------------------------------------------------
    def _target(self, text: str) -> Path:
        return Path(text.strip()).expanduser().absolute()

    def _unknown_extension(self, text: str) -> str | None:
        """The name's extension when no exporter has it (no extension: txt, as the CLI)."""
        suffix = Path(text.strip()).suffix.lower().lstrip(".")
        extensions = {e.extension for e in available_exporters(self.app.ctx.plugins).values()}
        return suffix if suffix and suffix not in extensions else None

    def _describe(self, text: str, problem: str = "") -> None:
        plugins = self.app.ctx.plugins
        known = ", ".join(sorted(f".{e.extension}" for e in available_exporters(plugins).values()))
        unknown = self._unknown_extension(text)
        if unknown is not None:
            line = f"no format has the extension .{unknown}; the extension picks it: {known}"
        else:
            line = f"format: {format_for(plugins, text.strip() or None).upper()} (the extension picks it: {known})"
        if problem:
            line = f"{problem}\n{line}"
        self.query_one("#export-format", Static).update(line)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._confirmed = None
        self._describe(event.value)

    # -- writing ------------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self._describe(text, "Type a file name.")
            return
        unknown = self._unknown_extension(text)
        if unknown is not None:
            self._describe(text, "Nothing written.")
            return
        target = self._target(text)
        if not target.parent.is_dir():
            self._describe(text, f"No folder {target.parent}: nothing written.")
            return
        if not os.access(target.parent, os.W_OK):
            self._describe(text, f"No right to write in {target.parent}: nothing written.")
            return
        if target.is_dir():
            self._describe(text, f"{target} is a folder: add a file name.")
            return
        if target.exists() and self._confirmed != target:
            self._confirmed = target
            self._describe(text, f"{target} exists: enter again replaces it.")
            return
        try:
            run_report(self.app.ctx, self.report, out=target, today=self.as_of, collector=self.collector)
        except (ServiceError, OSError) as exc:
            self._describe(text, f"Not saved: {exc}")
            return
        self.dismiss(target)
