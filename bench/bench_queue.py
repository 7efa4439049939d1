"""The ranked queue against the fastest honest raw SQL, on books of 100k, 1M and 3M invoices.

Run: python bench/bench_queue.py [--invoices 100000 1000000 3000000] [--runs 9] [--books DIR]

The raw baseline (issue 12): per account of the collector (or of the whole team), the open
balance in the five aging buckets and the oldest days past due, ordered by an age-weighted
overdue amount, LIMIT 200: one GROUP BY over the open invoices joined to customers on the
owner, with the existing indexes. arctui's queue is ``build_queue(db, today, collector, 200)``:
the facts kept in ``account_facts``, scored in SQL, the 200 rows shown built with their
score components (schema 17: the score kept in ``account_facts``, the top 200 read off its
queue index). Measures are interleaved (one of each per round) and repeated; min and median
of each, and the ratios of mins and of medians. The first read of the day (the facts rebuilt
for a new day) is timed once per book, and so is a read-only book's first read of a new day
(the queue ranked from scratch, nothing written). Books are generated once and kept in
bench/, or ``--books`` (15,000 accounts and 10 collectors each, as the issue's sample book).
"""

import argparse
import sqlite3
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlite_utils import Database  # noqa: E402

from arctui.domain.aging import BUCKET_BOUNDS  # noqa: E402
from arctui.domain.score import AGE_WEIGHTS  # noqa: E402
from arctui.sample import DEFAULT_TODAY  # noqa: E402
from arctui.services.kpis import compute_kpis  # noqa: E402
from arctui.services.queue import build_queue  # noqa: E402
from arctui.store.connection import connect  # noqa: E402
from arctui.store.facts import bring_to  # noqa: E402
from bench.common import BENCH_DIR, sample_book  # noqa: E402

TOP = 200


def raw_queue_sql(collector: bool) -> str:
    """The yardstick, written by hand: buckets by due-date cut-offs (bound parameters)."""
    cuts = [(name, high) for name, _, high in BUCKET_BOUNDS]
    sums, weighted, lower = [], [], None
    for name, high in cuts:
        # due dates past due by at most ``high`` days and more than the bucket before's
        parts = ([f"i.due_date >= :cut{high}"] if high is not None else []) + (
            [f"i.due_date < :cut{lower}"] if lower is not None else []
        )
        sums.append(f"sum(CASE WHEN {' AND '.join(parts)} THEN i.open_cents ELSE 0 END) AS [{name}]")
        if name in AGE_WEIGHTS:
            weighted.append(f"{AGE_WEIGHTS[name]} * [{name}]")
        lower = high
    owner = "c.owner = :collector" if collector else "1"
    return f"""
SELECT * FROM (
  SELECT c.id, {", ".join(sums)},
    CAST(julianday(:today) - julianday(min(i.due_date)) AS INTEGER) AS oldest_days
  FROM customers c JOIN invoices i ON i.customer_id = c.id AND i.open_cents <> 0
  WHERE {owner} GROUP BY c.id)
ORDER BY {" + ".join(weighted)} DESC LIMIT {TOP}"""


def raw_params(today, collector) -> dict:
    params = {"today": today.isoformat(), "collector": collector}
    for _, _, high in BUCKET_BOUNDS:
        if high is not None:
            params[f"cut{high}"] = (today - timedelta(days=high)).isoformat()
    return params


def interleaved(measures: dict, runs: int) -> dict[str, list[float]]:
    """Seconds of every measure, one of each per round after a warm-up round."""
    times = {name: [] for name in measures}
    for round_ in range(runs + 1):
        for name, fn in measures.items():
            started = time.perf_counter()
            fn()
            if round_:
                times[name].append(time.perf_counter() - started)
    return times


def kpis_or_none(db, today, collector):
    try:
        return compute_kpis(db, today, collector)
    except Exception as exc:  # the KPIs are another issue's (currencies): say why, keep the queue figures
        return exc


