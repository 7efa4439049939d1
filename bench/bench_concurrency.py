"""Collectors on one shared database file: 8 processes against 1, in the same run.

Run: python bench/bench_concurrency.py [--seconds 30] [--workers 8] [--facts-rounds N]
Each run starts from a fresh book; the collectors (``tests/proof/collector_worker.py``) mix
touchpoints, promises, plans, memos, payments and applications, disputes and imports. It
prints the actions per second held and the latency percentiles of each run, the ratio of
the two, and checks the proof afterwards (no "database is locked", every acknowledged
action in the book with exactly one audit row, the ledger reconciling).

``--facts-rounds N``: instead, what keeping the queue's facts costs the writers (issue 12:
at most 10%): the workers on a book whose facts the triggers keep, then on one whose facts
are set aside, N rounds interleaved (which goes first alternates); actions/s of each, the
ratio of medians and each round's ratio.
"""

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from arctui.store.connection import connect, write  # noqa: E402
from tests.proof.book import make_book  # noqa: E402
from tests.proof.collector_run import problems, run_collectors  # noqa: E402


def measure(workers: int, seconds: float, facts: bool = True) -> float:
    with tempfile.TemporaryDirectory() as folder:
        book = make_book(Path(folder) / "book.db", collectors=workers, customers=40)
        if not facts:
            db = connect(book)
            with write(db):
                db.execute("UPDATE account_facts_state SET day = NULL")  # the triggers stand aside
            db.close()
        run = run_collectors(book, Path(folder), workers, seconds)
        found = problems(book, run)
    latency = run.latency_ms()
    print(
        f"{workers} process{'es' if workers > 1 else '  '}: {run.actions:7,} actions in {seconds:.0f} s"
        f" = {run.per_second:7.1f} actions/s; latency ms p50 {latency['p50']:6.1f}"
        f" p95 {latency['p95']:7.1f} p99 {latency['p99']:7.1f} max {latency['max']:7.1f};"
        f" {sum(run.refused.values())} refused cleanly, {len(run.errors)} unhandled errors"
    )
    for problem in found[:10]:
        print(f"  PROOF FAILED: {problem}")
    return run.per_second


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--facts-rounds", type=int, default=0)
    args = parser.parse_args()
    if args.facts_rounds:
        results = {True: [], False: []}
        for round_ in range(args.facts_rounds):
            # kept first in even rounds, aside first in odd ones: a machine growing busier
            # during the run weighs on both alike
            for facts in (True, False) if round_ % 2 == 0 else (False, True):
                print("facts kept:   " if facts else "facts aside:  ", end="")
                results[facts].append(measure(args.workers, args.seconds, facts=facts))
        kept, aside = results[True], results[False]
        ratio = statistics.median(kept) / statistics.median(aside)
        pairs = ", ".join(f"{k / a:.2f}" for k, a in zip(kept, aside))
        print(
            f"keeping the facts: {ratio:.2f}x the actions/s without (median of {args.facts_rounds}; round by round"
            f" {pairs}; aim >= 0.90x)"
        )
        return
    alone = measure(1, args.seconds)
    together = measure(args.workers, args.seconds)
    print(f"{args.workers} processes hold {together / alone:.2f}x the actions/s of one process")


if __name__ == "__main__":
    main()
