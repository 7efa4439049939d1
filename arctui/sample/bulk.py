"""Bulk loading: statements for ``executemany`` and indexes set aside during a load."""


def drop_indexes(db, tables) -> list[str]:
    """Drop the indexes of ``tables`` that the schema declares; return their SQL to rebuild."""
    marks = ", ".join("?" * len(tables))
    indexes = db.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                         f" AND sql IS NOT NULL AND tbl_name IN ({marks}) ORDER BY name",
                         list(tables)).fetchall()
    for name, _ in indexes:
        db.execute(f"DROP INDEX [{name}]")
    return [sql for _, sql in indexes]


def insert_sql(table: str, columns: list[str], same: dict) -> str:
    """An INSERT taking ``columns`` as parameters; ``same`` gives columns whose value every
    row shares, written into the statement instead of into a million tuples."""
    literals = [_sql_literal(value) for value in same.values()]
    return (f"INSERT INTO {table} ({', '.join(columns + list(same))})"
            f" VALUES ({', '.join(['?'] * len(columns) + literals)})")


def _sql_literal(value: str | int) -> str:
    return str(value) if isinstance(value, int) else "'" + value.replace("'", "''") + "'"
