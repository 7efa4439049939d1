"""Import a 1,000,000-line invoice CSV: arctui against the tuned loader, interleaved and
repeated; how long arctui holds the write lock and the longest wait of a collector's save
meanwhile; peak memory.

- arctui: ``arctui import invoices`` as a collector runs it: an ERP-shaped file (its own
  headers, account numbers, decimal amounts, thousands separators on some lines) read,
  converted and checked field by field, keyed against the database, staged without the
  write lock and merged in one transaction (the queue's facts rebuilt with it);
- tuned loader (the issue's baseline): ``csv.reader`` + ``executemany`` of a file already
  shaped like the table (customer ids, amounts in cents), no conversion, no checks, with
  arctui's 64 MiB page cache, the secondary indexes dropped and built again after the load;
- raw (``--all``): the same without the cache and with the indexes kept, and the installed
  ``sqlite-utils insert DB invoices FILE --csv``.

Every run is a process of its own (so its peak memory is its own) on a fresh database with
the customers loaded: arctui and the tuned loader with the queue's facts kept (the tuned
loader sets them aside with the indexes and rebuilds them in one statement after), the
plain loads without; every load adds its rows to the KPIs' sales tables, grouped, at its end.
During each arctui run a second process saves a touchpoint again and again, as a collector
at the console would, and records the longest a save waited for the write lock. Rounds are
interleaved (one run of each per round); min and median of wall seconds, CPU seconds and peak RSS, and the ratios.

    python bench/bench_import.py [--rows N] [--rounds R] [--all] [--keep DIR]
"""

import argparse
import csv
import multiprocessing
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date, timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from arctui.plugins import PluginHost  # noqa: E402
from arctui.services import imports  # noqa: E402
from arctui.services.context import Context, fixed_clock  # noqa: E402
from arctui.services.imports import IMPORT_CACHE_KIB, run_import  # noqa: E402
from arctui.services.touchpoints import log_touchpoint  # noqa: E402
from arctui.store import sales  # noqa: E402
from arctui.store.connection import connect  # noqa: E402
from arctui.store.facts import bring_to  # noqa: E402

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


def fresh_db(path: Path, facts: bool) -> Path:
    """An empty book with the customers loaded; ``facts``: the queue's facts kept, as in a
    book in use (without, its triggers stand aside: the plain loads' book)."""
    db = connect(path, create=True)
    with db.conn:
        db.conn.executemany(
            "INSERT INTO customers (id, account_no, name, terms_days) VALUES (?, ?, ?, 30)",
            [(i, f"C{i:05d}", f"Customer {i}") for i in range(1, CUSTOMERS + 1)],
        )
    if facts:
        bring_to(db, TODAY)
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
    held = []
    imports.write = partial(_held, imports.write, held)  # how long the import holds the write lock
    with Clock() as clock:
        report = run_import(ctx, importer, erp)
    assert report.written and report.inserted == report.accepted, report.rejected[:5]
    ctx.db.close()
    clock.held = max(held)
    return clock


@contextmanager
def _held(write, held: list, db, what=None):
    with write(db, what=what):
        started = time.perf_counter()
        yield db
    held.append(time.perf_counter() - started)


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
        day = conn.execute("SELECT day FROM account_facts_state").fetchone()[0]
        for name, _ in indexes if rebuild_indexes else ():
            conn.execute(f"DROP INDEX {name}")
        if day is not None:  # the queue's facts set aside like the indexes, rebuilt after them
            conn.execute("UPDATE account_facts_state SET day = NULL")
        last_id = conn.execute("SELECT coalesce(max(rowid), 0) FROM invoices").fetchone()[0]
        with sales.set_aside(conn, last_id):  # the KPIs' monthly sales: the new rows added grouped, as arctui does
            conn.executemany(
                f"INSERT INTO invoices ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", reader
            )
        for _, sql in indexes if rebuild_indexes else ():
            conn.execute(sql)
        if day is not None:
            conn.execute("UPDATE account_facts_state SET day = ?", [day])
            conn.execute("DELETE FROM account_facts")
            conn.execute("INSERT INTO account_facts SELECT * FROM account_facts_fresh")
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
RAW, TUNED = "raw csv + executemany", "tuned loader"
RUNS = {
    TUNED: partial(run_raw, cache_kib=IMPORT_CACHE_KIB, rebuild_indexes=True),
    ARCTUI: run_arctui,
    RAW: run_raw,
    SQLITE_UTILS: run_sqlite_utils,
}


