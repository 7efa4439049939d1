"""Keys per task in the console (issue 13's table), replayed through Pilot on a copy of sample.db.

Each task starts from the queue as it opens (alice's queue, today 2026-11-23: the top account is
C000132 Thornbury Chemicals Systems AB, 45 open invoices, one contact), sends its keys as one
burst (no pause between two keys, as keys come over SSH: the console must take them in order),
then checks that what it did landed: the row in the database, the account on screen, the file
on disk. It prints one line per task: ``task keys typed_chars``, where ``keys`` counts every key
pressed (tab, enter, ctrl+s, a letter that picks from a list or ticks, a digit that picks a
report) and ``typed_chars`` the characters typed as text (amounts, dates, notes, invoice
numbers), which the issue does not count.

Run: python bench/keystrokes.py   (also run by tests/console_forms/test_keystrokes.py)
"""

import asyncio
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample.db"
USER = "alice"
TOP_ACCOUNT = "C000132"


@dataclass(frozen=True)
class Text:
    """Characters typed as text: sent key by key, not counted as keys."""

    chars: str


@dataclass
class Task:
    name: str
    goal: int
    steps: list
    landed: Callable  # (db, app, folder) -> str | None: what is wrong, None when it landed
    extra: dict = field(default_factory=dict)

    @property
    def keys(self) -> int:
        return sum(1 for step in self.steps if not isinstance(step, Text))

    @property
    def typed_chars(self) -> int:
        return sum(len(step.chars) for step in self.steps if isinstance(step, Text))


@dataclass
class Result:
    task: str
    keys: int
    typed_chars: int
    goal: int
    problem: str | None
    seconds: float

    def line(self) -> str:
        return f"{self.task} {self.keys} {self.typed_chars}"


# -- what each task should leave behind ------------------------------------------------


def _one(db, sql: str, params=()):
    return db.execute(sql, params).fetchall()


def _top_id(db) -> int:
    return _one(db, "SELECT id FROM customers WHERE account_no = ?", [TOP_ACCOUNT])[0][0]


def _client_open(db, app, folder) -> str | None:
    screen = app.screen
    if type(screen).__name__ != "ClientScreen" or getattr(screen, "customer_id", None) != _top_id(db):
        return f"the screen is {type(screen).__name__}, not the client screen of {TOP_ACCOUNT}"
    return None


def _call_logged(db, app, folder) -> str | None:
    rows = _one(
        db,
        "SELECT kind, outcome_code, note, contact_id IS NOT NULL FROM touchpoints"
        " WHERE customer_id = ? AND by = ? AND note = 'left a message with Ines'",
        [_top_id(db), USER],
    )
    return None if rows == [("call", "LVM", "left a message with Ines", 1)] else f"touchpoints: {rows}"


def _promise_recorded(db, app, folder) -> str | None:
    rows = _one(
        db,
        "SELECT amount_cents, promised_date FROM promises WHERE customer_id = ? AND created_by = ?"
        " AND promised_date = '2026-12-05'",
        [_top_id(db), USER],
    )
    return None if rows == [(500_000, "2026-12-05")] else f"promises: {rows}"


def _whole_balance_plan(db, app, folder) -> str | None:
    customer = _top_id(db)
    owed = _one(
        db, "SELECT count(*), sum(open_cents) FROM invoices WHERE customer_id = ? AND open_cents > 0", [customer]
    )
    plans = _one(
        db, "SELECT id, total_cents FROM payment_plans WHERE customer_id = ? AND created_by = ?", [customer, USER]
    )
    if len(plans) != 1:
        return f"payment plans: {plans}"
    plan, total = plans[0]
    count, cents = owed[0]
    instalments = _one(db, "SELECT count(*), sum(amount_cents) FROM plan_instalments WHERE plan_id = ?", [plan])
    invoices = _one(db, "SELECT count(*) FROM plan_invoices WHERE plan_id = ?", [plan])[0][0]
    if (total, instalments[0], invoices) != (cents, (6, cents), count):
        return f"plan total {total}, instalments {instalments[0]}, invoices {invoices}; owed {count} for {cents}"
    return None


def _memo_prepared(db, app, folder) -> str | None:
    rows = _one(
        db,
        "SELECT i.number, m.amount_cents, m.reason_code, m.gl_code, m.note FROM credit_memos m"
        " JOIN invoices i ON i.id = m.invoice_id WHERE m.customer_id = ? AND m.prepared_by = ?"
        " AND m.note LIKE 'price agreed%'",
        [_top_id(db), USER],
    )
    invoice = app.bench_memo_invoice
    wanted = [(invoice, 12_000, "pricing", "4510", "price agreed in PO 4471")]
    return None if rows == wanted else f"credit memos: {rows}, wanted {wanted}"


def _report_saved(db, app, folder) -> str | None:
    files = sorted(folder.glob("over-10k-60-*.xlsx"))
    if len(files) != 1:
        return f"files in {folder}: {sorted(p.name for p in folder.iterdir())}"
    if not files[0].read_bytes().startswith(b"PK"):
        return f"{files[0].name} is not an XLSX workbook"
    return None


# -- the tasks ----------------------------------------------------------------------------


