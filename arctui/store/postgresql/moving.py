"""Moving a SQLite book into an empty PostgreSQL database (``arctui migrate --to URL``).

The target gets the latest schema, then one write transaction copies every table as the
source stood at one moment (a read transaction on the file: the team may keep working), row
for row with PostgreSQL's COPY, parents before the rows pointing at them. Our triggers stand
aside meanwhile (``DISABLE TRIGGER USER``): the derived tables are copied as they are and the
audit trail keeps its ids and hashes. The collectors' table keeps its trigger, so each collector
gets their login role as when added. Before the transaction commits, the two books must agree on
every table's row count, the ledger's totals and the audit chain (verified on both sides, the
same head): otherwise nothing of the data is kept and the move is refused, saying what differs.
A kept copy is vacuumed and analysed at once.
"""

from dataclasses import dataclass

from sqlite_utils import Database

from arctui.store import audit
from arctui.store.bulk import snapshot
from arctui.store.errors import StoreError
from arctui.store.postgresql.connection import open_book, shown
from arctui.store.postgresql.database import PostgresDatabase
from arctui.store.read.book import foreign_keys, ledger_totals, row_counts
from arctui.store.writing import write

# keeps its trigger while copied: the collectors' login roles (roles.sql)
_TRIGGERS_KEPT = {"collectors"}


@dataclass(frozen=True)
class Moved:
    """What was copied and checked on both sides."""

    rows: dict[str, int]
    totals: list[dict]
    audit_rows: int
    audit_head: str


def move(source: Database, url: str, busy_timeout: float) -> Moved:
    """Copy ``source`` into the empty database at ``url``; refuse a database that has tables."""
    from arctui.store.connection import connect

    refuse_unless_empty(url, busy_timeout)
    target = connect(url, create=True, busy_timeout=busy_timeout)
    try:
        with snapshot(source), write(target, what="moving a book in"):
            _copy(source, target)
            moved = _checked(source, target, url)
        _vacuum(target)
        return moved
    finally:
        target.close()


def refuse_unless_empty(url: str, busy_timeout: float) -> None:
    """A StoreError unless the database at ``url`` has no tables (a book goes into an empty one only)."""
    probe = open_book(url, busy_timeout)
    try:
        tables = probe.table_names()
    finally:
        probe.close()
    if tables:
        raise StoreError(
            f"{shown(url)}: not an empty database ({len(tables)} tables, e.g. {tables[0]});"
            " a book moves into an empty one only"
        )


def _copy(source: Database, target: PostgresDatabase) -> None:
    for table in _parents_first(source):
        if table not in _TRIGGERS_KEPT:
            target.raw.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
        target.raw.execute(f'DELETE FROM "{table}"')  # what the migrations wrote (the default strategy, states)
        generated = _generated_columns(target, table)  # the server computes them again (schema 17's score)
        columns = [c for c in source[table].columns_dict if c not in generated]
        cursor = source.execute(f"SELECT {', '.join(f'[{c}]' for c in columns)} FROM [{table}]")
        target.copy_rows(table, columns, cursor)
        if table not in _TRIGGERS_KEPT:
            target.raw.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
        if target.columns(table).get("id") == "bigint":
            target.catch_up_ids(table)


def _vacuum(target: PostgresDatabase) -> None:
    """Vacuum and analyse the copied tables now rather than when autovacuum gets to them: without
    the planner's statistics the first reads plan as if the tables were empty, and without the
    visibility map every index-only scan reads the table's rows too (3-7× slower at first)."""
    tables = ", ".join(f'"{table}"' for table in target.table_names())
    target.raw.execute(f"VACUUM (ANALYZE) {tables}")


def _generated_columns(target: PostgresDatabase, table: str) -> set[str]:
    return {
        row[0]
        for row in target.raw.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
            " AND table_name = %s AND is_generated <> 'NEVER'",
            [table],
        )
    }


def _parents_first(source: Database) -> list[str]:
    ordered: list[str] = []
    pending = {t: set(foreign_keys(source, t)) for t in source.table_names() if not t.startswith("sqlite_")}
    while pending:
        ready = sorted(t for t, parents in pending.items() if parents <= set(ordered) | {t})
        if not ready:
            raise StoreError(f"the tables' foreign keys go round in a circle: {sorted(pending)}")
        ordered += ready
        for table in ready:
            del pending[table]
    return ordered


def _checked(source: Database, target: PostgresDatabase, url: str) -> Moved:
    counts = row_counts(source)
    copied = {t: n for t, n in row_counts(target).items() if t in counts}
    totals = ledger_totals(source)
    problems = [f"{t}: {n} rows in the file, {copied.get(t)} copied" for t, n in counts.items() if copied.get(t) != n]
    if ledger_totals(target) != totals:
        problems.append("the ledger's totals differ")
    for side, db in (("the file", source), (shown(url), target)):
        _, bad, why = audit.verify(db)
        if bad is not None:
            problems.append(f"audit row {bad} in {side} {why}")
    head = audit.head(source)
    if audit.head(target) != head:
        problems.append("the audit trails end on different rows")
    if problems:
        raise StoreError("the copy was not kept: " + "; ".join(problems))
    return Moved(counts, totals, head.rows, head.hash)
