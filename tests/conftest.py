"""The PostgreSQL server the whole suite shares (one per session) and an empty book on it per test.

The book is one database, migrated once and emptied back to what the migrations left in it
before each test (TRUNCATE, then the migrations' own rows again): a few milliseconds, where a
database per test (CREATE DATABASE ... TEMPLATE) took a third of a second. A server that cannot
start fails every test that asked for it, with the server log's tail; it never skips.

A test whose book fixture takes ``book_target`` runs on both backends: a SQLite file and a
PostgreSQL book. A test of something only SQLite has (the uid as the login, a file's path) is
marked ``sqlite_only`` and says why.
"""

from collections.abc import Iterator

import psycopg
import pytest

from arctui.store.connection import connect
from tests.pg import cluster

BOOK = "arctui_book"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[cluster.Server]:
    """A running PostgreSQL server for the whole session (superuser ``postgres``, trust on 127.0.0.1)."""
    try:
        with cluster.server() as server:
            yield server
    except cluster.ServerError as error:
        pytest.fail(f"the PostgreSQL server for the tests did not start: {error}", pytrace=False)


class _Book:
    """The one book on the server, and how to make it empty again."""

    def __init__(self, server: cluster.Server):
        server.execute(f'CREATE DATABASE "{BOOK}"')
        self.url = server.url(BOOK)
        connect(self.url, create=True).close()
        self.admin = psycopg.connect(self.url, autocommit=True)
        tables = [r[0] for r in self.admin.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        self.tables = ", ".join(f'"{t}"' for t in tables)
        self.seed = {t: self.admin.execute(f'SELECT * FROM "{t}"').fetchall() for t in tables}
        self.seed = {t: rows for t, rows in self.seed.items() if rows}

    def empty(self) -> None:
        """Every table as the migrations left it, the ids starting again at 1; nobody else connected."""
        self.admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        with self.admin.transaction():
            self.admin.execute("SET LOCAL session_replication_role = replica")  # the audit's triggers stand aside
            self.admin.execute(f"TRUNCATE {self.tables} RESTART IDENTITY")
            for table, rows in self.seed.items():
                with self.admin.cursor().copy(f'COPY "{table}" FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
                self.admin.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), max(id)) FROM \"{table}\""
                    f" WHERE pg_get_serial_sequence(%s, 'id') IS NOT NULL",
                    [table, table],
                )


@pytest.fixture(scope="session")
def pg_shared_book(pg_server: cluster.Server) -> Iterator[_Book]:
    book = _Book(pg_server)
    yield book
    book.admin.close()


@pytest.fixture
def pg_book(pg_shared_book: _Book) -> str:
    """The URL of an empty book at the latest schema, for this test alone."""
    pg_shared_book.empty()
    return pg_shared_book.url


def pytest_generate_tests(metafunc):
    if "book_target" in metafunc.fixturenames:
        sqlite_only = metafunc.definition.get_closest_marker("sqlite_only")
        metafunc.parametrize("backend", ["sqlite"] if sqlite_only else ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def backend(request) -> str:
    return request.param


@pytest.fixture
def book_target(backend: str, tmp_path, request):
    """Where the test's book is: a file, or a fresh PostgreSQL database (its URL)."""
    if backend == "postgresql":
        return request.getfixturevalue("pg_book")
    return tmp_path / "book.db"
