"""The portfolio KPIs of one collector and of the team on books of 100k, 1M and 3M invoices:
whether they stay flat as the book grows (issue 12: at most 1.3x per 3x invoices).

Run: python bench/bench_kpis.py [--invoices 100000 1000000 3000000] [--runs 9] [--scratch DIR]

Each book (generated once and kept in bench/, 15,000 accounts and 10 collectors) is copied to
``--scratch`` and brought to the current schema there, so a shared cached book is never
migrated under another run. The collector is the one owning most accounts. Beside the KPIs,
the part this issue's schema 18 changed: the memos posted in the CEI period, read from the
kept ``credited_by_day`` against the scan of every posted memo it replaced. Interleaved rounds,
min and median of each; the ratios between consecutive books.
"""

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from arctui.sample import DEFAULT_TODAY  # noqa: E402
from arctui.services.kpis import CEI_PERIOD_DAYS, compute_kpis  # noqa: E402
from arctui.store.connection import connect  # noqa: E402
from arctui.store.facts import bring_to  # noqa: E402
from arctui.store.read.kpis import credited_after  # noqa: E402
from bench.common import sample_book  # noqa: E402

# what credited_after read before schema 18: every posted memo, joined to its invoice and account
MEMOS_SCANNED = """SELECT sum(m.amount_cents) FROM credit_memos m
    CROSS JOIN invoices i ON i.id = m.invoice_id CROSS JOIN customers c ON c.id = i.customer_id
    WHERE m.status = 'posted' AND substr(m.posted_at, 1, 10) > :day AND substr(m.posted_at, 1, 10) <= :today
      AND c.owner = :collector AND i.currency = :currency"""


def measure(book: Path, runs: int) -> dict[str, list[float]]:
    db = connect(book, upgrade=True)
    today = DEFAULT_TODAY
    bring_to(db, today)
    collector = db.execute(
        "SELECT owner FROM customers WHERE owner IS NOT NULL GROUP BY owner ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    start = today - timedelta(days=CEI_PERIOD_DAYS)
    params = {"day": start.isoformat(), "today": today.isoformat(), "collector": collector, "currency": "USD"}
    assert credited_after(db, start, today, collector, "USD") == (db.execute(MEMOS_SCANNED, params).fetchone()[0] or 0)
    measures = {
        f"KPIs, one collector ({collector})": lambda: compute_kpis(db, today, collector),
        "KPIs, team": lambda: compute_kpis(db, today),
        "memos of the CEI period, credited_by_day": lambda: credited_after(db, start, today, collector, "USD"),
        "memos of the CEI period, scanned (before)": lambda: db.execute(MEMOS_SCANNED, params).fetchone(),
    }
    times = {name: [] for name in measures}
    for fn in measures.values():
        fn()  # warm
    for _ in range(runs):
        for name, fn in measures.items():
            started = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - started)
    db.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, nargs="+", default=[100_000, 1_000_000, 3_000_000])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--scratch", type=Path)
    args = parser.parse_args()
    found = {}
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.scratch or Path(scratch)
        for invoices in args.invoices:
            copy = folder / f"kpis_{invoices}.db"
            if not copy.exists():
                shutil.copy(sample_book(15_000, invoices, collectors=10), copy)
            found[invoices] = measure(copy, args.runs)
    names = list(next(iter(found.values())))
    print(f"{'ms, min / median':46}" + "".join(f"{n:>18,}" for n in found))
    for name in names:
        cells = [f"{min(t[name]) * 1e3:.1f} / {statistics.median(t[name]) * 1e3:.1f}" for t in found.values()]
        print(f"{name:46}" + "".join(f"{c:>18}" for c in cells))
    sizes = list(found)
    for smaller, larger in zip(sizes, sizes[1:]):
        for name in names[:2]:
            low = min(found[larger][name]) / min(found[smaller][name])
            mid = statistics.median(found[larger][name]) / statistics.median(found[smaller][name])
            print(f"  {name}: {larger:,} / {smaller:,} invoices {low:.2f}x (min) {mid:.2f}x (median)")


if __name__ == "__main__":
    main()
