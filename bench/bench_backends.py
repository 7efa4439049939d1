"""SQLite against PostgreSQL on the same book (issue 15), as ratios PostgreSQL / SQLite.

Run: python bench/bench_backends.py [--customers 15000] [--invoices 1000000] [--rounds 7]
                                    [--import-rows 100000] [--workers 8,32] [--seconds 20]
                                    [--writers-rounds 1] [--reads-only | --writers-only]
                                    [--pg-setting NAME=VALUE ...]

- Reads: one collector's queue (top 200), the lead's team queue (top 200), the KPIs of that
  collector and of the team, on the generated sample book (cached in bench/ as bench_queue's)
  and on its copy in a throwaway PostgreSQL server (initdb on 127.0.0.1, tests/pg/cluster.py)
  made by ``arctui migrate --to``'s move; both brought to the same day first; interleaved
  rounds (which backend goes first alternates), min and median.
- Import: ``--import-rows`` invoices of an ERP file (bench_import's) into a fresh book with
  its accounts, on each backend.
- Writers: ``--workers`` collector processes (tests/proof's workload: touchpoints, promises,
  plans, memos, payments, disputes, imports …) for ``--seconds`` on a fresh book of each
  backend, ``--writers-rounds`` times interleaved (which backend goes first alternates);
  actions per second, the actions run again after a write conflict per 1,000 calls (on
  PostgreSQL collectors' actions run side by side and a conflict's loser is replayed, see
  docs/shared-server.md "How concurrent writes work"), the proof's checks afterwards, and the
  machine's load average. ``--writers-only`` skips the reads and the import.

``--reads-only`` skips the import and the writers.

PostgreSQL runs as the tests run it: fsync and synchronous_commit on (SQLite: WAL,
synchronous=NORMAL), on the same machine, over TCP on 127.0.0.1, no group commit; but with
PostgreSQL's own default shared_buffers, 128MB (the tests' servers shrink it to 32MB to run many
at once: there a collector's KPIs on a 1M-invoice book no longer fit, and each read of them
evicts the last's pages). ``--pg-setting NAME=VALUE`` (repeated) adds postgresql.conf lines,
such as the runbook's ``shared_buffers=1GB`` (docs/shared-server.md), the tests'
``shared_buffers=32MB``, or group commit's ``commit_delay=1000`` and ``commit_siblings=5``: the
first line printed says which.
"""

import argparse
import os
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
from tests.proof.collector_run import CrowdRun, problems, run_collectors  # noqa: E402

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


def writers(target, folder: Path, workers: int, seconds: float) -> tuple[CrowdRun, bool]:
    """``workers`` collector processes for ``seconds`` on a fresh book at ``target``, and
    whether the proof's checks held afterwards."""
    folder.mkdir()
    book = make_book(target, collectors=workers, customers=max(40, workers * 3))
    run = run_collectors(book, folder, workers, seconds)
    found = problems(book, run)
    for problem in found[:5]:
        print(f"  PROOF FAILED: {problem}")
    return run, not found


def _replays(run: CrowdRun) -> str:
    """Runs again after a write conflict, per 1,000 calls: in all, and the ops that had most."""
    calls = sum(run.calls.values())
    worst = sorted(run.replays.items(), key=lambda kv: -kv[1] / run.calls[kv[0]])[:4]
    listed = ", ".join(f"{op} {n * 1000 / run.calls[op]:.0f}" for op, n in worst if n)
    return f"{sum(run.replays.values()) * 1000 / max(calls, 1):.0f}" + (f" ({listed})" if listed else "")


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
    parser.add_argument("--writers-rounds", type=int, default=1, help="writers' runs per backend, interleaved")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--reads-only", action="store_true", help="neither the import nor the writers")
    only.add_argument("--writers-only", action="store_true", help="neither the reads nor the import")
    parser.add_argument("--pg-setting", action="append", default=[], help="NAME=VALUE for postgresql.conf")
    args = parser.parse_args()

    settings = {"shared_buffers": "128MB", **dict(setting.split("=", 1) for setting in args.pg_setting)}
    print(f"PostgreSQL: fsync and synchronous_commit on; {', '.join(f'{k}={v}' for k, v in settings.items())}")
    with tempfile.TemporaryDirectory() as scratch, cluster.server(**settings) as server:
        folder = Path(scratch)
        if not args.writers_only:
            reads_and_import(server, folder, args)
        if args.reads_only:
            return
        print(f"\nwriters, {args.seconds:.0f} s each: actions/s; runs again after a write conflict per 1,000 calls")
        for workers in (int(n) for n in args.workers.split(",")):
            rates = {"SQLite": [], "PostgreSQL": []}
            for n in range(args.writers_rounds):
                order = ["SQLite", "PostgreSQL"] if n % 2 == 0 else ["PostgreSQL", "SQLite"]
                for backend in order:
                    name = f"writers{workers}_{n}"
                    target = folder / f"{name}.db" if backend == "SQLite" else server.create_database(name)
                    run, held = writers(target, folder / f"{backend}{name}", workers, args.seconds)
                    rates[backend].append(run.per_second)
                    print(
                        f"  {workers:3} processes, {backend:<10} {run.per_second:7.1f} actions/s,"
                        f" replays {_replays(run)}, proof {'held' if held else 'FAILED'}, {_load()}"
                    )
            lite, pg = rates["SQLite"], rates["PostgreSQL"]
            print(
                f"  {workers:3} processes: SQLite {min(lite):7.1f} / {statistics.median(lite):7.1f}"
                f"  PostgreSQL {min(pg):7.1f} / {statistics.median(pg):7.1f}"
                f"  ratio {statistics.median(pg) / statistics.median(lite):5.2f}× (median)"
            )


def _load() -> str:
    return "load " + " ".join(f"{n:.1f}" for n in os.getloadavg())


def reads_and_import(server, folder: Path, args) -> None:
    lite = folder / "book.db"
    shutil.copy(sample_book(args.customers, args.invoices, collectors=10), lite)
    connect(lite, upgrade=True).close()
    url = server.create_database("bench_book")
    started = time.perf_counter()
    source = connect(lite)
    move(source, url, BUSY_TIMEOUT_SECONDS)
    source.close()
    print(f"{args.invoices:,}-invoice book moved into PostgreSQL in {time.perf_counter() - started:.1f} s")
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


if __name__ == "__main__":
    main()
