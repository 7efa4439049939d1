"""Text a report shows is escaped once, for every format: control characters as visible
escapes (``visible``), Markdown special characters so no cell becomes a link, and the files
written are group-shared (0660) whatever the umask."""

import csv
import io
import os
import re
import stat
from datetime import date

import pytest
from markdown_it import MarkdownIt
from openpyxl import load_workbook

from arctui import hookimpl
from arctui.domain.control_chars import CONTROL_CHARS, has_control_chars, visible, without_control_chars
from arctui.plugins import PluginHost
from arctui.services.context import Context, fixed_clock
from arctui.services.errors import ServiceError
from arctui.services.reports import (
    Column,
    Exporter,
    Money,
    Report,
    ReportResult,
    Section,
    available_exporters,
    open_output,
    run_report,
)
from tests.reports.conftest import PLUGINS, TODAY

HOSTILE = "ACME\x1b]0;pwned\x07\x1b[2J Ltd"
SHOWN = "ACME\\x1b]0;pwned\\x07\\x1b[2J Ltd"
# any character of the class: C0 (tab and newline too: a report cell is one line), DEL, C1, bidi
RAW = re.compile(f"[{CONTROL_CHARS}]")
TEXT_FORMATS = ("txt", "md", "csv", "html")


@pytest.mark.parametrize(
    "text, shown",
    [
        (HOSTILE, SHOWN),
        ("tab\there\nnew\rline", "tab\\there\\nnew\\rline"),
        ("\x00\x7f\x85\x9b31m", "\\x00\\x7f\\x85\\x9b31m"),
        ("evil\u202egnp.exe \u2066x\u2069", "evil\\u202egnp.exe \\u2066x\\u2069"),
        ("Müller & Søn · 東京", "Müller & Søn · 東京"),  # printable text is left alone
        ("C:\\path", "C:\\path"),
    ],
)
def test_visible_writes_each_control_character_as_an_escape(text, shown):
    assert visible(text) == shown
    assert visible(shown) == shown  # escaping twice changes nothing
    assert not has_control_chars(shown)


def test_visible_keeps_what_it_is_told_to_and_without_drops_them():
    assert visible("a\nb\tc\x1bd", keep="\n") == "a\nb\\tc\\x1bd"
    assert without_control_chars(HOSTILE) == "ACME]0;pwned[2J Ltd"


def hostile_result(today=TODAY) -> ReportResult:
    """A report of a book holding control characters everywhere a report shows text."""
    return ReportResult(
        f"Aging {HOSTILE}",
        today,
        [
            Column("name", "Customer\x1b[31m", "text"),
            Column("total", "Total", "money"),
            Column("seen", "Seen", "date"),
        ],
        [
            Section(
                f"Group {HOSTILE}",
                [{"name": HOSTILE, "total": Money(1_234_56, "USD"), "seen": date(2026, 11, 20)}],
                [{"name": "Subtotal\u202e", "total": Money(1_234_56, "USD")}],
            )
        ],
        totals=[{"name": "Total", "total": Money(1_234_56, "USD")}],
        notes=[f"note {HOSTILE}\nsecond line"],
    )


def test_a_report_result_gives_out_only_escaped_text():
    result = hostile_result()
    assert result.title == f"Aging {SHOWN}"
    assert result.columns[0].label == "Customer\\x1b[31m"
    assert result.sections[0].title == f"Group {SHOWN}"
    assert result.notes == [f"note {SHOWN}\\nsecond line"]
    lines = result.lines()
    assert lines[0] == ("group", [f"Group {SHOWN}", None, None])
    assert lines[1] == ("row", [SHOWN, Money(1_234_56, "USD"), date(2026, 11, 20)])
    assert result.text_lines()[1] == ("row", [SHOWN, "$1,234.56", "2026-11-20"])
    assert result.text_lines()[2][1][0] == "Subtotal\\u202e"


def export(fmt: str, target=None):
    exporter = available_exporters(PLUGINS)[fmt]
    target = target if target is not None else io.StringIO()
    exporter.export(hostile_result(), target)
    return target.getvalue() if isinstance(target, io.StringIO) else target


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_no_text_format_writes_a_control_character(fmt):
    text = export(fmt)
    assert RAW.findall(text.replace("\r\n", "\n").replace("\n", "")) == []
    assert "pwned" in text and "x1b" in text


def test_csv_shows_the_escaped_name_and_still_neutralises_formulas():
    rows = list(csv.reader(io.StringIO(export("csv"))))
    assert rows[0] == ["Customer\\x1b[31m", "Total", "Seen"]
    assert rows[1] == [SHOWN, "1234.56", "2026-11-20"]


def test_xlsx_exports_and_reads_back_the_escaped_name(tmp_path):
    path = export("xlsx", tmp_path / "aging.xlsx")
    sheet = load_workbook(path).active
    assert sheet["A1"].value == "Customer\\x1b[31m"
    assert sheet["A2"].value == f"Group {SHOWN}"
    assert sheet["A3"].value == SHOWN
    assert sheet.title == "Aging ACME x1b 0;pwned x07 x1b"  # Excel refuses \\ [ ] : in a sheet's name
    assert load_workbook(path).properties.title.startswith(f"Aging {SHOWN} (as of")


def test_html_escapes_entities_after_the_control_characters():
    text = export("html")
    assert f"<td>{SHOWN}</td>" in text
    assert f"<title>Aging {SHOWN}</title>" in text


