"""The numbered migrations on PostgreSQL: the same numbers as SQLite's, recorded in ``arctui_schema``.

Migration N is SQLite's ``schema_NNN.sql`` translated (``dialect.translate_ddl``) without its
triggers, then ``postgresql/schema_NNN.sql`` when there is one: the PL/pgSQL twins of those
triggers and what else PostgreSQL needs (the SQLite functions it lacks, in 001). Where SQLite's
file cannot be translated at all (a generated column reading another, which PostgreSQL
refuses), ``postgresql/schema_NNN_instead.sql`` is the whole migration. A SQLite file with
triggers and no twin is refused: its tables would silently go unkept. A migration runs inside
the write transaction ``migrations.migrate`` opens: PostgreSQL's DDL is transactional, so a
migration is applied whole or not at all.
"""

from importlib.resources import files

from arctui.store.postgresql.database import PostgresDatabase
from arctui.store.postgresql.dialect import translate_ddl

_TRIGGER_STATEMENTS = ("CREATE TRIGGER", "DROP TRIGGER")


def version(db: PostgresDatabase) -> int:
    if db.execute("SELECT to_regclass('arctui_schema')").fetchone()[0] is None:
        return 0
    row = db.execute("SELECT version FROM arctui_schema").fetchone()
    return row[0] if row else 0


def scripts(number: int, statements) -> list[str]:
    """What migration ``number`` runs on PostgreSQL, given the statements of SQLite's file."""
    here = files("arctui.store.postgresql")
    instead, twin = here.joinpath(f"schema_{number:03}_instead.sql"), here.joinpath(f"schema_{number:03}.sql")
    if instead.is_file():
        return [instead.read_text()]
    kept = [s for s in statements if not _without_comments(s).upper().startswith(_TRIGGER_STATEMENTS)]
    if len(kept) < len(statements) and not twin.is_file():
        raise RuntimeError(
            f"schema_{number:03}.sql has triggers: PostgreSQL needs their twins in postgresql/schema_{number:03}.sql"
        )
    return ([translate_ddl("\n".join(kept))] if kept else []) + ([twin.read_text()] if twin.is_file() else [])


def apply(db: PostgresDatabase, number: int, statements) -> None:
    """Migration ``number``, given the statements of SQLite's file."""
    for script in scripts(number, list(statements)):
        db.executescript(script)
    db.raw.execute(
        "INSERT INTO arctui_schema (id, version) VALUES (1, %s)"
        " ON CONFLICT (id) DO UPDATE SET version = excluded.version",
        [number],
    )
    db.forget_columns()


def _without_comments(statement: str) -> str:
    lines = [line for line in statement.splitlines() if not line.lstrip().startswith("--")]
    return "\n".join(lines).strip()
