"""The PostgreSQL server the tests share: one per session, a fresh database per test module.

A server that cannot start fails every test that asked for it, with the server log's tail;
it never skips (a CI machine without PostgreSQL must not pass by running nothing).
"""

from collections.abc import Iterator

import pytest

from tests.pg import cluster


@pytest.fixture(scope="session")
def pg_server() -> Iterator[cluster.Server]:
    """A running PostgreSQL server for the whole session (superuser ``postgres``, trust on 127.0.0.1)."""
    try:
        with cluster.server() as server:
            yield server
    except cluster.ServerError as error:
        pytest.fail(f"the PostgreSQL server for the tests did not start: {error}", pytrace=False)


@pytest.fixture(scope="module")
def pg_url(pg_server: cluster.Server, request: pytest.FixtureRequest) -> str:
    """The URL of an empty database of this test module's own."""
    return pg_server.create_database(request.module.__name__.rsplit(".", 1)[-1])
