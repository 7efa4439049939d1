"""The PostgreSQL server the whole suite shares (one per session) and a fresh book on it per test.

A book is a database copied from a template migrated once (``CREATE DATABASE ... TEMPLATE``):
far cheaper than running the migrations for every test. A server that cannot start fails
every test that asked for it, with the server log's tail; it never skips.
"""

import itertools
from collections.abc import Iterator

import pytest

from arctui.store.connection import connect
from tests.pg import cluster

TEMPLATE = "arctui_template"
_books = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[cluster.Server]:
    """A running PostgreSQL server for the whole session (superuser ``postgres``, trust on 127.0.0.1)."""
    try:
        with cluster.server() as server:
            yield server
    except cluster.ServerError as error:
        pytest.fail(f"the PostgreSQL server for the tests did not start: {error}", pytrace=False)


@pytest.fixture(scope="session")
def pg_template(pg_server: cluster.Server) -> str:
    """An empty book at the latest schema, to copy."""
    pg_server.execute(f'CREATE DATABASE "{TEMPLATE}"')
    connect(pg_server.url(TEMPLATE), create=True).close()
    return TEMPLATE


@pytest.fixture
def pg_book(pg_server: cluster.Server, pg_template: str) -> Iterator[str]:
    """The URL of a new empty book of this test's own, dropped after it."""
    name = f"book_{next(_books)}"
    pg_server.execute(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
    yield pg_server.url(name)
    pg_server.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
