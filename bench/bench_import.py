"""Import a 1,000,000-line invoice CSV into the same table five ways; print seconds and ratios.

- arctui: ``arctui import invoices`` as a collector runs it: an ERP-shaped file (its own
  headers, account numbers, decimal amounts, thousands separators on some lines) read,
  converted and checked field by field, keyed against the database, written in one
  transaction;
- raw: ``csv.reader`` + ``executemany`` of a file already shaped like the table (customer
  ids, amounts in cents): no conversion, no checks, the floor for loading these rows;
- raw, arctui's page cache: the same, with the larger page cache arctui's import sets for
  its transaction;
- raw, cache + indexes rebuilt: the same again, also setting the secondary indexes aside
  and building them after the load, as arctui's import does for a large load: the true
  floor, the strict comparison;
- sqlite-utils: the installed ``sqlite-utils insert DB invoices FILE --csv`` on that same
  table-shaped file.

Every run starts from a fresh database with the customers already loaded. Wall seconds and
CPU seconds are both printed: on a shared machine the CPU ratio is the steadier one.

    python bench/bench_import.py [--rows N] [--keep DIR]
"""

import argparse
import csv
import random
import resource
import sqlite3
import subprocess
import tempfile
import time
from datetime import date, timedelta
from functools import partial
from pathlib import Path

from arctui.plugins import PluginHost
from arctui.services.context import Context, fixed_clock
from arctui.services.imports import IMPORT_CACHE_KIB, run_import
from arctui.store.connection import connect

CUSTOMERS = 5_000
TODAY = date(2026, 11, 23)
TABLE_COLUMNS = ("number", "customer_id", "issue_date", "due_date", "currency", "amount_cents", "open_cents")


def _invoices(rows: int):
    """(number, customer index, issue, due, cents, open cents), the same every run."""
    rng = random.Random(20261123)
    for n in range(rows):
        issue = TODAY - timedelta(days=rng.randrange(720))
        cents = rng.randrange(1_000, 5_000_000)
        open_cents = rng.choice((cents, cents, 0, rng.randrange(cents)))
        yield (
            f"INV-{n + 1:08d}",
            rng.randrange(CUSTOMERS) + 1,
            issue.isoformat(),
            (issue + timedelta(days=30)).isoformat(),
            cents,
            open_cents,
        )


def _amount(cents: int, grouped: bool) -> str:
    return f"{cents / 100:,.2f}" if grouped else f"{cents // 100}.{cents % 100:02d}"


def write_files(folder: Path, rows: int) -> tuple[Path, Path]:
    erp, table = folder / "invoices_erp.csv", folder / "invoices_table.csv"
    with open(erp, "w", newline="") as e, open(table, "w", newline="") as t:
        erp_out, table_out = csv.writer(e), csv.writer(t)
        erp_out.writerow(["Invoice No", "Account", "Invoice Date", "Due Date", "Amount", "Open"])
        table_out.writerow(TABLE_COLUMNS)
        for i, (number, customer, issue, due, cents, open_cents) in enumerate(_invoices(rows)):
            grouped = i % 10 == 0  # "1,234.56": the general money parser's path
            erp_out.writerow(
                [number, f"C{customer:05d}", issue, due, _amount(cents, grouped), _amount(open_cents, grouped)]
            )
            table_out.writerow([number, customer, issue, due, "USD", cents, open_cents])
    return erp, table


def fresh_db(path: Path) -> Path:
    db = connect(path, create=True)
    with db.conn:
        db.conn.executemany(
            "INSERT INTO customers (id, account_no, name, terms_days) VALUES (?, ?, ?, 30)",
            [(i, f"C{i:05d}", f"Customer {i}") for i in range(1, CUSTOMERS + 1)],
        )
    db.close()
    return path


class Clock:
    """Wall seconds and CPU seconds (this process and its children) of one run."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), _cpu()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, _cpu() - self.cpu


def _cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def run_arctui(db_path: Path, erp: Path) -> Clock:
    importer = PluginHost().collect("importers")["invoices"]
    ctx = Context(connect(db_path), "bench", fixed_clock(TODAY))
    with Clock() as clock:
        report = run_import(ctx, importer, erp)
    assert report.written and report.inserted == report.accepted, report.rejected[:5]
    ctx.db.close()
    return clock


def run_raw(db_path: Path, table: Path, cache_kib: int | None = None, rebuild_indexes: bool = False) -> Clock:
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA synchronous = NORMAL")
    if cache_kib:
        conn.execute(f"PRAGMA cache_size = -{cache_kib}")
    with Clock() as clock, open(table, newline="") as f:
        reader = csv.reader(f)
        columns = next(reader)
        conn.execute("BEGIN IMMEDIATE")
        indexes = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'invoices' AND sql IS NOT NULL"
        ).fetchall()
        for name, _ in indexes if rebuild_indexes else ():
            conn.execute(f"DROP INDEX {name}")
        conn.executemany(
            f"INSERT INTO invoices ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", reader
        )
        for _, sql in indexes if rebuild_indexes else ():
            conn.execute(sql)
        conn.execute("COMMIT")
    conn.close()
    return clock


def run_sqlite_utils(db_path: Path, table: Path) -> Clock:
    with Clock() as clock:
        subprocess.run(["sqlite-utils", "insert", str(db_path), "invoices", str(table), "--csv"], check=True)
    return clock


def _count(db_path: Path) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT count(*) FROM invoices").fetchone()[0]
    finally:
        conn.close()


ARCTUI, SQLITE_UTILS = "arctui import", "sqlite-utils insert --csv"
RAW, RAW_CACHE = "raw csv + executemany", "raw, arctui's page cache"
RAW_FLOOR = "raw, cache + indexes rebuilt"
RUNS = (
    (RAW, run_raw),
    (RAW_CACHE, partial(run_raw, cache_kib=IMPORT_CACHE_KIB)),
    (RAW_FLOOR, partial(run_raw, cache_kib=IMPORT_CACHE_KIB, rebuild_indexes=True)),
    (ARCTUI, run_arctui),
    (SQLITE_UTILS, run_sqlite_utils),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="write the files and databases here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        erp, table = write_files(folder, args.rows)
        timings = {}
        for name, run in RUNS:
            db_path = fresh_db(folder / f"{len(timings)}.db")
            timings[name] = run(db_path, erp if name == ARCTUI else table)
            assert _count(db_path) == args.rows, f"{name}: {_count(db_path)} rows"
    print(f"{args.rows:,} invoice lines{'wall s':>23}  {'CPU s':>7}")
    for name, clock in timings.items():
        print(f"  {name:36} {clock.wall:7.2f}  {clock.cpu:7.2f}")
    ours = timings[ARCTUI]
    for name, aim in ((RAW, "aim: <= 1.5x"), (RAW_CACHE, ""), (RAW_FLOOR, "")):
        print(
            f"  {'arctui / ' + name:38} {ours.wall / timings[name].wall:5.2f}x  "
            f"{ours.cpu / timings[name].cpu:5.2f}x  {aim}"
        )
    slow = timings[SQLITE_UTILS]
    print(f"  {SQLITE_UTILS + ' / arctui':38} {slow.wall / ours.wall:5.2f}x  {slow.cpu / ours.cpu:5.2f}x  aim: >= 5x")


if __name__ == "__main__":
    main()
