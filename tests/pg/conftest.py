"""A database of this test module's own on the suite's PostgreSQL server (``pg_server``, tests/conftest.py)."""

import pytest

from tests.pg import cluster


@pytest.fixture(scope="module")
def pg_url(pg_server: cluster.Server, request: pytest.FixtureRequest) -> str:
    """The URL of an empty database (no schema) of this test module's own."""
    return pg_server.create_database(request.module.__name__.rsplit(".", 1)[-1])
