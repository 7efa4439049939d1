"""A PostgreSQL book behind the few calls the code makes of sqlite-utils' ``Database``.

``execute`` / ``query`` take our SQLite-dialect SQL (``dialect.translate``) and answer like
sqlite3: a cursor with ``fetchone``, ``fetchall``, ``lastrowid`` and ``rowcount``, rows as
tuples, ``db.query`` rows as dicts. Values keep SQLite's Python types: a sum of integers is an
``int`` (PostgreSQL makes it ``numeric``), an average a ``float``, a condition 1 or 0, JSON is text, and a
``bool`` or a ``date`` parameter is written as SQLite stores it (1/0, ISO text). The
connection runs in autocommit; a write transaction is opened by ``arctui.store.writing``.
"""

import re
import sqlite3
from contextlib import contextmanager
from datetime import date, datetime

import psycopg
from psycopg.adapt import Dumper, Loader
from psycopg.pq import TransactionStatus

from arctui.store.errors import StoreError
from arctui.store.postgresql.dialect import complete_upsert, translate, upsert_table

_INSERT_VALUES = re.compile(r'^\s*INSERT\s+INTO\s+"?(\w+)"?\s*\([^)]*\)\s*VALUES\s*\([^;]*\)\s*$', re.IGNORECASE | re.S)


class IntegrityError(sqlite3.IntegrityError):
    """A row a constraint refused, raised as sqlite3's: the code above the store catches one kind."""


class ReadOnlyBook(sqlite3.OperationalError):
    """A write on a book opened read-only (``connect(read_only=True)``: PostgreSQL's read-only
    transactions), raised as sqlite3's SQLITE_READONLY: the code above the store catches one kind."""

    def __init__(self, message: str):
        super().__init__(message)
        self.sqlite_errorcode = sqlite3.SQLITE_READONLY


class _NumericLoader(Loader):
    """``numeric`` as SQLite answers: an integral value (a sum of integers) as ``int``, else ``float``."""

    def load(self, data):
        text = bytes(data).decode()
        return float(text) if "." in text or "e" in text.lower() or text in ("NaN", "Infinity") else int(text)


class _BoolLoader(Loader):
    """A condition as SQLite answers it: 1 or 0 (SQLite has no booleans)."""

    def load(self, data):
        return 1 if bytes(data) == b"t" else 0


class _TextLoader(Loader):
    def load(self, data):
        return bytes(data).decode()


class _BoolDumper(Dumper):
    oid = psycopg.adapters.types["int8"].oid

    def dump(self, obj):
        return b"1" if obj else b"0"


class _IsoDumper(Dumper):
    """A date as ISO text (``2026-11-23``), a datetime as sqlite3 writes it (``2026-11-23 09:00:00``)."""

    oid = 0  # unknown: PostgreSQL types it from where it is used, as SQLite's affinity would

    def dump(self, obj):
        return (obj.isoformat(" ") if isinstance(obj, datetime) else obj.isoformat()).encode()


def _first_line(exc: Exception) -> str:
    """PostgreSQL's message without its DETAIL and HINT lines."""
    return str(exc).strip().splitlines()[0]


def _adapt(conn: psycopg.Connection) -> None:
    conn.adapters.register_loader("numeric", _NumericLoader)
    conn.adapters.register_loader("bool", _BoolLoader)
    for name in ("json", "jsonb", "date", "timestamp", "timestamptz", "pg_lsn"):
        conn.adapters.register_loader(name, _TextLoader)
    conn.adapters.register_dumper(bool, _BoolDumper)
    conn.adapters.register_dumper(date, _IsoDumper)
    conn.adapters.register_dumper(datetime, _IsoDumper)


class Cursor:
    """The answer of one statement, shaped like sqlite3's cursor."""

    def __init__(self, cursor: psycopg.Cursor, lastrowid=None):
        self._cursor = cursor
        self.lastrowid = lastrowid

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def description(self):
        return self._cursor.description

    def fetchone(self):
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list:
        return self._cursor.fetchall() if self._cursor.description else []

    def __iter__(self):
        return iter(self._cursor) if self._cursor.description else iter(())


class Connection:
    """What callers ask of ``db.conn``: whether a transaction is open, ``executemany``, ``close``."""

    def __init__(self, db: "PostgresDatabase"):
        self._db = db

    @property
    def in_transaction(self) -> bool:
        return self._db.raw.info.transaction_status != TransactionStatus.IDLE

    def execute(self, sql: str, params=None):
        return self._db.execute(sql, params)

    def executemany(self, sql: str, rows) -> None:
        with self._db.raw.cursor() as cursor:
            cursor.executemany(translate(sql), list(rows))

    def close(self) -> None:
        self._db.close()


