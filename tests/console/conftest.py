"""Console fixtures: a small sample book made once per session, copied for each test.

A module marked ``pytestmark = pytest.mark.parametrize("book", ["sqlite", "postgresql"],
indirect=True)`` runs its tests on a PostgreSQL copy too: the sample moved once into a database
of the suite's server (``arctui migrate --to``), then a database made from it per test.
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


@pytest.fixture(scope="session")
def small_pg_book(small_book, pg_server) -> str:
    """The small book moved into a database of the suite's server (a template: nobody connects to it)."""
    source, url = connect(small_book), pg_server.create_database("console")
    try:
        move(source, url, BUSY_TIMEOUT_SECONDS)
    finally:
        source.close()
    return url.rsplit("/", 1)[-1]


@pytest.fixture
def book(small_book, tmp_path, monkeypatch, request):
    """A fresh copy of the small book; the console's state (remembered theme) under tmp_path."""
    monkeypatch.setenv("ARCTUI_STATE_DIR", str(tmp_path / "state"))
    if getattr(request, "param", "sqlite") == "postgresql":
        server, name = request.getfixturevalue("pg_server"), f"console_copy_{next(_copies)}"
        server.execute(f'CREATE DATABASE "{name}" TEMPLATE "{request.getfixturevalue("small_pg_book")}"')
        return server.url(name)
    path = tmp_path / "book.db"
    shutil.copy(small_book, path)
    return path
