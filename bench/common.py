"""Shared by the benchmarks: a cached sample book and a timing helper."""

import statistics
import time
from pathlib import Path

from arctui.sample import SampleSpec, generate

BENCH_DIR = Path(__file__).parent


def sample_book(
    customers: int, invoices: int, collectors: int | None = None, seed: int = 1, folder: Path = BENCH_DIR
) -> Path:
    """A generated book, kept in ``folder`` (bench/, git-ignored) between runs."""
    path = Path(folder) / f"book_{customers}c_{invoices}i.db"
    if not path.exists():
        started = time.perf_counter()
        generate(path, SampleSpec(customers=customers, invoices=invoices, seed=seed, collectors=collectors))
        print(f"generated {path.name} in {time.perf_counter() - started:.1f} s")
    return path


def best_of(fn, runs: int = 7) -> float:
    """Median seconds of ``runs`` calls (after one warm-up call)."""
    fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)
