"""Issue 10, item 4 (outputs) and item 6 (report files), end to end: a hostile name already
in a book (written straight with sqlite3, as an older arctui or another tool would) reaches
no terminal, file or screen as raw control characters; Markdown exports carry no link; the
files ``report -o`` writes are group-shared (0660) whatever the umask.

Every command runs as the installed ``arctui`` script in a process of its own, and what it
wrote is read back as bytes."""

import os
import re
import shutil
import sqlite3
import stat
import subprocess
import zipfile

import pytest
from openpyxl import load_workbook

from arctui.console.app import ArctuiApp
from arctui.console.screens.client import ClientScreen
from arctui.domain.control_chars import has_control_chars
from arctui.locations import BUNDLED_THEMES
from arctui.services.context import Context, fixed_clock
from arctui.store.connection import connect
from tests.proof.book import TODAY, make_book, script_env

ARCTUI = shutil.which("arctui")

HOSTILE = "ACME\x1b]0;pwned\x07\x1b[2J Ltd"  # retitles the terminal, then clears the screen
SHOWN = "ACME\\x1b]0;pwned\\x07\\x1b[2J Ltd"
LINK = "[pay here](javascript:alert(1)) \u202eevil"  # a Markdown link, then a bidi override
LINK_SHOWN = "[pay here](javascript:alert(1)) \\u202eevil"
IMAGE = "![x](https://evil.test/p.png) \x9b31m"  # a Markdown image, then the 8-bit CSI
IMAGE_SHOWN = "![x](https://evil.test/p.png) \\x9b31m"
NAMES = {1: HOSTILE, 2: LINK, 3: IMAGE}
SHOWN_NAMES = [SHOWN, LINK_SHOWN, IMAGE_SHOWN]

# what must never come out: C0 but newline (and tab, CR of a CSV's line ends), DEL, C1 (as
# UTF-8), the bidi embeddings, overrides and isolates (as UTF-8)
RAW_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")


def raw_controls(data: bytes) -> list[bytes]:
    return RAW_BYTES.findall(data)


def arctui(*args, umask: int | None = None):
    """``arctui ARGS`` as a user runs it; ``umask`` the process's own (it is inherited)."""
    previous = os.umask(umask) if umask is not None else None
    try:
        return subprocess.run([ARCTUI, *map(str, args)], capture_output=True, env=script_env(), timeout=120)
    finally:
        if previous is not None:
            os.umask(previous)


@pytest.fixture
def hostile_book(tmp_path):
    """A book whose names, contact, region and collector name hold control characters and
    Markdown, written with sqlite3 behind arctui's back (no input check ran)."""
    path = make_book(tmp_path / "book.db", collectors=1, customers=3)
    conn = sqlite3.connect(path, isolation_level=None)
    for customer_id, name in NAMES.items():
        conn.execute(
            "UPDATE customers SET name = ?, region = ? WHERE id = ?", [name, f"R\x1b[5m{customer_id}", customer_id]
        )
    conn.execute("UPDATE contacts SET name = ? WHERE customer_id = 1", [HOSTILE])
    conn.execute("UPDATE collectors SET name = ? WHERE id = 'w01'", [HOSTILE])
    conn.close()
    return path


def test_the_hostile_names_are_in_the_book_as_written(hostile_book):
    conn = sqlite3.connect(hostile_book)
    names = [row[0] for row in conn.execute("SELECT name FROM customers ORDER BY id")]
    conn.close()
    assert names == [HOSTILE, LINK, IMAGE]


def test_arctui_queue_shows_the_names_escaped(hostile_book):
    run = arctui("queue", "--db", hostile_book, "--collector", "all", "--today", TODAY)
    assert run.returncode == 0, run.stderr.decode()
    assert raw_controls(run.stdout) == [] and raw_controls(run.stderr) == []
    out = run.stdout.decode()
    assert all(name[:32] in out for name in SHOWN_NAMES)  # the queue shows 32 characters of a name


def test_arctui_team_list_and_kpi_show_the_names_escaped(hostile_book):
    team = arctui("team", "list", "--db", hostile_book)
    assert team.returncode == 0, team.stderr.decode()
    assert raw_controls(team.stdout) == [] and SHOWN in team.stdout.decode()
    kpi = arctui("kpi", "--db", hostile_book, "--collector", "w01\x1b[2J", "--today", TODAY)
    assert raw_controls(kpi.stdout + kpi.stderr) == []
    assert "w01\\x1b[2J" in (kpi.stdout + kpi.stderr).decode()


