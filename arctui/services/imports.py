"""Import customers, contacts, invoices and payments from files: all or nothing, idempotent.

An importer (added by a plugin through ``register_importers``) only reads a file format:
``parse(path, options)`` yields one ``Record`` per source line with the fields it found, or
a ``Rejected`` for a line it cannot read at all. Field values are text, converted here the
same way for every format (money with thousands separators, currency symbols and
parenthesised negatives; ISO or configured dates), or already typed (``int`` minor units,
``datetime.date``). The core checks every field, de-duplicates against the file and the
database, and writes everything in one transaction: nothing at all when a line is rejected.

Keys: customers by ``account_no``, contacts by (customer, email, or name when there is no
email), invoices by ``number``, payments by ``bank_ref``, each compared as it looks
(``arctui.domain.text.normalise_identifier``: ``INV-1`` with a zero-width space, a Unicode
hyphen or a trailing NUL is ``INV-1``; a key stored before that keeps its spelling). Two
records with one key are refused when they differ, even two of one line of a minified XML
statement; the same record repeated (an export listing a customer once per invoice) is taken
once and counted in ``ImportReport.repeated``. A record equal to its row changes
nothing; a changed one updates the fields the file carries (a payment never changes: a
different payment under a known bank reference is rejected). A file without a column never
clears that column. A new payment naming its invoice (``invoice_no``) is applied to it at its
received date (``cash.apply_payment`` with that value date), up to the invoice's open balance.
A bank importer's receipt may be ``pending`` (an intraday entry): it is not applied nor
counted as cash until a later file books it under the same key. A ``Reversal`` undoes the
booked receipt it names (``services/reversals.py``).

Inserted rows are audited by one row per import (importer, file, counts, id range): a
million-line import must not write a million audit rows. Updated rows carry their before
and after in that same audit row.
"""

import gc
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import NamedTuple

from arctui.domain.money import format_money
from arctui.services import cash
from arctui.services import reversals as reversals_service
from arctui.services.context import Context
from arctui.services.import_checks import KIND_RULES, KINDS, LineError, Lookups, Options
from arctui.services.import_mapping import ImportFileError, header_fields, load_mapping, text_encoding
from arctui.services.records import get
from arctui.store import audit, sales
from arctui.store.bulk import SeenKeys, Staging, data_version, drop_indexes, page_cache, snapshot
from arctui.store.connection import write
from arctui.store.facts import set_aside
from arctui.store.read import cash as cash_read
from arctui.store.read import imports as read

__all__ = [
    "KINDS",
    "Importer",
    "Notice",
    "ImportFileError",
    "ImportReport",
    "Options",
    "Receipt",
    "Record",
    "Rejected",
    "Reversal",
    "count_lines",
    "header_fields",
    "load_mapping",
    "run_import",
    "text_encoding",
]

PROGRESS_EVERY = 10_000
_CHUNK = 5_000
# page cache for the import's transaction: a million rows' index pages stay in memory
# instead of spilling to the WAL again and again
IMPORT_CACHE_KIB = 65_536
# A large load sets its table's secondary indexes aside and builds them again at the end, in
# the same transaction: one sorted build instead of a random index insert per row (SQLite's
# own advice for bulk loads). Large means this many new rows, and a tenth of the table.
BULK_ROWS = 20_000


class Record(NamedTuple):
    """One source line's fields, as the importer found them."""

    file: str
    line: int
    values: dict


@dataclass(frozen=True, slots=True)
class Rejected:
    file: str
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the importer wants the collector to know that does not refuse the file
    (a statement whose balances do not reconcile, a copy of a statement already sent)."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


@dataclass(frozen=True)
class Importer:
    """What a plugin registers: one file format yielding one kind of record."""

    name: str
    kind: str
    description: str
    parse: Callable[[Path, Options], Iterable[Record | Rejected]]
    patterns: tuple[str, ...] = ()  # the files it takes, e.g. ("*.csv", "*.xlsx")
    applies_cash: bool = False  # receipts: apply them by their remittance text
    size: Callable[[Path, Options], int | None] | None = None  # lines, for the progress bar

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"importer {self.name}: kind {self.kind!r} is not one of {KINDS}")


