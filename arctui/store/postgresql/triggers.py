"""SQLite's triggers as PostgreSQL's: a migration's ``CREATE TRIGGER`` becomes a PL/pgSQL function
running the same statements (in PostgreSQL's dialect) when the trigger's WHEN holds, and a trigger
calling it; ``DROP TRIGGER`` drops both. A migration whose triggers need more than that (a
``RAISE`` of SQLite's, as the audit trail's) has its own twin in ``postgresql/schema_NNN.sql``.
"""

import re

from arctui.store.postgresql.database import PostgresDatabase
from arctui.store.postgresql.dialect import complete_upsert, split_statements, translate, upsert_table

_CREATE = re.compile(
    r"^CREATE\s+TRIGGER\s+(?P<name>\w+)\s+(?P<timing>BEFORE|AFTER)\s+(?P<event>INSERT|DELETE|UPDATE(?:\s+OF\s+.+?)?)"
    r"\s+ON\s+(?P<table>\w+)(?:\s+WHEN\s+(?P<when>.+?))?\s+BEGIN\s+(?P<body>.*)\bEND\s*;?$",
    re.IGNORECASE | re.DOTALL,
)
_DROP = re.compile(r"^DROP\s+TRIGGER\s+(?:IF\s+EXISTS\s+)?(?P<name>\w+)\s*;?$", re.IGNORECASE)


def twin(db: PostgresDatabase, statement: str) -> str:
    """PostgreSQL's statements for one of SQLite's ``CREATE TRIGGER`` or ``DROP TRIGGER``."""
    dropped = _DROP.match(statement)
    if dropped:
        return _drop(db, dropped["name"])
    found = _CREATE.match(statement)
    if found is None or re.search(r"\bRAISE\s*\(", found["body"], re.IGNORECASE):
        raise RuntimeError(f"no PL/pgSQL twin made for: {statement[:80]}; write it in postgresql/schema_NNN.sql")
    name, table = found["name"], found["table"]
    body = ";\n    ".join(_statement(db, s) for s in split_statements(found["body"]))
    row = (
        "RETURN NULL" if found["timing"].upper() == "AFTER" else "RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END"
    )
    return f"""
CREATE OR REPLACE FUNCTION arctui_{name}() RETURNS trigger LANGUAGE plpgsql AS $twin$
BEGIN
  IF {translate(found["when"], with_params=False) if found["when"] else "true"} THEN
    {body};
  END IF;
  {row};
END $twin$;
CREATE TRIGGER {name} {found["timing"]} {translate(found["event"], with_params=False)} ON {table}
  FOR EACH ROW EXECUTE FUNCTION arctui_{name}();
"""


def _statement(db: PostgresDatabase, sql: str) -> str:
    translated = translate(sql, with_params=False)
    table = upsert_table(translated)
    if table:
        return complete_upsert(translated, table, db.primary_key(table), db.settable(table))
    return translated


def _drop(db: PostgresDatabase, name: str) -> str:
    """A trigger made from SQLite's (a hand-written twin may have another name: nothing to drop)."""
    found = db.execute("SELECT CAST(tgrelid AS regclass) FROM pg_trigger WHERE tgname = ?", [name]).fetchone()
    if found is None:
        return ""
    return f'DROP TRIGGER "{name}" ON {found[0]};\nDROP FUNCTION IF EXISTS arctui_{name}();\n'
