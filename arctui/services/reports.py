"""Named reports and their exporters: the types plugins register, and running one.

A plugin registers a ``Report`` through ``register_reports`` and an ``Exporter`` through
``register_report_exporters``; the plugin host (``ctx.plugins``) collects them once.
``run_report(ctx, name, fmt, out, today, collector=...)`` finds both by name, runs the
report against the database as of a given day, writes it in the chosen format (or only
returns it, for a screen to show) and turns a plugin's failure into a ``ServiceError``
naming the plugin. ``available_reports(ctx.plugins)`` lists them (name → Report with title
and description).

``ReportResult`` is what every report returns and every exporter (and the console) shows::

    result.title, result.as_of            # heading and the day it was run for
    result.columns                        # [Column(key, label, type)], type in COLUMN_TYPES
    result.sections                       # [Section(title, rows, subtotals)]; one untitled
                                          #   section when the report is not grouped
    result.totals                         # rows after every section (one per currency)
    result.notes                          # lines to print under the table
    result.rows                           # every data row of every section, in order
    result.lines()                        # [(kind, values)] in display order, kind in
                                          #   "group" | "row" | "subtotal" | "total"
    result.text_lines()                   # the same with every value formatted as text

Every text a ``ReportResult`` gives out is safe to show: the title, the notes, the column
labels, the group titles and every text value of ``lines()`` and ``text_lines()`` have their
control characters written as visible escapes (``visible``: ESC as ``\\x1b``), so no exporter
(a plugin's included) and no screen passes a customer name's escape sequence on. An exporter
adds only its own format's escaping (Markdown, HTML) and ``neutralise_formula``.

A row is a dict keyed by column key. Values by column type: text ``str``; money ``Money``
(integer cents and its currency); int ``int``; number ``float`` (one decimal); percent
``float`` in percent (12.5 means 12.5%); date ``datetime.date``. ``None`` is an empty cell.
A subtotal or total row puts its label ("Total", "Subtotal USD") in the first column;
``total_rows`` sums money columns per currency.
"""

import contextlib
import inspect
import io
import os
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any, NamedTuple

from arctui.domain.control_chars import visible
from arctui.domain.money import format_money
from arctui.plugins import PluginHost
from arctui.services import records
from arctui.services.context import Context
from arctui.services.errors import InvalidInput, NotFound, ServiceError
from arctui.store.connection import FILE_MODE

COLUMN_TYPES = ("text", "money", "int", "number", "percent", "date")
DEFAULT_FORMAT = "txt"

# spreadsheet programs run a cell starting with one of these as a formula (OWASP: CSV injection)
_FORMULA_START = re.compile(r"^[=+\-@\t\r]")


class Money(NamedTuple):
    cents: int
    currency: str = "USD"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    type: str = "text"

    def __post_init__(self):
        if self.type not in COLUMN_TYPES:
            raise ValueError(f"column {self.key}: type {self.type!r} is not one of {COLUMN_TYPES}")
        object.__setattr__(self, "label", visible(self.label))


@dataclass(frozen=True)
class Section:
    """A group of rows under a title (None: no title), then its subtotal rows (one a currency)."""

    title: str | None
    rows: list[dict]
    subtotals: list[dict] = field(default_factory=list)

    def __post_init__(self):
        if self.title is not None:
            object.__setattr__(self, "title", visible(str(self.title)))


@dataclass(frozen=True)
class ReportResult:
    title: str
    as_of: date
    columns: list[Column]
    sections: list[Section]
    totals: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __post_init__(self):
        object.__setattr__(self, "title", visible(self.title))
        object.__setattr__(self, "notes", [visible(str(note)) for note in self.notes])

    @property
    def rows(self) -> list[dict]:
        return [row for section in self.sections for row in section.rows]

    def lines(self) -> list[tuple[str, list]]:
        """(kind, raw values in column order) for every line to show, in display order."""
        out: list[tuple[str, list]] = []
        for section in self.sections:
            if section.title is not None:
                out.append(("group", [section.title] + [None] * (len(self.columns) - 1)))
            out.extend(("row", self._values(row)) for row in section.rows)
            out.extend(("subtotal", self._values(row)) for row in section.subtotals)
        out.extend(("total", self._values(row)) for row in self.totals)
        return out

    def text_lines(self) -> list[tuple[str, list[str]]]:
        """``lines()`` with every value formatted for reading (``format_cell``), escaped."""
        return [
            (
                kind,
                [values[0]] + [""] * (len(values) - 1)
                if kind == "group"
                else [visible(format_cell(column, value)) for column, value in zip(self.columns, values)],
            )
            for kind, values in self.lines()
        ]

    def _values(self, row: dict) -> list:
        return [_shown(row.get(column.key)) for column in self.columns]