class Table:
    """``db["name"]``: the row-level helpers the tests and the sample book use."""

    def __init__(self, db: "PostgresDatabase", name: str):
        self.db, self.name = db, name

    @property
    def columns_dict(self) -> dict:
        return self.db.columns(self.name)

    @property
    def count(self) -> int:
        return self.db.execute(f'SELECT count(*) FROM "{self.name}"').fetchone()[0]

    @property
    def rows(self):
        """Every row, in id order where there is one (SQLite's rowid order)."""
        order = " ORDER BY id" if "id" in self.columns_dict else ""
        return self.db.query(f'SELECT * FROM "{self.name}"{order}')

    def get(self, pk):
        row = next(self.db.query(f'SELECT * FROM "{self.name}" WHERE id = ?', [pk]), None)
        if row is None:
            raise LookupError(f"{self.name}: no row {pk!r}")
        return row

    def insert(self, record: dict, **_ignored) -> "Table":
        self.insert_all([record])
        self.last_pk = record.get("id") or self.db.execute(f'SELECT max(id) FROM "{self.name}"').fetchone()[0]
        return self

    def insert_all(self, records, **_ignored) -> "Table":
        records = list(records)
        for record in records:
            columns = ", ".join(f'"{c}"' for c in record)
            self.db.execute(
                f'INSERT INTO "{self.name}" ({columns}) VALUES ({", ".join("?" * len(record))})', list(record.values())
            )
        if self.columns_dict.get("id") == "bigint" and any("id" in record for record in records):
            self.db.catch_up_ids(self.name)
        return self

    def update(self, pk, updates: dict, **_ignored) -> "Table":
        sets = ", ".join(f'"{c}" = ?' for c in updates)
        self.db.execute(f'UPDATE "{self.name}" SET {sets} WHERE id = ?', [*updates.values(), pk])
        return self


class PostgresDatabase:
    """One connection to a PostgreSQL book (``postgresql://`` URL), in autocommit mode."""

    dialect = "postgresql"

    def __init__(self, url: str, raw: psycopg.Connection):
        self.url = url
        self.raw = raw
        self.conn = Connection(self)
        self._columns: dict[str, dict] = {}
        self._savepoints = 0
        _adapt(raw)

    def __getitem__(self, name: str) -> Table:
        return Table(self, name)

    def table(self, name: str) -> Table:
        return Table(self, name)

    def execute(self, sql: str, params=None) -> Cursor:
        translated = translate(sql, params is not None)
        upserted = upsert_table(translated)
        if upserted:
            translated = complete_upsert(translated, upserted, self.primary_key(upserted), self.settable(upserted))
        cursor = self.raw.cursor()
        match = _INSERT_VALUES.match(translated)
        try:
            if match and "id" in self.columns(match.group(1)) and " RETURNING " not in translated.upper():
                cursor.execute(translated + " RETURNING id", params)
                return Cursor(cursor, cursor.fetchone()[0])
            cursor.execute(translated, params)
        except psycopg.IntegrityError as exc:
            raise IntegrityError(_first_line(exc)) from exc
        except psycopg.errors.ReadOnlySqlTransaction as exc:
            raise ReadOnlyBook(_first_line(exc)) from None
        except psycopg.errors.InsufficientPrivilege as exc:
            raise StoreError(f"{self.raw.info.user} may not do that on this book: {_first_line(exc)}") from None
        return Cursor(cursor)

    def copy_rows(self, table: str, columns, rows) -> None:
        """Append ``rows`` (tuples in ``columns`` order) to ``table`` with COPY."""
        names = ", ".join(f'"{c}"' for c in columns)
        with self.raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)

    def executescript(self, script: str) -> None:
        """Several statements in one go (no parameters): a migration file."""
        self.raw.execute(script)

    def query(self, sql: str, params=None):
        """Rows as dicts; the whole answer fetched at once (psycopg has it already: a row at a time
        costs a Python call each, 12,000 rows about 25 ms)."""
        cursor = self.execute(sql, params)
        names = [d.name for d in cursor.description or ()]
        return iter([dict(zip(names, row)) for row in cursor.fetchall()])

    def table_names(self) -> list[str]:
        return [
            row[0]
            for row in self.raw.execute(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
            )
        ]

    def columns(self, table: str) -> dict:
        """The columns of ``table`` (name -> type), read once per connection."""
        if table not in self._columns:
            self._columns[table] = dict(
                self.raw.execute(
                    "SELECT column_name, data_type FROM information_schema.columns"
                    " WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position",
                    [table],
                ).fetchall()
            )
        return self._columns[table]

    def primary_key(self, table: str) -> list[str]:
        """The columns of ``table``'s primary key, in order."""
        return [
            row[0]
            for row in self.raw.execute(
                "SELECT a.attname FROM pg_index i"
                " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
                " WHERE i.indrelid = CAST(quote_ident(%s) AS regclass) AND i.indisprimary"
                " ORDER BY array_position(i.indkey, a.attnum)",
                [table],
            )
        ]

    def settable(self, table: str) -> list[str]:
        """The columns of ``table`` a statement may set (not the generated ones)."""
        return [
            row[0]
            for row in self.raw.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
                " AND table_name = %s AND is_generated = 'NEVER' ORDER BY ordinal_position",
                [table],
            )
        ]

    def forget_columns(self) -> None:
        """A migration changed the tables: read their columns again when asked."""
        self._columns.clear()

    def catch_up_ids(self, table: str) -> None:
        """Rows inserted with their own ids: the identity goes on after the highest, as SQLite's rowid does."""
        self.raw.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), max(id)) FROM \"{table}\" HAVING max(id) IS NOT NULL",
            [table],
        )

    @contextmanager
    def atomic(self):
        """A savepoint inside the open transaction (a nested ``write``)."""
        self._savepoints += 1
        name = f"arctui_{self._savepoints}"
        self.raw.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            self.raw.execute(f"ROLLBACK TO SAVEPOINT {name}")
            raise
        else:
            self.raw.execute(f"RELEASE SAVEPOINT {name}")
        finally:
            self._savepoints -= 1

    def close(self) -> None:
        self.raw.close()
