"""Every ``arctui do`` action run with random option values, one at a time and as CSV batches:
a run either lands as exactly one audited action per record (and exits 0) or writes nothing
and says why in one line (exit 1; a misuse of the options: click's exit 2); never a traceback.
On a SQLite file and on a PostgreSQL book.

Seeded like the form fuzz; ``ARCTUI_FUZZ=long`` runs each action ten times as often.
"""

import csv
import io
import os
import random

import pytest
from click.testing import CliRunner

from arctui.cli import cli
from arctui.commands.do_actions import ACTIONS
from tests.console_forms.conftest import TODAY, make_world
from tests.proof.fuzz_values import TOKENS
from tests.proof.test_fuzz_forms import TYPED, state

LONG = os.environ.get("ARCTUI_FUZZ") == "long"
RUNS_PER_ACTION = 60 if LONG else 6
PLAUSIBLE = {
    "account": ["A-100", "B-200"],
    "invoice": ["INV-1001", "INV-1003"],
    "invoices": ["INV-1002", "INV-1001 INV-1002", "INV-1002=10"],
    "amount": ["1.00", "12.50", "600"],  # $600: above ann's limit (a refund of it is a request)
    "total": ["50.00"],
    "date": ["2026-11-30"],
    "first-due": ["2026-12-01"],
    "until": ["2026-12-15"],
    "follow-up": ["2026-11-30"],
    "count": ["2"],
    "outcome": ["LVM", "CB"],
    "reason": ["pricing", "PRICE"],
    "gl": ["4100"],
    "resolution": ["withdrawn"],
    "kind": ["management", "call"],
    "memo": ["1"],
    "dispute": ["1"],
    "payment": ["1"],
    "contact": ["1"],
    "name": ["Eli Evans"],
    "email": ["eli@acme.example"],
    "note": ["called AP"],
}


def values(action, rng: random.Random) -> dict[str, str]:
    careful = rng.random() < 0.6
    chosen = {}
    for field in action.fields:
        if field.flag:
            continue
        if careful and field.name in PLAUSIBLE:
            chosen[field.name] = rng.choice(PLAUSIBLE[field.name])
        elif not careful and rng.random() < 0.8:
            chosen[field.name] = rng.choice(TYPED + TOKENS)
    return chosen


@pytest.fixture
def world(book_target):
    yield from make_world(book_target)


def run(path, user: str, action, args: list[str]):
    return CliRunner().invoke(
        cli, ["--user", user, "do", *action.name.split(), "--db", str(path), "--today", TODAY.isoformat(), *args]
    )


def judge(db, result, before: tuple, records: int) -> bool:
    """True when the run landed; otherwise checks that it wrote nothing and said why."""
    assert result.exit_code in (0, 1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    if result.exit_code == 0:
        added = db.execute("SELECT count(*) FROM audit").fetchone()[0] - before[0]
        assert added == records, f"{records} records written, {added} audit rows: {result.output}"
        return True
    assert state(db) == before, f"a refused run wrote something: {result.output}"
    assert result.output.strip().splitlines()[-1].startswith("Error: "), result.output
    return False


@pytest.mark.parametrize("action", ACTIONS, ids=[a.name for a in ACTIONS])
def test_an_action_with_random_options_lands_once_or_says_why(world, action):
    rng = random.Random(None if LONG else action.name)
    db = world.ann.db
    landed = 0
    for _ in range(RUNS_PER_ACTION):
        args = [part for name, text in values(action, rng).items() for part in (f"--{name}", text)]
        before = state(db)
        landed += judge(db, run(world.path, rng.choice(["ann", "bob"]), action, args), before, 1)
    print(f"\ndo {action.name}: {landed} of {RUNS_PER_ACTION} landed")


@pytest.mark.parametrize("action", ACTIONS, ids=[a.name for a in ACTIONS])
def test_a_random_batch_lands_whole_or_not_at_all(world, action, tmp_path):
    rng = random.Random(None if LONG else f"batch {action.name}")
    db = world.ann.db
    for n in range(RUNS_PER_ACTION // 2):
        names = [f.name for f in action.fields]
        lines = [values(action, rng) for _ in range(rng.randint(1, 3))]
        text = io.StringIO()
        writer = csv.DictWriter(text, names)
        writer.writeheader()
        writer.writerows(lines)
        file = tmp_path / f"{n}.csv"
        file.write_text(text.getvalue())
        before = state(db)
        records = sum(1 for line in lines if any(v.strip() for v in line.values()))
        judge(db, run(world.path, "ann", action, ["--from", str(file)]), before, records)