def read_only_new_day(path, today, collector) -> tuple[float, float]:
    """Seconds of a read-only book's first queue of a day its kept facts are not of: one
    collector's, then the team's (min of three each)."""
    db = Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None))
    day = today + timedelta(days=1)
    times = []
    for who in (collector, None):
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            build_queue(db, day, who, TOP)
            runs.append(time.perf_counter() - started)
        times.append(min(runs))
    db.close()
    return times[0], times[1]


def bench_book(invoices: int, customers: int, collectors: int, runs: int, folder: Path) -> None:
    path = sample_book(customers, invoices, collectors, folder=folder)
    db = connect(path, upgrade=True)
    today = DEFAULT_TODAY
    collector, accounts = db.execute(
        "SELECT owner, count(*) FROM customers GROUP BY owner ORDER BY 2 DESC LIMIT 1"
    ).fetchone()
    started = time.perf_counter()
    bring_to(db, today - timedelta(days=1))
    bring_to(db, today)
    rebuild = time.perf_counter() - started
    queued = len(build_queue(db, today, collector))
    raw_one, raw_team = raw_queue_sql(True), raw_queue_sql(False)
    params = raw_params(today, collector)
    measures = {
        "raw, one collector": lambda: db.execute(raw_one, params).fetchall(),
        "queue, one collector": lambda: build_queue(db, today, collector, TOP),
        "raw, team": lambda: db.execute(raw_team, params).fetchall(),
        "queue, team": lambda: build_queue(db, today, None, TOP),
    }
    kpis = kpis_or_none(db, today, collector)
    if not isinstance(kpis, Exception):
        measures["KPIs, one collector"] = lambda: compute_kpis(db, today, collector)
        measures["KPIs, team"] = lambda: compute_kpis(db, today)
    times = interleaved(measures, runs)
    total = db.execute("SELECT count(*) FROM invoices").fetchone()[0]
    print(
        f"\n{total:,} invoices, {customers:,} accounts; collector {collector}: {accounts:,} accounts, "
        f"{queued:,} queued; {runs} interleaved rounds; facts rebuilt for a new day in {rebuild / 2:.2f} s"
    )
    print(f"  {'measure':24} {'min ms':>8} {'median ms':>10} {'ratio (min)':>12} {'ratio (median)':>15}")
    for name, seconds in times.items():
        low, mid = min(seconds), statistics.median(seconds)
        line = f"  {name:24} {low * 1000:8.1f} {mid * 1000:10.1f}"
        # the yardsticks: a queue against its own raw SQL, the KPIs against the raw team SQL
        raw = (
            None if name.startswith("raw") else "raw, one collector" if name == "queue, one collector" else "raw, team"
        )
        if raw:
            line += f" {low / min(times[raw]):11.2f}x {mid / statistics.median(times[raw]):14.2f}x"
        print(line)
    if isinstance(kpis, Exception):
        print(f"  KPIs not measured: {kpis}")
    db.close()
    one, team = read_only_new_day(path, today, collector)
    print(
        f"  read-only book, a new day (ranked from scratch): one collector {one * 1000:.1f} ms,"
        f" team {team * 1000:.1f} ms"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, nargs="+", default=[100_000, 1_000_000, 3_000_000])
    parser.add_argument("--customers", type=int, default=15_000)
    parser.add_argument("--collectors", type=int, default=10)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--books", type=Path, default=BENCH_DIR, help="folder of the generated books (default bench/)")
    args = parser.parse_args()
    print(
        "aims (issue 12): queue, one collector <= 1.3x its raw SQL; queue, team <= 0.5x the raw team SQL;"
        " both flat from 1M to 3M; KPIs one collector <= 2x and team <= 1x the raw team SQL"
    )
    for invoices in args.invoices:
        bench_book(invoices, args.customers, args.collectors, args.runs, args.books)


if __name__ == "__main__":
    main()
