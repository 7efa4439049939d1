"""The server's own guard on a PostgreSQL book: the collectors' group role and its rights (``roles.sql``)."""

from importlib.resources import files

from arctui.store.postgresql.database import PostgresDatabase


def apply(db: PostgresDatabase) -> None:
    """Run ``roles.sql`` as the book's owner, after the migrations: it grants the collectors' group
    its rights on every table there is now (a migration may have added one). Every statement may run again."""
    db.executescript(files("arctui.store.postgresql").joinpath("roles.sql").read_text())
