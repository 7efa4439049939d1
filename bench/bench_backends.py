"""SQLite against PostgreSQL on the same book (issue 15), as ratios PostgreSQL / SQLite.

Run: python bench/bench_backends.py [--customers 15000] [--invoices 1000000] [--rounds 7]
                                    [--import-rows 100000] [--workers 8,32] [--seconds 20] [--reads-only]
                                    [--pg-setting shared_buffers=1GB ...]

- Reads: one collector's queue (top 200), the lead's team queue (top 200), the KPIs of that
  collector and of the team, on the generated sample book (cached in bench/ as bench_queue's)
  and on its copy in a throwaway PostgreSQL server (initdb on 127.0.0.1, tests/pg/cluster.py)
  made by ``arctui migrate --to``'s move; both brought to the same day first; interleaved
  rounds (which backend goes first alternates), min and median.
- Import: ``--import-rows`` invoices of an ERP file (bench_import's) into a fresh book with
  its accounts, on each backend.
- Writers: ``--workers`` collector processes (tests/proof's workload: touchpoints, promises,
  plans, memos, payments, disputes, imports …) for ``--seconds`` on a fresh book of each
  backend; actions per second, and the proof's checks afterwards.
- ``--reads-only``: the reads alone, neither the import nor the writers.

PostgreSQL runs as the tests run it: fsync and synchronous_commit on (SQLite: WAL,
synchronous=NORMAL), on the same machine, over TCP on 127.0.0.1; but with PostgreSQL's own
default shared_buffers, 128MB (the tests' servers shrink it to 32MB to run many at once: there
a collector's KPIs on a 1M-invoice book no longer fit, and each read of them evicts the last's
pages). ``--pg-setting NAME=VALUE`` (repeated) adds postgresql.conf lines, such as the runbook's
``shared_buffers=1GB`` (docs/shared-server.md) or the tests' ``shared_buffers=32MB``.
"""

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from arctui.plugins import PluginHost  # noqa: E402
from arctui.sample import DEFAULT_TODAY  # noqa: E402
from arctui.services.context import Context, fixed_clock  # noqa: E402
from arctui.services.imports import run_import  # noqa: E402
from arctui.services.kpis import portfolio_kpis  # noqa: E402
from arctui.services.queue import build_queue  # noqa: E402
from arctui.store.connection import BUSY_TIMEOUT_SECONDS, connect  # noqa: E402
from arctui.store.postgresql.moving import move  # noqa: E402
from bench.bench_import import CUSTOMERS, write_files  # noqa: E402
from bench.common import sample_book  # noqa: E402
from tests.pg import cluster  # noqa: E402
from tests.proof.book import make_book  # noqa: E402
from tests.proof.collector_run import problems, run_collectors  # noqa: E402

TOP = 200


def busiest_collector(db) -> str:
    return db.execute("SELECT owner FROM customers GROUP BY owner ORDER BY count(*) DESC LIMIT 1").fetchone()[0]


def reads(books: dict, rounds: int) -> dict[str, dict[str, list[float]]]:
    """Seconds of each read on each backend, ``rounds`` times, interleaved."""
    collector = busiest_collector(books["SQLite"])
    work = {
        f"queue of {collector}, top {TOP}": lambda db: build_queue(db, DEFAULT_TODAY, collector, TOP),
        f"team queue, top {TOP}": lambda db: build_queue(db, DEFAULT_TODAY, None, TOP),
        f"KPIs of {collector}": lambda db: portfolio_kpis(db, DEFAULT_TODAY, collector),
        "KPIs of the team": lambda db: portfolio_kpis(db, DEFAULT_TODAY, None),
    }
    times = {name: {backend: [] for backend in books} for name in work}
    for db in books.values():
        for fn in work.values():
            fn(db)  # the day's facts brought in, caches warm
    order = list(books)
    for n in range(rounds):
        for backend in order if n % 2 == 0 else order[::-1]:
            for name, fn in work.items():
                started = time.perf_counter()
                fn(books[backend])
                times[name][backend].append(time.perf_counter() - started)
    return times


