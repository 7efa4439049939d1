"""Who the book's server says is connected."""

from sqlite_utils import Database

from arctui.store.postgresql import is_postgresql


def server_login(db: Database) -> str | None:
    """The role a PostgreSQL server authenticated (``session_user``: ``SET ROLE`` does not change
    it); None for a SQLite file, where the login of the process's real uid acts."""
    return db.execute("SELECT session_user").fetchone()[0] if is_postgresql(db) else None