def _one_run(name: str, db_path: Path, source: Path, results) -> None:
    """In a process of its own: one run, its seconds and its peak memory (MiB)."""
    clock = RUNS[name](db_path, source)
    peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    results.put((clock.wall, clock.cpu, peak / 1024, getattr(clock, "held", None)))


def _saves(db_path: Path, stop, waits) -> None:
    """A collector saving a touchpoint again and again (what the console's save does to the
    lock: one short write transaction); the longest wait for the lock, in seconds."""
    db = connect(db_path)
    ctx = Context(db, "ann", fixed_clock(TODAY))
    longest = saves = 0
    while not stop.is_set():
        started = time.perf_counter()
        log_touchpoint(ctx, 1 + saves % CUSTOMERS, "note", "NOTE", note="while the import runs")
        longest = max(longest, time.perf_counter() - started)
        saves += 1
        time.sleep(0.05)
    waits.put((longest, saves))


def measure(name: str, db_path: Path, source: Path) -> tuple[float, float, float, float | None, float | None]:
    """(wall s, CPU s, peak MiB, longest save wait s, lock held s; the last two None but for
    arctui) of one run in a fresh process."""
    spawn = multiprocessing.get_context("spawn")
    results, waits, stop = spawn.Queue(), spawn.Queue(), spawn.Event()
    saver = spawn.Process(target=_saves, args=(db_path, stop, waits)) if name == ARCTUI else None
    if saver:
        saver.start()
    runner = spawn.Process(target=_one_run, args=(name, db_path, source, results))
    runner.start()
    wall, cpu, peak, held = results.get()
    runner.join()
    longest = None
    if saver:
        stop.set()
        longest, _ = waits.get()
        saver.join()
    return wall, cpu, peak, longest, held


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--all", action="store_true", help="also the untuned raw loader and sqlite-utils (once)")
    parser.add_argument("--keep", type=Path, help="write the files and databases here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        erp, table = write_files(folder, args.rows)
        fresh_db(folder / "kept.db", facts=True)
        fresh_db(folder / "plain.db", facts=False)
        found: dict[str, list[tuple]] = {TUNED: [], ARCTUI: []}
        plan = [name for _ in range(args.rounds) for name in (TUNED, ARCTUI)]
        plan += [RAW, SQLITE_UTILS] if args.all else []
        for name in plan:
            db_path = folder / "run.db"
            shutil.copy(folder / ("kept.db" if name in (ARCTUI, TUNED) else "plain.db"), db_path)
            found.setdefault(name, []).append(measure(name, db_path, erp if name == ARCTUI else table))
            assert _count(db_path) == args.rows, f"{name}: {_count(db_path)} rows"
            db_path.unlink()
    report(args.rows, args.rounds, found)


def report(rows: int, rounds: int, found: dict[str, list[tuple]]) -> None:
    print(f"{rows:,} invoice lines, {rounds} interleaved rounds: min / median")
    print(f"  {'':28} {'wall s':>15} {'CPU s':>15} {'peak MiB':>15} {'longest save wait s':>20}")
    for name, runs in found.items():
        cells = [_min_median([run[k] for run in runs], ".2f" if k < 2 else ".0f") for k in range(3)]
        waits = [run[3] for run in runs if run[3] is not None]
        print(
            f"  {name:28} {cells[0]:>15} {cells[1]:>15} {cells[2]:>15} {_min_median(waits, '.2f') if waits else '':>20}"
        )
    ours, tuned = found[ARCTUI], found[TUNED]
    for k, what, aim in ((0, "wall", "aim: <= 1.3x"), (1, "CPU", ""), (2, "peak memory", "aim: <= 2x")):
        low = min(r[k] for r in ours) / min(r[k] for r in tuned)
        mid = statistics.median(r[k] for r in ours) / statistics.median(r[k] for r in tuned)
        print(f"  arctui / tuned loader, {what:12} {low:5.2f}x (min)  {mid:5.2f}x (median)  {aim}")
    print(
        f"  arctui held the write lock {_min_median([r[4] for r in ours], '.2f')} s (min / median; aim: <= 1 s);"
        f" a collector's save waited at most {max(r[3] for r in ours):.2f} s (aim: about 2 s)"
    )
    if SQLITE_UTILS in found:
        print(f"  sqlite-utils / arctui, wall: {found[SQLITE_UTILS][0][0] / min(r[0] for r in ours):.2f}x")


def _min_median(values: list[float], spec: str) -> str:
    return f"{min(values):{spec}} / {statistics.median(values):{spec}}"


if __name__ == "__main__":
    main()
