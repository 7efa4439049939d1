"""The console's first render of the lead's team queue against a collector's own, on the
1,000,000-invoice book (issue 12: the lead's at most 1.3x the collector's).

Each measure runs the real Textual app headless (``App.run_test``) in a fresh process: from
opening the book to the first queue screen holding its first rows (polled every 2 ms), for the collector with
the most accounts (their queue) and for the lead, who owns none (the whole team's queue).
The two alternate, run after run; min and median of each and the ratios. The console shows
the top of the queue first and reads the whole of it behind (the counts, the filter,
scrolling): the time until the whole queue is shown is printed too. The book's facts are
brought to the day first, so no run pays the day's rebuild.

Run: python bench/bench_console_lead.py [--runs 7] [--invoices 1000000] [--books DIR]
"""

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BENCH_DIR, sample_book  # noqa: E402

ACCOUNTS, COLLECTORS = 15_000, 10


async def _first_render(path: str, user: str) -> dict:
    from arctui.console.app import ArctuiApp
    from arctui.console.screens.queue import QueueScreen
    from arctui.sample import DEFAULT_TODAY
    from arctui.services.context import Context, fixed_clock
    from arctui.store.connection import connect

    started = time.perf_counter()
    db = connect(path)
    app = ArctuiApp(Context(db, user, fixed_clock(DEFAULT_TODAY)), refresh_seconds=0)
    async with app.run_test(size=(160, 48)) as pilot:
        # pilot.pause() would also wait for the rest of the queue: poll for the first rows
        while not (isinstance(app.screen, QueueScreen) and app.screen.table.row_count):
            await asyncio.sleep(0.002)
        await asyncio.sleep(0)  # the refresh the new rows asked for
        seconds = time.perf_counter() - started
        await app.workers.wait_for_complete()  # the rest of the queue, read behind its top
        await pilot.pause()
        whole = time.perf_counter() - started
        return {
            "seconds": seconds,
            "whole": whole,
            "rows": app.screen.table.row_count,
            "scope": app.screen.scope_label(),
        }


def _child(path: Path, user: str) -> dict:
    args = [sys.executable, __file__, "--measure", str(path), "--user", user]
    return json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--books", type=Path, default=BENCH_DIR, help="folder of the generated books (default bench/)")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--user", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(asyncio.run(_first_render(args.measure, args.user))))
        return
    from arctui.sample import DEFAULT_TODAY
    from arctui.store.connection import connect
    from arctui.store.facts import bring_to

    path = sample_book(ACCOUNTS, args.invoices, COLLECTORS, folder=args.books)
    db = connect(path, upgrade=True)
    bring_to(db, DEFAULT_TODAY)
    collector = db.execute("SELECT owner FROM customers GROUP BY owner ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    lead = db.execute("SELECT id FROM collectors WHERE role = 'lead' ORDER BY id LIMIT 1").fetchone()[0]
    db.close()
    users = {"collector": collector, "lead": lead}
    runs = {who: [] for who in users}
    _child(path, collector)  # warm the file cache
    for _ in range(args.runs):
        for who, user in users.items():
            runs[who].append(_child(path, user))
    print(f"{args.invoices:,} invoices, {ACCOUNTS:,} accounts; {args.runs} interleaved runs, each a fresh process")
    for who, user in users.items():
        seconds, whole = [r["seconds"] for r in runs[who]], [r["whole"] for r in runs[who]]
        print(
            f"  {who:9} {user:6} ({runs[who][0]['scope']}, {runs[who][0]['rows']:,} rows):"
            f" first render min {min(seconds):.3f} s, median {statistics.median(seconds):.3f} s;"
            f" whole queue shown min {min(whole):.3f} s, median {statistics.median(whole):.3f} s"
        )
    lead_s, collector_s = ([r["seconds"] for r in runs[who]] for who in ("lead", "collector"))
    print(
        f"  lead / collector: {min(lead_s) / min(collector_s):.2f}x (min),"
        f" {statistics.median(lead_s) / statistics.median(collector_s):.2f}x (median); aim <= 1.3x"
    )


if __name__ == "__main__":
    main()
