"""Snapshots of the main screens on a small fixed book, today fixed at 2026-11-23.

The footers list the forms' action keys, so a new action changes them: review the changed
SVGs in the report before accepting them with ``--snapshot-update``.
"""

import shutil

import pytest

from tests.console.console_helpers import make_app
from tests.console.snapshot_book import make_snapshot_book


@pytest.fixture(scope="session")
def fixed_book(tmp_path_factory):
    path = tmp_path_factory.mktemp("snapshots") / "fixed.db"
    make_snapshot_book(path)
    return path


@pytest.fixture
def app(fixed_book, tmp_path, monkeypatch):
    monkeypatch.setenv("ARCTUI_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("NO_COLOR", raising=False)  # the snapshots are in colour
    shutil.copy(fixed_book, tmp_path / "book.db")
    return make_app(tmp_path / "book.db")


def test_queue_wide(app, snap_compare):
    assert snap_compare(app, terminal_size=(140, 32))


def test_queue_at_80x24(app, snap_compare):
    assert snap_compare(app, terminal_size=(80, 24))


def test_client_screen(app, snap_compare):
    assert snap_compare(app, press=["G", "enter"], terminal_size=(120, 36))


def test_invoice_view_filtered(app, snap_compare):
    assert snap_compare(app, press=["i", "slash", *"b:61-90", "enter"], terminal_size=(120, 30))
