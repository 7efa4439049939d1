"""Import a 1,000,000-line invoice CSV three ways into the same table; print seconds and ratios.

- arctui: ``arctui import invoices`` as a collector runs it: an ERP-shaped file (its own
  headers, account numbers, decimal amounts, thousands separators on some lines) read,
  converted and checked field by field, keyed against the database, written in one
  transaction;
- raw: ``csv.reader`` + ``executemany`` of a file already shaped like the table (customer
  ids, amounts in cents): no conversion, no checks, the floor for loading these rows;
- raw, arctui's page cache: the same, with the larger page cache arctui's import sets for
  its transaction (the strict comparison: arctui's speed-up from it is not counted);
- sqlite-utils: the installed ``sqlite-utils insert DB invoices FILE --csv`` on that same
  table-shaped file.

Every run starts from a fresh database with the customers already loaded.

    python bench/bench_import.py [--rows N] [--keep DIR]
"""
import argparse
import csv
import random
import sqlite3
import subprocess
import tempfile
import time
from functools import partial
from datetime import date, timedelta
from pathlib import Path

from arctui import plugins
from arctui.services.context import Context, fixed_clock
from arctui.services.imports import IMPORT_CACHE_KIB, run_import
from arctui.store.connection import connect

CUSTOMERS = 5_000
TODAY = date(2026, 11, 23)
TABLE_COLUMNS = ("number", "customer_id", "issue_date", "due_date", "currency", "amount_cents",
                 "open_cents")


def _invoices(rows: int):
    """(number, customer index, issue, due, cents, open cents), the same every run."""
    rng = random.Random(20261123)
    for n in range(rows):
        issue = TODAY - timedelta(days=rng.randrange(720))
        cents = rng.randrange(1_000, 5_000_000)
        open_cents = rng.choice((cents, cents, 0, rng.randrange(cents)))
        yield (f"INV-{n + 1:08d}", rng.randrange(CUSTOMERS) + 1, issue.isoformat(),
               (issue + timedelta(days=30)).isoformat(), cents, open_cents)


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
            erp_out.writerow([number, f"C{customer:05d}", issue, due, _amount(cents, grouped),
                              _amount(open_cents, grouped)])
            table_out.writerow([number, customer, issue, due, "USD", cents, open_cents])
    return erp, table


def fresh_db(path: Path) -> Path:
    db = connect(path, create=True)
    with db.conn:
        db.conn.executemany(
            "INSERT INTO customers (id, account_no, name, terms_days) VALUES (?, ?, ?, 30)",
            [(i, f"C{i:05d}", f"Customer {i}") for i in range(1, CUSTOMERS + 1)])
    db.close()
    return path


def run_arctui(db_path: Path, erp: Path) -> float:
    plugins.load_plugins()
    importer = plugins.collect("register_importers")["invoices"]
    ctx = Context(connect(db_path), "bench", fixed_clock(TODAY))
    start = time.perf_counter()
    report = run_import(ctx, importer, erp)
    elapsed = time.perf_counter() - start
    assert report.written and report.inserted == report.accepted, report.rejected[:5]
    ctx.db.close()
    return elapsed


def run_raw(db_path: Path, table: Path, cache_kib: int | None = None) -> float:
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA synchronous = NORMAL")
    if cache_kib:
        conn.execute(f"PRAGMA cache_size = -{cache_kib}")
    start = time.perf_counter()
    with open(table, newline="") as f:
        reader = csv.reader(f)
        columns = next(reader)
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(f"INSERT INTO invoices ({', '.join(columns)}) "
                         f"VALUES ({', '.join('?' * len(columns))})", reader)
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def run_sqlite_utils(db_path: Path, table: Path) -> float:
    start = time.perf_counter()
    subprocess.run(["sqlite-utils", "insert", str(db_path), "invoices", str(table), "--csv"],
                   check=True)
    return time.perf_counter() - start


def _count(db_path: Path) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT count(*) FROM invoices").fetchone()[0]
    finally:
        conn.close()


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
        raw_cached = partial(run_raw, cache_kib=IMPORT_CACHE_KIB)
        for name, run, source in (("raw csv + executemany", run_raw, table),
                                  ("raw, arctui's page cache", raw_cached, table),
                                  ("arctui import", run_arctui, erp),
                                  ("sqlite-utils insert --csv", run_sqlite_utils, table)):
            db_path = fresh_db(folder / f"{len(timings)}.db")
            timings[name] = run(db_path, source)
            assert _count(db_path) == args.rows, f"{name}: {_count(db_path)} rows"
    ours, raw = timings["arctui import"], timings["raw csv + executemany"]
    raw_same_cache = timings["raw, arctui's page cache"]
    slow = timings["sqlite-utils insert --csv"]
    print(f"{args.rows:,} invoice lines")
    for name, seconds in timings.items():
        print(f"  {name:28} {seconds:7.2f} s")
    print(f"  arctui / raw             {ours / raw:5.2f}x   (aim: <= 1.5x)")
    print(f"  arctui / raw, same cache {ours / raw_same_cache:5.2f}x")
    print(f"  sqlite-utils / arctui    {slow / ours:5.2f}x   (aim: >= 5x)")


if __name__ == "__main__":
    main()