def _shown(value: Any) -> Any:
    return visible(value) if isinstance(value, str) else value


def total_rows(columns: list[Column], rows: list[dict], label: str = "Total") -> list[dict]:
    """Sum the money columns of ``rows``, one total row per currency (money is never added
    across currencies); ``label`` goes in the first column. No rows, no totals."""
    totals: dict[str, dict] = {}
    for row in rows:
        for column in columns:
            value = row.get(column.key)
            if column.type != "money" or value is None:
                continue
            total = totals.setdefault(value.currency, {columns[0].key: label, "currency": value.currency})
            previous = total.get(column.key, Money(0, value.currency))
            total[column.key] = Money(previous.cents + value.cents, value.currency)
    return label_by_currency(list(totals.values()), columns[0].key)


def label_by_currency(totals: list[dict], key: str) -> list[dict]:
    """Add the currency to each total's label ("Total EUR") when there is more than one."""
    if len(totals) > 1:
        for total in totals:
            total[key] = f"{total[key]} {total['currency']}"
    return totals


def format_cell(column: Column, value: Any) -> str:
    """A value as a reader sees it: "$1,234.56", "1,234", "42.0", "12.5%", "2026-11-23"."""
    if value is None:
        return ""
    if column.type == "money":
        return format_money(value.cents, value.currency)
    if column.type == "int":
        return f"{value:,}"
    if column.type == "number":
        return f"{value:,.1f}"
    if column.type == "percent":
        return f"{value:.1f}%"
    if column.type == "date":
        return value.isoformat()
    return str(value)


def neutralise_formula(text: str) -> str:
    """Prefix a quote to text a spreadsheet would run as a formula (``=cmd|...``, ``@SUM``)."""
    return "'" + text if _FORMULA_START.match(text) else text


@dataclass(frozen=True)
class Report:
    """A named report; ``run(db, today, **params)`` returns a ``ReportResult``.

    Every bundled report takes ``collector`` (a collector id, or None for the whole team).
    """

    name: str
    title: str
    description: str
    run: Callable[..., ReportResult]


@dataclass(frozen=True)
class Exporter:
    """Writes a ``ReportResult`` in one format; ``export(result, stream_or_path)``.

    ``binary`` exporters write bytes (a path or a binary stream), the others text.
    """

    name: str
    extension: str
    description: str
    export: Callable[[ReportResult, Any], None]
    binary: bool = False


@contextmanager
def open_output(target: str | os.PathLike | IO, binary: bool = False) -> Iterator[IO]:
    """Yield a stream for ``target``: a path is opened (and closed) here, a stream is used as is.

    A file is group-shared like the database (``FILE_MODE``, 0660), whatever the umask: a
    report holds customer names and balances."""
    if not isinstance(target, (str, os.PathLike)):
        yield target
        return
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with contextlib.suppress(PermissionError):  # someone else's file, group-writable: its mode stays
        os.fchmod(fd, FILE_MODE)
    mode = "wb" if binary else "w"
    with open(fd, mode, **({} if binary else {"encoding": "utf-8", "newline": ""})) as stream:
        yield stream


def available_reports(plugins: PluginHost) -> dict[str, Report]:
    """Every report the plugins register, by name."""
    return dict(sorted(plugins.collect("reports").items()))


def available_exporters(plugins: PluginHost) -> dict[str, Exporter]:
    """Every exporter the plugins register, by format name."""
    return dict(sorted(plugins.collect("exporters").items()))


def get_report(plugins: PluginHost, name: str) -> Report:
    known = available_reports(plugins)
    if name not in known:
        raise NotFound(f"unknown report {name!r}; known reports: {', '.join(known) or 'none'}")
    return known[name]