@dataclass
class Receipt:
    bank_ref: str
    payment_id: int
    amount_cents: int
    applied_cents: int
    currency: str
    pending: bool = False  # an intraday entry: cash only once a statement books it


@dataclass(frozen=True, slots=True)
class Reversal:
    """A bank's reversal of a receipt (MT940 ``RC``, camt ``RvslInd``): the booked receipt on
    ``account`` of this amount and currency that shares one of ``references`` (its key or
    remittance holds it) is reversed after the file's receipts are written; none or several
    such receipts is a Notice. Never a receipt of its own."""

    file: str
    line: int | None
    account: str
    currency: str
    amount_cents: int
    references: tuple[str, ...]
    what: str  # names the entry in notices: 'statement 12/1, entry 3'


@dataclass
class ImportReport:
    importer: str
    file: str
    dry_run: bool = False
    accepted: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    receipts: list[Receipt] = field(default_factory=list)
    written: bool = False
    reversed: int = 0  # receipts reversed by the file's reversals
    credit_notes: int = 0  # invoices: accepted lines booked as credit notes (negative amounts)
    repeated: int = 0  # lines equal to an earlier line of the file (same key, same values): taken once


def count_lines(path: Path, options: Options | None = None) -> int:
    """Lines in a text file: an ``Importer.size`` for the progress bar of a text format."""
    lines = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            lines += chunk.count(b"\n")
    return lines


class _Rollback(Exception):
    """Leave the import's transaction without committing (a rejected line or a dry run)."""


