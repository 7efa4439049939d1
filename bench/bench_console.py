"""The console's cost on a 1,000,000-invoice book against a 1,000-invoice book, in one run.

Both books have the same 15,000 accounts and 10 collectors (generated once, kept in bench/);
the console is opened as the collector with the most accounts. Each measurement runs in
a fresh process (so peak memory is the console's own), alternating the books, and the
median of --runs is reported:

- first queue: from opening the database to the first rendered queue screen (and, on its
  own, the part of it spent in services.queue.build_queue, measured again warm);
- 100 moves: 100 presses of j in the invoice view (all open invoices of the team);
- jump to last: G in that view (the last window is read from the far end);
- peak memory: the process's maximum resident set size (VmHWM, Linux).

It also times the first render of 100,000 rows in Textual's stock DataTable (every row
added), in textual-fastdatatable and in the console's windowed VirtualTable.

Run: python bench/bench_console.py [--runs 3]. Aim: every ratio at most 1.3.
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

from bench.common import sample_book  # noqa: E402

ACCOUNTS, COLLECTORS = 15_000, 10
BOOKS = {"1k": 1_000, "1M": 1_000_000}
TABLES = ("datatable", "fastdatatable", "virtual")
METRICS = (
    ("first_queue_s", "first queue (s)"),
    ("queue_service_s", "  of it build_queue"),
    ("moves_s", "100 moves (s)"),
    ("jump_end_s", "jump to last (s)"),
    ("peak_mb", "peak memory (MB)"),
)


async def _measure(path: str) -> dict:
    from arctui.console.app import ArctuiApp
    from arctui.console.screens.invoices import InvoicesScreen
    from arctui.console.screens.queue import QueueScreen
    from arctui.sample import DEFAULT_TODAY
    from arctui.services.context import Context, fixed_clock
    from arctui.store.connection import connect

    started = time.perf_counter()
    db = connect(path)
    user = db.execute("SELECT owner FROM customers GROUP BY owner ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    app = ArctuiApp(Context(db, user, fixed_clock(DEFAULT_TODAY)), refresh_seconds=0)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen) and app.screen.table.row_count
        first_queue = time.perf_counter() - started
        queue_rows = app.screen.table.row_count
        app.open_invoices(None)  # the whole team's open invoices
        await pilot.pause()
        assert isinstance(app.screen, InvoicesScreen)
        started = time.perf_counter()
        for _ in range(100):
            await pilot.press("j")
        await pilot.pause()
        moves = time.perf_counter() - started
        assert app.screen.table.cursor == 100
        started = time.perf_counter()
        await pilot.press("G")
        await pilot.pause()
        jump = time.perf_counter() - started
        invoices = app.screen.table.row_count
    peak = _peak_rss_mb()
    from arctui.services.queue import build_queue

    started = time.perf_counter()
    build_queue(db, DEFAULT_TODAY, user)
    queue_service = time.perf_counter() - started
    return {
        "first_queue_s": first_queue,
        "queue_service_s": queue_service,
        "moves_s": moves,
        "jump_end_s": jump,
        "peak_mb": peak,
        "queue_rows": queue_rows,
        "open_invoices": invoices,
    }


def _peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM starts afresh at exec, unlike ru_maxrss,
    which Linux carries over from the parent (here: the one that generated the books)."""
    status = Path("/proc/self/status").read_text()
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")) / 1024


async def _measure_table(kind: str, rows: int = 100_000) -> dict:
    from textual.app import App
    from textual.widgets import DataTable

    from arctui.console.widgets.virtual_table import Column, ListSource, VirtualTable

    columns = [f"col{i}" for i in range(8)]
    data = [[f"{r}-{c}" for c in range(8)] for r in range(rows)]

    class TableApp(App):
        def compose(self):
            if kind == "datatable":
                table = DataTable()
                table.add_columns(*columns)
                table.add_rows(data)
            elif kind == "fastdatatable":  # every row handed over, held in an Arrow table
                from textual_fastdatatable import DataTable as FastDataTable

                table = FastDataTable(data=[columns, *data])
            else:
                source = ListSource([(r, dict(zip(columns, row))) for r, row in enumerate(data)])
                table = VirtualTable([Column(c, c, 10) for c in columns], source)
            yield table

    started = time.perf_counter()
    async with TableApp().run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        return {"first_render_s": time.perf_counter() - started}


def _run_child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--measure-table", choices=TABLES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(asyncio.run(_measure(args.measure))))
        return
    if args.measure_table:
        print(json.dumps(asyncio.run(_measure_table(args.measure_table))))
        return
    paths = {name: sample_book(ACCOUNTS, n, COLLECTORS) for name, n in BOOKS.items()}
    results = {name: [] for name in BOOKS}
    for _ in range(args.runs):
        for name, path in paths.items():
            results[name].append(_run_child("--measure", str(path)))
    median = {
        name: {key: statistics.median(r[key] for r in runs) for key, _ in METRICS} for name, runs in results.items()
    }
    print(f"{ACCOUNTS:,} accounts, {COLLECTORS} collectors; median of {args.runs} runs")
    for name, runs in results.items():
        print(
            f"  {name} book: {runs[0]['queue_rows']:,} accounts in the queue,"
            f" {runs[0]['open_invoices']:,} open invoices in the view"
        )
    print(f"{'':20} {'1k book':>10} {'1M book':>10} {'ratio':>7}")
    for key, label in METRICS:
        small, large = median["1k"][key], median["1M"][key]
        print(f"{label:20} {small:10.3f} {large:10.3f} {large / small:7.2f}")
    tables = {kind: _run_child("--measure-table", kind)["first_render_s"] for kind in TABLES}
    print("100,000 rows, first render: " + ", ".join(f"{kind} {seconds:.2f} s" for kind, seconds in tables.items()))


if __name__ == "__main__":
    main()