def tasks(db) -> list[Task]:
    """The issue's table, on the sample book's top account."""
    customer = _top_id(db)
    memo_invoice = _one(
        db,
        "SELECT number FROM invoices WHERE customer_id = ? AND open_cents >= 12000 ORDER BY due_date LIMIT 1",
        [customer],
    )[0][0]
    reports = sorted(_report_names())
    report_digit = str((reports.index("over-10k-60") + 1) % 10)  # the tenth report's digit is 0
    return [
        Task("open-top-account", 1, ["enter"], _client_open),
        Task(
            "log-call-outcome-note",
            5,
            # c opens; tab to the outcome; L picks LVM; tab to the note (it follows the outcome)
            ["c", "tab", "L", "tab", Text("left a message with Ines"), "ctrl+s"],
            _call_logged,
        ),
        Task(
            "promise-amount-date",
            4,
            ["p", "tab", Text("5000"), "tab", Text("2026-12-05"), "ctrl+s"],
            _promise_recorded,
        ),
        Task(
            "plan-6-whole-balance-45-invoices",
            8,
            # P opens on the plan picker; tab to the invoices; a ticks all 45 (the total follows);
            # tab tab to Instalments; 6 (the schedule follows); save
            ["P", "tab", "a", "tab", "tab", Text("6"), "ctrl+s"],
            _whole_balance_plan,
        ),
        Task(
            "credit-memo-coded-with-reason",
            6,
            # m opens on the invoice list: its number picks it; amount; what happened; reason and GL
            # code, typed from the sample book's chart (over what a coder proposed)
            [
                "m",
                Text(memo_invoice.split("-")[-1]),
                "tab",
                Text("120"),
                "tab",
                Text("price agreed in PO 4471"),
                "tab",
                Text("pricing"),
                "tab",
                Text("4510"),
                "ctrl+s",
            ],
            _memo_prepared,
            {"memo_invoice": memo_invoice},
        ),
        Task("report-over-10k-60-xlsx", 4, ["R", report_digit, "x", "enter"], _report_saved),
    ]


def _report_names() -> list[str]:
    from arctui.plugins import PluginHost
    from arctui.services.reports import available_reports

    return list(available_reports(PluginHost()))


# -- replaying ----------------------------------------------------------------------------


def _key_events(steps) -> list[tuple[str, str | None]]:
    from textual.keys import _character_to_key

    events = []
    for step in steps:
        chars = step.chars if isinstance(step, Text) else (step if len(step) == 1 else None)
        if chars is None:
            events.append((step, {"tab": "\t", "enter": "\r"}.get(step)))
            continue
        for char in chars:
            events.append((char if char.isalnum() else _character_to_key(char), char))
    return events


async def _replay(task: Task, path: Path, folder: Path, timeout: float = 20.0) -> Result:
    from textual import events

    from arctui.console.app import ArctuiApp
    from arctui.locations import BUNDLED_THEMES
    from arctui.sample import DEFAULT_TODAY
    from arctui.services.context import Context, fixed_clock
    from arctui.store.connection import connect

    ctx = Context(connect(path), USER, fixed_clock(DEFAULT_TODAY))
    app = ArctuiApp(ctx, refresh_seconds=0, theme_dirs=[BUNDLED_THEMES])
    for name, value in task.extra.items():
        setattr(app, f"bench_{name}", value)
    started = time.perf_counter()
    problem, seconds = "not tried", 0.0
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            while type(app.screen).__name__ != "QueueScreen" or app.screen.current_customer_id() is None:
                await pilot.pause(0.05)
            started = time.perf_counter()
            for key, character in _key_events(task.steps):  # one burst: nothing waits between keys
                event = events.Key(key, character)
                event.set_sender(app)
                app._driver.send_message(event)
            deadline = time.monotonic() + timeout
            while True:
                await pilot.pause(0.05)
                problem = task.landed(ctx.db, app, folder)
                if problem is None or time.monotonic() > deadline:
                    break
            seconds = time.perf_counter() - started
            await pilot.pause(0.2)  # the screen it opened finishes mounting before the app closes
            await pilot.pause()
    finally:
        ctx.db.close()
    return Result(task.name, task.keys, task.typed_chars, task.goal, problem, seconds)


def run(workdir: Path | None = None, only: list[str] | None = None) -> list[Result]:
    """Every task on a fresh copy of sample.db; files the console saves go to ``workdir``."""
    from arctui.store.connection import connect

    folder = Path(workdir or tempfile.mkdtemp(prefix="arctui-keys-"))
    book = folder / "sample.db"
    shutil.copy(SAMPLE, book)
    db = connect(book)
    try:
        plan = tasks(db)
    finally:
        db.close()
    results = []
    here = Path.cwd()
    os.chdir(folder)  # the export line writes to a name relative to where the console runs
    try:
        for task in plan:
            if only and task.name not in only:
                continue
            copy = folder / f"{task.name}.db"
            shutil.copy(SAMPLE, copy)
            results.append(asyncio.run(_replay(task, copy, folder)))
    finally:
        os.chdir(here)
    return results


def main() -> int:
    results = run()
    for result in results:
        print(result.line())
    failed = [r for r in results if r.problem or r.keys > r.goal]
    for r in failed:
        print(f"# {r.task}: {r.problem or f'{r.keys} keys, goal {r.goal}'}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
