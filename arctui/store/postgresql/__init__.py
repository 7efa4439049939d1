"""The PostgreSQL backend: a book at a ``postgresql://`` URL instead of a file.

Importing this package loads no driver: the SQLite path must not need psycopg (an extra,
``pip install 'arctui[postgresql]'``). ``connect`` opens the book; the rest of the store asks
``is_postgresql(db)`` where the engines differ (transactions, migrations, bulk loads).
"""

import os

URL_PREFIXES = ("postgresql://", "postgres://")


def is_url(target: str | os.PathLike) -> bool:
    """``target`` names a PostgreSQL book (a URL), not a SQLite file."""
    return str(target).startswith(URL_PREFIXES)


def is_postgresql(db) -> bool:
    """``db`` is a PostgreSQL book (``postgresql.database.PostgresDatabase``)."""
    return getattr(db, "dialect", None) == "postgresql"
