"""Snapshots of the report screen (over-10k-60, its export line) and a lead's inbox at 80×24
and 160×48, on the fixed snapshot book with one item of each inbox kind added
(``inbox_book``). Review changed SVGs before accepting them with ``--snapshot-update``."""

import shutil

import pytest

from tests.console.console_helpers import make_app
from tests.console.inbox_book import add_inbox_items
from tests.console.snapshot_book import make_snapshot_book

SIZES = {"80x24": (80, 24), "160x48": (160, 48)}
OVER_10K_60 = ["R", "0"]  # the reports, then the 10th: over-10k-60


@pytest.fixture(scope="session")
def lead_book(tmp_path_factory):
    path = tmp_path_factory.mktemp("screen-snapshots") / "fixed.db"
    make_snapshot_book(path)
    add_inbox_items(path)
    return path


@pytest.fixture
def book(lead_book, tmp_path, monkeypatch):
    monkeypatch.setenv("ARCTUI_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("NO_COLOR", raising=False)  # the snapshots are in colour
    shutil.copy(lead_book, tmp_path / "book.db")
    return tmp_path / "book.db"


@pytest.mark.parametrize("size", SIZES)
def test_report_list(book, snap_compare, size):
    assert snap_compare(make_app(book), press=["R"], terminal_size=SIZES[size])


@pytest.mark.parametrize("size", SIZES)
def test_report_over_10k_60(book, snap_compare, size):
    assert snap_compare(make_app(book), press=OVER_10K_60, terminal_size=SIZES[size])


def test_report_over_10k_60_scrolled_right(book, snap_compare):
    assert snap_compare(make_app(book), press=[*OVER_10K_60, "right", "right"], terminal_size=(80, 24))


@pytest.mark.parametrize("size", SIZES)
def test_report_export_line(book, snap_compare, size):
    assert snap_compare(make_app(book), press=[*OVER_10K_60, "x"], terminal_size=SIZES[size])


@pytest.mark.parametrize("size", SIZES)
def test_inbox(book, snap_compare, size):
    assert snap_compare(make_app(book, user="lead"), press=["I"], terminal_size=SIZES[size])
