"""Console fixtures: a small sample book made once per session, copied for each test."""

import shutil

import pytest

from arctui.sample import SampleSpec, generate
from tests.console.console_helpers import TODAY


@pytest.fixture(scope="session")
def small_book(tmp_path_factory):
    path = tmp_path_factory.mktemp("book") / "small.db"
    generate(path, SampleSpec(customers=40, invoices=600, seed=7, today=TODAY))
    return path


@pytest.fixture
def book(small_book, tmp_path, monkeypatch):
    """A fresh copy of the small book; the console's state (remembered theme) under tmp_path."""
    monkeypatch.setenv("ARCTUI_STATE_DIR", str(tmp_path / "state"))
    path = tmp_path / "book.db"
    shutil.copy(small_book, path)
    return path
