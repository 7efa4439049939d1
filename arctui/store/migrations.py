"""Numbered schema migrations, applied in order; ``PRAGMA user_version`` records the last one
(on PostgreSQL, the table ``arctui_schema``: arctui.store.postgresql.schema).

A migration is a file ``schema_NNN.sql`` in this package, numbered from 001 without gaps;
add the next number, never edit one that has shipped.
"""

import re
import sqlite3
from importlib.resources import files

from sqlite_utils import Database

from arctui.store.postgresql import is_postgresql
from arctui.store.writing import write


def sql_statements(script: str):
    """Split a script into complete statements (triggers keep their inner ``;``)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""
    if buffer.strip() and not buffer.strip().startswith("--"):
        raise ValueError(f"incomplete SQL statement: {buffer.strip()[:60]}")


def _run_sql_file(name: str):
    def run(db: Database) -> None:
        statements = list(sql_statements(files("arctui.store").joinpath(name).read_text()))
        if is_postgresql(db):
            from arctui.store.postgresql import schema

            schema.apply(db, int(name[7:10]), statements)
            return
        # statement by statement: executescript would commit the migration's transaction
        for statement in statements:
            db.execute(statement)
        db.execute(f"PRAGMA user_version = {int(name[7:10])}")

    run.__name__ = name
    return run


def _migration_files() -> list[str]:
    names = sorted(p.name for p in files("arctui.store").iterdir() if re.fullmatch(r"schema_\d{3}\.sql", p.name))
    for number, name in enumerate(names, start=1):
        if name != f"schema_{number:03}.sql":
            raise RuntimeError(f"schema migrations must be numbered without gaps: {name} is number {number}")
    return names


MIGRATIONS = [_run_sql_file(name) for name in _migration_files()]
LATEST = len(MIGRATIONS)


def schema_version(db: Database) -> int:
    if is_postgresql(db):
        from arctui.store.postgresql import schema

        return schema.version(db)
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: Database) -> list[int]:
    """Apply every pending migration, each in its own transaction; return the numbers applied."""
    applied = []
    for number in range(schema_version(db) + 1, LATEST + 1):
        with write(db, what=f"migrating the book to schema {number}"):
            MIGRATIONS[number - 1](db)
        applied.append(number)
    if is_postgresql(db):
        from arctui.store.postgresql import roles

        with write(db, what="granting the collectors' role its rights"):
            roles.apply(db)
    return applied