# every way a Markdown cell could turn into a link, an image or markup
MARKDOWN_ATTACKS = [
    "[click](javascript:alert(1))",
    "![x](https://evil.test/pixel.png)",
    "[ref][1]\n\n[1]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "<https://evil.test>",
    '<a href="javascript:alert(1)">x</a>',
    "<img src=x onerror=alert(1)>",
    "https://evil.test/x",
    "www.evil.com",
    "evil.com/x",
    "mail me: evil@evil.com",
    "&#x6a;avascript&#58;alert(1)",
    "`code` **bold** _em_ ~~gone~~",
    "[x]\n\n[x]: https://evil.test",
    "a | b | c",
]
# a renderer as eager as any: raw HTML on, every link accepted (javascript: included), bare
# URLs, domains and emails linked
MARKDOWN = MarkdownIt("commonmark", {"linkify": True, "html": True}).enable(["table", "strikethrough", "linkify"])
MARKDOWN.validateLink = lambda url: True
MARKDOWN.linkify.set({"fuzzy_link": True, "fuzzy_email": True})


def markdown_of(names: list[str]) -> str:
    result = ReportResult(
        "Names [t](javascript:x)",
        TODAY,
        [Column("name", "Name <b>", "text"), Column("n", "N", "int")],
        [Section("Group ![i](x)", [{"name": name, "n": 1_234} for name in names])],
        notes=[f"note {name}" for name in names],
    )
    stream = io.StringIO()
    available_exporters(PLUGINS)["md"].export(result, stream)
    return stream.getvalue()


def test_markdown_cells_never_become_links_images_or_html():
    text = markdown_of(MARKDOWN_ATTACKS)
    assert "](javascript:" not in text and "](https:" not in text
    rendered = MARKDOWN.render(text)
    assert "<a " not in rendered and "<img" not in rendered and "<code>" not in rendered
    assert "<em>" not in rendered and "<s>" not in rendered and "<b>" not in rendered
    # the table kept its shape: one row per name, two cells each
    assert rendered.count("<tr>") == 1 + len(MARKDOWN_ATTACKS) + 1  # header, rows, the group title
    assert "1,234" in text


def test_markdown_shows_the_text_as_it_was():
    rendered = MARKDOWN.render(markdown_of(["[click](javascript:alert(1)) & www.evil.com 12:30 1,234.56"]))
    assert "[click](javascript:alert(1)) &amp; www.evil.com 12:30 1,234.56" in rendered


def test_the_renderer_of_these_tests_would_make_links_of_unescaped_text():
    for text in MARKDOWN_ATTACKS[:2] + ["<javascript:alert(1)>", "www.evil.com", "evil.com/x", "evil@evil.com"]:
        assert "<a " in MARKDOWN.render(text) or "<img" in MARKDOWN.render(text), text


# ---- file modes -------------------------------------------------------------------------


@pytest.fixture
def umask():
    """A permissive umask for the test (the group-shared mode must not depend on it)."""
    previous = os.umask(0)
    yield
    os.umask(previous)


@pytest.fixture
def ctx(book):
    return Context(book, "lead", fixed_clock(TODAY), plugins=PLUGINS)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize("fmt", ["txt", "md", "csv", "html", "xlsx"])
@pytest.mark.parametrize("mask", [0o000, 0o022, 0o077])
def test_a_report_file_is_group_shared_whatever_the_umask(ctx, tmp_path, fmt, mask):
    previous = os.umask(mask)
    try:
        out = tmp_path / f"aging.{fmt}"
        run_report(ctx, "aging", fmt, out, TODAY)
    finally:
        os.umask(previous)
    assert mode(out) == 0o660
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no partial file left


def test_a_report_replacing_a_world_readable_file_leaves_it_group_shared(ctx, tmp_path, umask):
    out = tmp_path / "aging.txt"
    out.write_text("old")
    out.chmod(0o666)
    run_report(ctx, "aging", "txt", out, TODAY)
    assert mode(out) == 0o660 and "Aging" in out.read_text()


def with_exporter(book, export) -> Context:
    """A context whose plugins are a report "one" and an exporter "own" doing ``export``."""

    class Own:
        @hookimpl
        def register_report_exporters(self, register):
            register(Exporter("own", "own", "a team's exporter", export))

        @hookimpl
        def register_reports(self, register):
            register(Report("one", "One", "one row", lambda db, today, **_: hostile_result(today)))

    plugins = PluginHost(entry_points=False)
    plugins.register(Own(), name="own_plugin")
    return Context(book, "lead", fixed_clock(TODAY), plugins=plugins)


def test_the_partial_file_is_group_shared_while_it_is_written(book, tmp_path, umask):
    seen = {}

    def export_noting_mode(result, target):
        seen["mode"] = mode(target)
        with open_output(target) as stream:
            stream.write("ok")

    out = tmp_path / "one.own"
    run_report(with_exporter(book, export_noting_mode), "one", "own", out, TODAY)
    assert seen["mode"] == 0o660 and mode(out) == 0o660


def test_an_exporter_that_makes_its_own_file_still_leaves_it_group_shared(book, tmp_path, umask):
    def export_replacing(result, target):
        os.unlink(target)
        with open(target, "w") as stream:  # 0666 under this umask
            stream.write("mine")

    out = tmp_path / "one.own"
    run_report(with_exporter(book, export_replacing), "one", "own", out, TODAY)
    assert mode(out) == 0o660 and out.read_text() == "mine"


def test_open_output_makes_a_new_file_group_shared(tmp_path, umask):
    path = tmp_path / "direct.txt"
    with open_output(path) as stream:
        stream.write("x")
    assert mode(path) == 0o660


def test_a_folder_that_does_not_exist_is_one_service_error(ctx, tmp_path):
    with pytest.raises(ServiceError, match=r"missing/aging.txt: cannot write the report there \(No such file"):
        run_report(ctx, "aging", "txt", tmp_path / "missing" / "aging.txt", TODAY)
