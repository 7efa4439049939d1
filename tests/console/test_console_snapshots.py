"""Snapshots of the main screens on the small sample book, today fixed at 2026-11-23.

The footers list the forms' action keys, so a new action changes them: review the changed
SVGs in the report before accepting them with ``--snapshot-update``.
"""
from tests.console.console_helpers import make_app


def test_queue_wide(book, snap_compare):
    assert snap_compare(make_app(book), terminal_size=(140, 32))


def test_queue_at_80x24(book, snap_compare):
    assert snap_compare(make_app(book), terminal_size=(80, 24))


def test_client_screen(book, snap_compare):
    assert snap_compare(make_app(book), press=["j", "enter"], terminal_size=(120, 36))


def test_invoice_view_filtered(book, snap_compare):
    assert snap_compare(make_app(book), press=["i", "slash", *"b:61-90", "enter"],
                        terminal_size=(120, 30))

