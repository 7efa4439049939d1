"""The numbered migrations on PostgreSQL: the same numbers as SQLite's, recorded in ``arctui_schema``.

Migration N is SQLite's ``schema_NNN.sql`` translated (``dialect.translate_ddl``) without its
triggers, then its triggers: ``postgresql/schema_NNN.sql`` when there is one (PL/pgSQL twins
written by hand, and what else PostgreSQL needs: the SQLite functions it lacks, in 001), else
each made from SQLite's (``triggers.twin``). Where SQLite's file cannot be translated at all,
``postgresql/schema_NNN_instead.sql`` is the whole migration. A migration runs inside the write
transaction ``migrations.migrate`` opens: PostgreSQL's DDL is transactional, so a migration is
applied whole or not at all.
"""

from importlib.resources import files

from arctui.store.postgresql import triggers
from arctui.store.postgresql.database import PostgresDatabase
from arctui.store.postgresql.dialect import translate_ddl

_TRIGGER_STATEMENTS = ("CREATE TRIGGER", "DROP TRIGGER")


def version(db: PostgresDatabase) -> int:
    if db.execute("SELECT to_regclass('arctui_schema')").fetchone()[0] is None:
        return 0
    row = db.execute("SELECT version FROM arctui_schema").fetchone()
    return row[0] if row else 0


def apply(db: PostgresDatabase, number: int, statements) -> None:
    """Migration ``number``, given the statements of SQLite's file."""
    here = files("arctui.store.postgresql")
    instead, own = here.joinpath(f"schema_{number:03}_instead.sql"), here.joinpath(f"schema_{number:03}.sql")
    if instead.is_file():
        db.executescript(instead.read_text())
    else:
        kept, trigger_statements = split_triggers(statements)
        if kept:
            db.executescript(translate_ddl("\n".join(kept)))
        if own.is_file():
            db.executescript(own.read_text())
        else:
            for statement in trigger_statements:
                db.executescript(triggers.twin(db, statement) or "SELECT 1")
    db.raw.execute(
        "INSERT INTO arctui_schema (id, version) VALUES (1, %s)"
        " ON CONFLICT (id) DO UPDATE SET version = excluded.version",
        [number],
    )
    db.forget_columns()


def split_triggers(statements) -> tuple[list[str], list[str]]:
    """(the statements that are no trigger's, the CREATE and DROP TRIGGER statements without their
    comments), each in order."""
    bare = [_without_comments(s) for s in statements]
    marked = [s.upper().startswith(_TRIGGER_STATEMENTS) for s in bare]
    return [s for s, t in zip(statements, marked) if not t], [s for s, t in zip(bare, marked) if t]


def _without_comments(statement: str) -> str:
    lines = [line for line in statement.splitlines() if not line.lstrip().startswith("--")]
    return "\n".join(lines).strip()
