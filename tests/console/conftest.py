"""Console fixtures: a small sample book made once per session, copied for each test.

A module marked ``pytestmark = BOTH_BACKENDS`` (console_helpers), or a test so decorated, runs
on a PostgreSQL copy too: the book moved once into a database of the suite's server (``arctui
migrate --to``), then a database made from it per test. A module with a book of its own (the
inbox's) copies it with ``book_copy`` the same way.
"""

import itertools
import shutil

import pytest

from arctui.sample import SampleSpec, generate
from arctui.store.connection import BUSY_TIMEOUT_SECONDS, connect
from arctui.store.postgresql.moving import move
from tests.console.console_helpers import TODAY


@pytest.fixture(scope="session")
def small_book(tmp_path_factory):
    path = tmp_path_factory.mktemp("book") / "small.db"
    generate(path, SampleSpec(customers=40, invoices=600, seed=7, today=TODAY))
    return path


_copies = itertools.count(1)
_templates: dict[tuple, str] = {}  # (server port, a SQLite book's path) -> the database it was moved into


def book_copy(source, request, tmp_path):
    """A fresh copy of the SQLite book at ``source`` for one test: a file, or, when the test's
    ``book`` is parametrized "postgresql", a database of the suite's server made from a template
    the book was moved into once (nobody connects to a template)."""
    if getattr(request, "param", "sqlite") != "postgresql":
        path = tmp_path / "book.db"
        shutil.copy(source, path)
        return path
    server = request.getfixturevalue("pg_server")
    template = _templates.get((server.port, source))
    if template is None:
        db, url = connect(source), server.create_database("console")
        try:
            move(db, url, BUSY_TIMEOUT_SECONDS)
        finally:
            db.close()
        template = _templates[server.port, source] = url.rsplit("/", 1)[-1]
    name = f"console_copy_{next(_copies)}"
    server.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return server.url(name)


@pytest.fixture
def book(small_book, tmp_path, monkeypatch, request):
    """A fresh copy of the small book; the console's state (remembered theme) under tmp_path."""
    monkeypatch.setenv("ARCTUI_STATE_DIR", str(tmp_path / "state"))
    return book_copy(small_book, request, tmp_path)
