"""Bulk loading: statements for ``executemany``."""


def insert_sql(table: str, columns: list[str], same: dict) -> str:
    """An INSERT taking ``columns`` as parameters; ``same`` gives columns whose value every
    row shares, written into the statement instead of into a million tuples."""
    literals = [_sql_literal(value) for value in same.values()]
    return (
        f"INSERT INTO {table} ({', '.join(columns + list(same))}) VALUES ({', '.join(['?'] * len(columns) + literals)})"
    )


def _sql_literal(value: str | int) -> str:
    return str(value) if isinstance(value, int) else "'" + value.replace("'", "''") + "'"