class _Batch:
    """Checks records against the file and the database and stages what is to be written
    (new rows in temporary tables, updates in a list) while none is rejected, without the
    write lock; ``merge`` writes them under it. Records are checked a chunk at a time, the
    chunk's keys looked up in the book at once: no map of every row of a million-row table."""

    def __init__(self, ctx: Context, importer: Importer, options: Options, report: ImportReport):
        self.ctx, self.importer, self.options, self.report = ctx, importer, options, report
        self.kind = KIND_RULES[importer.kind]
        self.lookups = Lookups(ctx)
        self.stamp = {"updated_by": ctx.user, "updated_at": ctx.now()}
        self.waiting: list = []  # records (and the importer's rejected lines) not yet checked, in file order
        self.inserts: dict[tuple, list] = {}
        self.to_apply: list = []  # keys of receipts that are cash to apply: new booked ones, and booked now
        self.intraday: list = []  # keys of new pending receipts (intraday entries): seen, not cash yet
        self.named_invoices: list[tuple] = []  # (bank_ref, invoice id) of new payments naming one
        self.before: dict = {}
        self.after: dict = {}
        self.updates: list[tuple] = []  # (row id, the values compared, the changed values)
        self.seen = SeenKeys(ctx.db, self._staged_notes)
        self.staging = Staging(ctx.db, self.kind.table, self.stamp)
        self.sales = None  # the KPIs' sums of the new invoices, once staged
        self.last_id_before = read.last_id(ctx.db, self.kind.table)
        self.existing = _Existing(ctx.db, self.kind, empty=self.last_id_before == 0)
        self.bulk_from = max(BULK_ROWS, self.last_id_before // 10)

    def add(self, item: Record | Rejected) -> None:
        """Take a record, or the importer's rejection of a line, in file order."""
        self.waiting.append(item)
        if len(self.waiting) >= _CHUNK:
            self._take()

    def _take(self) -> None:
        """Check the waiting records, look their keys up in the book, then take each in order."""
        kind, lookups, options = self.kind, self.lookups, self.options
        checked = []
        for item in self.waiting:
            if type(item) is not Record:
                checked.append((item, None, None))
                continue
            try:
                row = kind.check(item.values, lookups, options)
            except LineError as exc:  # kept as text: the exception's traceback holds this frame
                checked.append((item, (exc.field, exc.reason), None))
                continue
            checked.append((item, row, kind.key(row)))
        self.waiting.clear()
        found = self.existing.find(key for _, row, key in checked if type(row) is dict)
        for item, row, key in checked:
            if type(row) is dict:
                self._one(item, row, key, found.get(key))
            elif row is None:
                self.report.rejected.append(item)
            else:
                self.reject(item, *row)
        gc.collect(1)  # what the chunk left in cycles, if anything (see _Checked.run)

    def _one(self, record: Record, row: dict, key, old: tuple | None) -> None:
        """One checked record: repeated, in conflict with an earlier one, a change to the
        book's row ``old`` (row id, values), or new."""
        kind, report = self.kind, self.report
        # the seen record's values by their hash: a million keys' rows would not fit in memory
        same = hash(tuple(row.items()))
        text = key if type(key) is str else repr(key)
        # a new row's line and hash are staged with it, when its key is a column to find it by
        staged = old is None and kind.lookup is not None and not report.rejected
        seen = self.seen.take(text, record.line, same, staged)
        if seen is not None:
            first_line, first_values = seen
            if first_values == same:
                report.repeated += 1
                return
            # two records may share a line (a minified XML statement): say so, not "line 1 is line 1"
            where = "earlier on this line" if first_line == record.line else f"on line {first_line}"
            self.reject(record, kind.key_field, f"{key} is also {where} with other values")
            return
        invoice_id = row.pop("invoice_id", None)
        report.accepted += 1
        if row.get("amount_cents", 0) < 0 and kind.table == "invoices":
            report.credit_notes += 1
        if old is not None:
            self._compare(record, row, key, *old)
            return
        report.inserted += 1
        if report.rejected:
            return
        row = kind.defaults(row, self.lookups)
        columns = ("_line", "_same", *row)
        pending = self.inserts.setdefault(columns, [])
        pending.append((record.line, same, *row.values()))
        if self.importer.applies_cash:
            (self.intraday if row.get("state") == "pending" else self.to_apply).append(key)
        elif invoice_id is not None:
            self.named_invoices.append((key, invoice_id))
        if len(pending) >= _CHUNK:
            self.staging.add(columns, pending)
            pending.clear()

    def _staged_notes(self, key: str) -> tuple[int, int] | None:
        """(line, values hash) staged with the new row of ``key``, the rows in memory staged first."""
        if self.kind.lookup is None:
            return None
        self._stage_pending()
        return self.staging.noted(self.kind.lookup, key)

    def _stage_pending(self) -> None:
        for columns, rows in self.inserts.items():
            if rows:
                self.staging.add(columns, rows)
                rows.clear()

    def reject(self, record, field_name: str, reason: str) -> None:
        self.report.rejected.append(Rejected(record.file, record.line, field_name, reason))

    def _compare(self, record: Record, row: dict, key, row_id: int, old_values) -> None:
        old = dict(zip(self.kind.columns, old_values))
        # a key stored before identifiers were normalised stays as it is: it matched, so it is this row
        changed = {k: v for k, v in row.items() if old[k] != v and not (k == self.kind.key_field and key == v)}
        changed = self.kind.changes(changed, old, self.lookups)
        if not changed:
            self.report.unchanged += 1
            return
        fixed = [k for k in changed if k not in self.kind.settles]
        if not self.kind.updatable and fixed:
            name = fixed[0]
            self.reject(
                record,
                self.kind.key_field,
                f"{key} is already recorded with {name} {old[name]!r}, not {changed[name]!r}",
            )
            return
        self.report.updated += 1
        if self.report.rejected:
            return
        self.updates.append((row_id, old_values, changed))
        entity = f"{self.kind.table}/{row_id}"
        self.before[entity] = {k: old.get(k) for k in changed}
        self.after[entity] = changed
        if changed.get("state") == "booked" and self.importer.applies_cash:
            self.to_apply.append(key)  # a pending receipt the statement books is cash now

    def _facts_aside(self):
        """The kept facts (and monthly sales) of the accounts this load touches: its table's
        new rows and the rows it updates, refreshed once at its end."""
        table = self.kind.table
        account = "id" if table == "customers" else "customer_id" if "customer_id" in self.kind.columns else None
        if account is None:
            return nullcontext()  # nothing the queue's facts are made of
        touched, params = f"SELECT {account} FROM [{table}] WHERE rowid > ?", [self.last_id_before]
        if self.updates:  # the rows it updates carry its stamp
            touched += " OR (updated_by = ? AND updated_at = ?)"
            params += list(self.stamp.values())
        left = {dict(zip(self.kind.columns, old))[account] for _, old, changed in self.updates if account in changed}
        if left - {None}:  # a row moved to another account: the account it left changes too
            touched += " UNION SELECT CAST(value AS INTEGER) FROM json_each(?)"
            params.append(json.dumps(sorted(left - {None})))
        aside = ExitStack()
        aside.enter_context(set_aside(self.ctx.db, touched, params))
        if table == "invoices":  # and the monthly sales the KPIs read
            aside.enter_context(sales.set_aside(self.ctx.db, self.last_id_before, self.sales))
        return aside

    def finish(self) -> None:
        """Once every record is read: check the last ones, and stage the new rows still in memory."""
        self._take()
        if self.report.rejected:
            return
        self._stage_pending()
        if self.kind.table == "invoices" and self.staging.stages:
            self.sales = read.staged_sales(self.ctx.db, list(self.staging.stages.values()))

    def discard(self) -> None:
        self.staging.discard()
        self.seen.discard()

    def still_current(self) -> bool:
        """Under the write lock, after another process wrote to the book since the checks:
        whether what they decided still holds (nothing new in the table, so every staged row
        is still new; every row to update still as compared)."""
        db, table, columns = self.ctx.db, self.kind.table, self.kind.columns
        return read.last_id(db, table) == self.last_id_before and all(
            read.row_values(db, table, columns, row_id) == tuple(old) for row_id, old, _ in self.updates
        )

    def merge(self) -> None:
        """Under the write lock: the staged rows and the updates, then the audit row. The
        queue's facts of the accounts touched are refreshed once at the end, not row by row;
        a large load also sets the table's indexes aside while it writes."""
        db = self.ctx.db
        bulk = self.report.inserted >= self.bulk_from
        with self._facts_aside():
            indexes = drop_indexes(db, [self.kind.table]) if bulk else []
            self.staging.merge()
            for row_id, _, changed in self.updates:
                sets = ", ".join(f"{k} = ?" for k in list(changed) + list(self.stamp))
                db.execute(
                    f"UPDATE {self.kind.table} SET {sets}, version = version + 1 WHERE rowid = ?",
                    list(changed.values()) + list(self.stamp.values()) + [row_id],
                )
            for sql in indexes:
                db.execute(sql)
        if not (self.report.inserted or self.report.updated):
            return
        summary = {
            "importer": self.importer.name,
            "file": self.report.file,
            "inserted": self.report.inserted,
            "updated": self.report.updated,
            "unchanged": self.report.unchanged,
        }
        if self.report.inserted:
            summary["inserted_ids"] = f"{self.last_id_before + 1}-{read.last_id(self.ctx.db, self.kind.table)}"
        audit.append(
            self.ctx.db,
            at=self.ctx.now(),
            actor=self.ctx.user,
            action=f"import.{self.importer.kind}",
            entity=self.kind.table,
            before=self.before or None,
            after={"import": summary, **self.after},
        )

    def apply_receipts(self) -> None:
        """Apply each new (or newly booked) receipt to the invoices its remittance names; the
        rest stays unapplied cash for the collector. A pending receipt waits for its statement."""
        for bank_ref in self.to_apply:
            payment = cash_read.payment_by_ref(self.ctx.db, bank_ref)
            applied = cash.auto_apply(self.ctx, payment["id"])
            self.report.receipts.append(
                Receipt(bank_ref, payment["id"], payment["amount_cents"], applied, payment["currency"])
            )
        for bank_ref in self.intraday:
            payment = cash_read.payment_by_ref(self.ctx.db, bank_ref)
            self.report.receipts.append(
                Receipt(bank_ref, payment["id"], payment["amount_cents"], 0, payment["currency"], pending=True)
            )

    def apply_named_invoices(self) -> None:
        """Apply each new payment to the invoice it names, at its received date, up to the
        invoice's open balance; what is left stays unapplied cash for the collector."""
        for bank_ref, invoice_id in self.named_invoices:
            payment = get(self.ctx.db, "payments", cash_read.payment_by_ref(self.ctx.db, bank_ref)["id"])
            cents = min(payment["unapplied_cents"], max(get(self.ctx.db, "invoices", invoice_id)["open_cents"], 0))
            if cents > 0:
                cash.apply_payment(
                    self.ctx,
                    payment["id"],
                    [(invoice_id, cents)],
                    payment["version"],
                    value_date=date.fromisoformat(payment["received_date"]),
                )
            self.report.receipts.append(
                Receipt(bank_ref, payment["id"], payment["amount_cents"], cents, payment["currency"])
            )


class _Existing:
    """The book's rows a file's keys name, as (row id, values of the kind's columns): looked up
    a chunk of keys at a time on the key's index; a small table (contacts, rates) is read
    whole. Keys stored before identifiers were normalised are read once, at the start."""

    def __init__(self, db, kind, empty: bool) -> None:
        self.db, self.kind = db, kind
        self.indexed = kind.lookup is not None and not empty  # else every row is in ``held``
        if kind.lookup is None:
            held = read.table_values(db, kind.table, kind.columns)
        else:
            held = read.rows_spelt_otherwise(db, kind.table, kind.lookup, kind.columns) if self.indexed else ()
            self.at = 1 + kind.columns.index(kind.lookup)
        self.held = {kind.key(dict(zip(kind.columns, row[1:]))): (row[0], row[1:]) for row in held}

    def find(self, keys: Iterable) -> dict:
        """key -> (row id, values) of those of ``keys`` the table holds."""
        if not self.indexed:
            return self.held
        keys = list(keys)
        kind, at = self.kind, self.at
        found = {
            row[at]: (row[0], row[1:]) for row in read.rows_by_key(self.db, kind.table, kind.lookup, kind.columns, keys)
        }
        if self.held:
            found.update((key, self.held[key]) for key in keys if key in self.held)
        return found


def run_import(
    ctx: Context,
    importer: Importer,
    path,
    options: Options | None = None,
    *,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import ``path`` with ``importer`` in one transaction; nothing is written when a line is
    rejected or on a dry run (which still reports what the import would do).

    The file is read, checked and staged without the write lock, so collectors keep saving
    meanwhile; the lock is taken only to merge. Should another process have written what
    the checks relied on in between, they run again under the lock."""
    path = Path(path)
    options = options or Options()
    checked = _Checked(ctx, importer, path, options, dry_run, progress)
    try:
        with page_cache(ctx.db, IMPORT_CACHE_KIB):
            seen = data_version(ctx.db)
            with snapshot(ctx.db):
                checked.run()
            if checked.report.rejected:
                return checked.report
            with write(ctx.db, what=f"importing {path.name}"):
                if data_version(ctx.db) != seen and not checked.batch.still_current():
                    checked.run()  # the book moved since the checks: again, under the lock
                report, batch, reversals = checked.report, checked.batch, checked.reversals
                if report.rejected:
                    raise _Rollback
                batch.merge()
                if importer.applies_cash and not report.rejected:
                    batch.apply_receipts()
                if batch.named_invoices and not report.rejected:
                    batch.apply_named_invoices()
                if not report.rejected:
                    _reverse(ctx, reversals, report)
                if report.rejected or dry_run:
                    raise _Rollback
    except _Rollback:
        return checked.report
    except (sqlite3.IntegrityError, OverflowError) as exc:
        # the checks above are meant to leave the database nothing to refuse; should a value
        # get past them, the file is still refused in one line and nothing is written
        raise ImportFileError(path, None, f"refused by the database ({exc}); nothing written") from None
    finally:
        checked.discard()
    checked.report.written = True
    return checked.report


class _Checked:
    """The file read, every record checked and staged (``run``, again if need be)."""

    def __init__(self, ctx, importer: Importer, path: Path, options: Options, dry_run: bool, progress) -> None:
        self.ctx, self.importer, self.path, self.options = ctx, importer, path, options
        self.dry_run, self.progress = dry_run, progress
        self.batch: _Batch | None = None

    def run(self) -> None:
        self.discard()
        self.report = report = ImportReport(importer=self.importer.name, file=str(self.path), dry_run=self.dry_run)
        self.batch = batch = _Batch(self.ctx, self.importer, self.options, report)
        self.reversals = []
        with _young_collections_only():
            self._read(batch, report)
        batch.finish()

    def _read(self, batch: _Batch, report: ImportReport) -> None:
        importer, progress = self.importer, self.progress
        for count, item in enumerate(_parsed(importer, self.path, self.options), 1):
            if type(item) is Notice:
                report.notices.append(item)
            elif type(item) is Reversal:
                self.reversals.append(item)
            else:  # a record, or a line the importer rejected: in file order
                batch.add(item)
            if progress is not None and count % PROGRESS_EVERY == 0 and item.line:
                progress(item.line)

    def discard(self) -> None:
        if self.batch is not None:
            self.batch.discard()


@contextmanager
def _young_collections_only():
    """The cyclic garbage collector's automatic runs paused while a file is read: a million
    lines make millions of short-lived dicts and tuples, and each automatic full collection
    walks every object of the process (a fifth of the checks' time). Each chunk collects its
    young objects instead (``_Batch._take``)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _reverse(ctx: Context, reversals: list[Reversal], report: ImportReport) -> None:
    """Reverse the receipt each reversal names; one reversed already (the file imported again) is left as it is."""
    for item in reversals:
        found = reversals_service.find_reversed(ctx, item.account, item.currency, item.amount_cents, item.references)
        booked = [p for p in found if p["state"] != "reversed"]  # booked, or pending (intraday)
        amount = f"{item.currency} {format_money(item.amount_cents, item.currency, symbol=False)}"
        if len(booked) == 1:
            reversals_service.reverse_receipt(ctx, booked[0]["id"], f"{Path(item.file).name}:{item.line}: {item.what}")
            report.reversed += 1
            message = (
                f"{item.what} reverses receipt {booked[0]['bank_ref']} ({amount}): reversed, its applications undone"
            )
        elif booked:
            message = (
                f"{item.what} reverses {amount} and {len(booked)} receipts match it ("
                + ", ".join(p["bank_ref"] for p in booked)
                + "): none reversed; reverse the right one by hand"
            )
        elif found:
            continue  # reversed when this file (or another) was imported before
        else:
            refs = ", ".join(item.references) or "none"
            message = (
                f"{item.what} reverses {amount} (references {refs}) but no receipt of account {item.account}"
                " in the book matches it: nothing reversed"
            )
        report.notices.append(Notice(item.file, item.line, message))


def _parsed(importer: Importer, path: Path, options: Options) -> Iterator[Record | Rejected | Notice]:
    """What the importer reads from ``path``; a file it cannot read is an ImportFileError.
    Only the reading is covered: an OSError elsewhere (the progress display, the database)
    is no fault of the file."""
    try:
        yield from importer.parse(path, options)
    except OSError as exc:
        raise ImportFileError(path, None, f"cannot read: {exc.strerror or exc}") from None