def import_seconds(target, erp: Path) -> float:
    """Seconds of an invoice import into a fresh book at ``target`` holding the accounts."""
    db = connect(target, create=True)
    db["customers"].insert_all(
        [
            {"id": i, "account_no": f"C{i:05d}", "name": f"Customer {i}", "terms_days": 30}
            for i in range(1, CUSTOMERS + 1)
        ]
    )
    ctx = Context(db, "bench", fixed_clock(DEFAULT_TODAY))
    started = time.perf_counter()
    report = run_import(ctx, PluginHost().collect("importers")["invoices"], erp)
    seconds = time.perf_counter() - started
    assert report.written and report.inserted == report.accepted, report.rejected[:5]
    db.close()
    return seconds


def writers(target, folder: Path, workers: int, seconds: float) -> float:
    """Actions per second of ``workers`` collector processes on a fresh book at ``target``."""
    folder.mkdir()
    book = make_book(target, collectors=workers, customers=max(40, workers * 3))
    run = run_collectors(book, folder, workers, seconds)
    for problem in problems(book, run)[:5]:
        print(f"  PROOF FAILED: {problem}")
    return run.per_second


def _ms(values: list[float]) -> str:
    return f"{min(values) * 1000:8.1f} / {statistics.median(values) * 1000:8.1f}"


def _ratio(pg: list[float], lite: list[float]) -> str:
    return f"{min(pg) / min(lite):5.2f}× / {statistics.median(pg) / statistics.median(lite):5.2f}×"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=15_000)
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--workers", default="8,32")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--reads-only", action="store_true", help="neither the import nor the writers")
    parser.add_argument("--pg-setting", action="append", default=[], help="NAME=VALUE for postgresql.conf")
    args = parser.parse_args()

    settings = {"shared_buffers": "128MB", **dict(setting.split("=", 1) for setting in args.pg_setting)}
    with tempfile.TemporaryDirectory() as scratch, cluster.server(**settings) as server:
        folder = Path(scratch)
        lite = folder / "book.db"
        shutil.copy(sample_book(args.customers, args.invoices, collectors=10), lite)
        connect(lite, upgrade=True).close()
        url = server.create_database("bench_book")
        started = time.perf_counter()
        source = connect(lite)
        move(source, url, BUSY_TIMEOUT_SECONDS)
        source.close()
        print(
            f"{args.invoices:,}-invoice book moved into PostgreSQL in {time.perf_counter() - started:.1f} s"
            f" ({', '.join(f'{name}={value}' for name, value in settings.items())})"
        )
        books = {"SQLite": connect(lite), "PostgreSQL": connect(url)}
        found = reads(books, args.rounds)
        print(f"\nreads, {args.rounds} rounds: ms min / median; ratio PostgreSQL / SQLite min / median")
        for name, by_backend in found.items():
            print(
                f"  {name:<34} SQLite {_ms(by_backend['SQLite'])}  PostgreSQL {_ms(by_backend['PostgreSQL'])}"
                f"  {_ratio(by_backend['PostgreSQL'], by_backend['SQLite'])}"
            )
        for db in books.values():
            db.close()
        if args.reads_only:
            return

        erp, _ = write_files(folder, args.import_rows)
        lite_s = import_seconds(folder / "import.db", erp)
        pg_s = import_seconds(server.create_database("bench_import"), erp)
        print(
            f"\nimport of {args.import_rows:,} invoices: SQLite {lite_s:.2f} s, PostgreSQL {pg_s:.2f} s,"
            f" ratio {pg_s / lite_s:.2f}×"
        )

        print(f"\nwriters, {args.seconds:.0f} s each: actions/s; ratio PostgreSQL / SQLite")
        for workers in (int(n) for n in args.workers.split(",")):
            lite_rate = writers(folder / f"writers{workers}.db", folder / f"lite{workers}", workers, args.seconds)
            pg_rate = writers(
                server.create_database(f"writers{workers}"), folder / f"pg{workers}", workers, args.seconds
            )
            print(
                f"  {workers:3} processes: SQLite {lite_rate:7.1f}  PostgreSQL {pg_rate:7.1f}"
                f"  ratio {pg_rate / lite_rate:5.2f}×"
            )


if __name__ == "__main__":
    main()