def get_exporter(plugins: PluginHost, fmt: str) -> Exporter:
    known = available_exporters(plugins)
    if fmt not in known:
        raise InvalidInput("format", f"unknown format {fmt!r}; known formats: {', '.join(known) or 'none'}")
    return known[fmt]


def format_for(plugins: PluginHost, path: str | os.PathLike | None) -> str:
    """The exporter a file name asks for by its extension (``aging.xlsx`` → xlsx), else txt."""
    if path is not None:
        suffix = Path(path).suffix.lower().lstrip(".")
        for exporter in available_exporters(plugins).values():
            if suffix == exporter.extension:
                return exporter.name
    return DEFAULT_FORMAT


def run_report(
    ctx: Context, name: str, fmt: str | None = None, out=None, today: date | None = None, **params
) -> ReportResult:
    """Run report ``name`` as of ``today`` (default: the context's today) and, when ``out``
    (a path or a stream) is given, export it as ``fmt`` there; the result is returned.

    The report, the format and the collector are checked before anything runs or any file
    is made; ``fmt`` None follows ``out``'s extension. Params with value None are left out
    (``collector`` None: the whole team). A report or exporter that fails is a
    ``ServiceError`` naming its plugin, and a file is written whole or not at all.
    """
    report = get_report(ctx.plugins, name)
    exporter = None
    if out is not None or fmt is not None:
        exporter = get_exporter(
            ctx.plugins, fmt or format_for(ctx.plugins, out if isinstance(out, (str, os.PathLike)) else None)
        )
        if exporter.binary and isinstance(out, io.TextIOBase):
            raise InvalidInput("format", f"{exporter.name} is a binary format: write it to a file")
    params = {k: v for k, v in params.items() if v is not None}
    if params.get("as_of") is False:
        del params["as_of"]
    elif "as_of" in params and not _takes(report.run, "as_of"):
        able = ", ".join(n for n, r in available_reports(ctx.plugins).items() if _takes(r.run, "as_of"))
        raise InvalidInput("as of", f"report {name} cannot rebuild the book as of a past day; reports that can: {able}")
    if "collector" in params:  # a typo must not look like an empty portfolio
        records.get(ctx.db, "collectors", params["collector"])
    result = _guarded(ctx.plugins, report, f"report {name}", lambda: report.run(ctx.db, today or ctx.today(), **params))
    if not isinstance(result, ReportResult):
        raise ServiceError(
            f"plugin {ctx.plugins.plugin_of(report)}: report {name} returned"
            f" {type(result).__name__}, not a ReportResult"
        )
    if exporter is not None and out is not None:
        _export(ctx.plugins, exporter, result, out)
    return result


def _takes(run: Callable, param: str) -> bool:
    """Whether a report's ``run`` accepts ``param`` (``as_of``: it can rebuild a past day)."""
    try:
        return param in inspect.signature(run).parameters
    except (TypeError, ValueError):
        return False


def _guarded(plugins: PluginHost, thing, what: str, call: Callable):
    """``call()``; a plugin's own failure becomes one ServiceError naming the plugin (a
    ServiceError it raises on purpose, such as an unknown collector, goes through as is)."""
    try:
        return call()
    except ServiceError:
        raise
    except Exception as exc:
        raise ServiceError(f"plugin {plugins.plugin_of(thing)}: {what} failed: {exc}") from exc


def _export(plugins: PluginHost, exporter: Exporter, result: ReportResult, out) -> None:
    """Export to a stream as is; to a path through a file beside it, renamed into place
    once whole, so a failing exporter leaves no half-written file (and the old one intact)."""
    what = f"exporter {exporter.name}"
    if not isinstance(out, (str, os.PathLike)):
        _guarded(plugins, exporter, what, lambda: exporter.export(result, out))
        return
    target = Path(out)
    # made here, new and group-shared like the database (0660, whatever the umask), before
    # the exporter writes into it; set again after, in case the exporter made its own file
    partial = target.with_name(f".{target.stem}.{secrets.token_hex(4)}.partial{target.suffix}")
    try:
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except OSError as exc:
        raise ServiceError(f"{target}: cannot write the report there ({exc.strerror})") from None
    try:
        os.chmod(partial, FILE_MODE)
        _guarded(plugins, exporter, what, lambda: exporter.export(result, partial))
        os.chmod(partial, FILE_MODE)
        os.replace(partial, target)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