@pytest.mark.parametrize("fmt", ["txt", "md", "csv", "html"])
def test_a_report_on_the_terminal_shows_the_names_escaped(hostile_book, fmt):
    run = arctui("report", "aging", "--db", hostile_book, "--today", TODAY, "--format", fmt)
    assert run.returncode == 0, run.stderr.decode()
    assert raw_controls(run.stdout) == [] and raw_controls(run.stderr) == []
    assert b"pwned" in run.stdout


def test_an_error_naming_the_hostile_text_is_escaped_too(hostile_book):
    run = arctui("report", "aging", "--db", hostile_book, "--collector", HOSTILE)
    assert run.returncode != 0
    assert raw_controls(run.stderr) == [] and SHOWN in run.stderr.decode()
    assert b"Traceback" not in run.stderr


@pytest.mark.parametrize("fmt", ["txt", "md", "csv", "xlsx", "html"])
def test_report_files_carry_no_control_character_and_are_group_shared(hostile_book, tmp_path, fmt):
    out = tmp_path / f"aging.{fmt}"
    run = arctui("report", "aging", "--db", hostile_book, "--today", TODAY, "-o", out, umask=0)
    assert run.returncode == 0, run.stderr.decode()
    assert run.stdout == b"" and raw_controls(run.stderr) == []
    assert stat.S_IMODE(out.stat().st_mode) == 0o660
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("book.db")] == [out.name]  # no partial
    if fmt == "xlsx":
        with zipfile.ZipFile(out) as archive:
            for member in archive.namelist():
                assert raw_controls(archive.read(member)) == [], member
        cells = [c.value for row in load_workbook(out).active.iter_rows() for c in row if isinstance(c.value, str)]
        assert set(SHOWN_NAMES) <= set(cells)
        return
    data = out.read_bytes()
    assert raw_controls(data) == []
    text = data.decode()
    if fmt == "md":
        assert "](javascript:" not in text and "](https:" not in text
        assert "\\[pay here\\]\\(javascript\\:alert\\(1\\)\\)" in text
    else:
        shown = [name.replace("&", "&amp;").replace("'", "&#x27;") if fmt == "html" else name for name in SHOWN_NAMES]
        assert all(name in text for name in shown), text


@pytest.mark.parametrize("mask", [0o000, 0o022, 0o077])
def test_a_report_file_is_0660_under_any_umask(hostile_book, tmp_path, mask):
    out = tmp_path / "aging.csv"
    run = arctui("report", "aging", "--db", hostile_book, "--today", TODAY, "-o", out, umask=mask)
    assert run.returncode == 0, run.stderr.decode()
    assert stat.S_IMODE(out.stat().st_mode) == 0o660


async def test_the_console_draws_the_names_escaped_and_no_control_character(hostile_book, tmp_path, monkeypatch):
    """Rich removes only BEL, BS, VT, FF and CR: the tables and the account header escape the
    rest, and the app's filter drops whatever another widget would draw."""
    monkeypatch.setenv("ARCTUI_STATE_DIR", str(tmp_path / "state"))
    app = ArctuiApp(
        Context(connect(hostile_book), "w01", fixed_clock(TODAY)), refresh_seconds=0, theme_dirs=[BUNDLED_THEMES]
    )
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        queue = screen_text(app)
        assert SHOWN in queue and IMAGE_SHOWN[:20] in queue
        app.open_client(1)
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen)
        client = screen_text(app)
        assert f"A0001 {SHOWN}" in client  # the header's title
        assert f"{SHOWN} " in client.split(f"A0001 {SHOWN}", 1)[1]  # the contact
        app.screen.title = f"arctui: {HOSTILE}"  # a widget that does not escape: the filter's
        await pilot.pause()
        assert "arctui: ACME]0;pwned[2J Ltd" in screen_text(app)
        frame = app.screen._compositor.render_update(full=True).render_segments(app.console)
        assert "\x1b]" not in frame and "\x07" not in frame and "\x1b[2J" not in frame
        assert not re.search("[\x80-\x9f\u202a-\u202e\u2066-\u2069]", frame)


def screen_text(app) -> str:
    """Every line the screen draws, as text; none may hold a control character."""
    lines = [strip.text for strip in app.screen._compositor.render_strips()]
    assert [line for line in lines if has_control_chars(line)] == []
    return "\n".join(lines)
