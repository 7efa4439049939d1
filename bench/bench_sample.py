"""``arctui sample`` at scale: a 1,000,000-invoice book against a bare ``executemany``.

Run: python bench/bench_sample.py [--invoices N] [--customers N]
Prints the generation's wall and CPU seconds, rows written per
second, the file size, and the ratio against inserting the same invoice rows with one raw
``executemany`` into a bare table (no indexes, no constraints) in this same run. The load
average is printed too: on a shared two-core machine other work stretches the wall time.
"""

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from arctui.sample import SampleSpec, generate  # noqa: E402


def raw_executemany_seconds(rows: list[tuple], folder: Path) -> float:
    """One transaction inserting ``rows`` into an unindexed table of the same columns."""
    db = sqlite3.connect(folder / "bare.db", isolation_level=None)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute(f"CREATE TABLE bare ({', '.join(f'c{k}' for k in range(len(rows[0])))})")
    started = time.perf_counter()
    db.execute("BEGIN")
    db.executemany(f"INSERT INTO bare VALUES ({', '.join('?' * len(rows[0]))})", rows)
    db.execute("COMMIT")
    seconds = time.perf_counter() - started
    db.close()
    return seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=15_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "book.db"
        load_before = os.getloadavg()[0]
        cpu = time.process_time()
        counts = generate(path, SampleSpec(args.customers, args.invoices, args.seed))
        cpu = time.process_time() - cpu
        seconds = counts.pop("seconds")
        size = path.stat().st_size
        db = sqlite3.connect(path)
        invoices = db.execute("SELECT * FROM invoices ORDER BY id").fetchall()
        db.close()
        raw = raw_executemany_seconds(invoices, folder)
    rows = sum(counts.values())
    print(
        f"book: {args.customers:,} customers, {counts['invoices']:,} invoices, "
        f"{counts['payments']:,} payments, {counts['payment_applications']:,} applications, "
        f"{rows:,} rows in all (load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after)"
    )
    print(f"arctui sample, wall                    {seconds:8.1f} s")
    print(f"arctui sample, CPU                     {cpu:8.1f} s")
    print(f"  rows written per second (wall)       {rows / seconds:10,.0f}")
    print(f"  invoices per second (wall)           {counts['invoices'] / seconds:10,.0f}")
    print(f"  file size (after VACUUM)             {size / 1e6:8.1f} MB")
    print(f"raw executemany of the invoice rows    {raw:8.1f} s   (bare table, no indexes)")
    print(f"  ratio sample / raw invoice insert    {seconds / raw:8.2f}x")


if __name__ == "__main__":
    main()
