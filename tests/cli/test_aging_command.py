"""``arctui aging show`` and ``set``: the book's buckets, set by a manager only."""

import csv

from arctui.store.connection import connect
from tests.cli.test_currency_command import book, run


def test_show_names_the_standard_buckets_until_set(tmp_path):
    path = book(tmp_path)
    shown = run(path, "alice", "aging", "show")
    assert shown.exit_code == 0, shown.output
    assert shown.output.splitlines() == [
        "aging buckets: current, 1-30, 31-60, 61-90, 90+",
        "bounds: 0,30,60,90 (the standard ones, not set: a manager sets them with"
        " `arctui aging set 0,15,30,60,90,120`)",
        "the queue's score weighs past-due money by the standard 1-30, 31-60, 61-90 and 90+ whatever the book shows",
    ]


def test_a_manager_sets_the_buckets_and_a_collector_cannot(tmp_path):
    path = book(tmp_path)
    refused = run(path, "alice", "aging", "set", "0,15,30,60,90,120")
    assert (refused.exit_code, refused.output) == (
        1,
        "Error: alice is not a manager: only a manager sets the aging buckets\n",
    )
    done = run(path, "mia", "aging", "set", "0,15,30,60,90,120")
    assert (done.exit_code, done.output) == (0, "aging buckets: current, 1-15, 16-30, 31-60, 61-90, 91-120, 120+\n")
    db = connect(path)
    (set_at,) = db.execute("SELECT updated_at FROM book_settings WHERE key = 'aging_buckets'").fetchone()
    db.close()
    lines = run(path, "alice", "aging", "show").output.splitlines()
    assert lines[:2] == [
        "aging buckets: current, 1-15, 16-30, 31-60, 61-90, 91-120, 120+",
        f"bounds: 0,15,30,60,90,120 (days past due; current is not yet due; set by mia on {set_at[:10]})",
    ]


def test_bad_bounds_are_one_line_and_change_nothing(tmp_path):
    path = book(tmp_path)
    for bounds, says in [
        ("0,60,30", "Error: aging buckets: the bounds must be strictly increasing\n"),
        ("0,thirty", "Error: aging buckets: 'thirty' is not a whole number of days; expected e.g. 0,15,30,60,90,120\n"),
    ]:
        result = run(path, "mia", "aging", "set", bounds)
        assert (result.exit_code, result.output) == (1, says)
    assert run(path, "mia", "aging", "show").output.startswith("aging buckets: current, 1-30, 31-60, 61-90, 90+\n")


def test_the_aging_report_from_the_command_line_shows_the_buckets_just_set(tmp_path):
    path = book(tmp_path)
    assert run(path, "mia", "aging", "set", "15,30,60,90,120").exit_code == 0
    out = tmp_path / "aging.csv"
    result = run(path, "alice", "report", "aging", "--today", "2026-11-23", "-o", out)
    assert result.exit_code == 0, result.output
    rows = {r["Account"]: r for r in csv.DictReader(out.open(newline=""))}
    # the seeded C001: 15,000.00 due 07-31 (115 days), 4,000.00 due 10-01 (53), 2,500.00 not yet due
    assert {k: rows["C001"][k] for k in ("Current", "1-15", "16-30", "31-60", "61-90", "91-120", "120+")} == {
        "Current": "2500.00",
        "1-15": "0.00",
        "16-30": "0.00",
        "31-60": "4000.00",
        "61-90": "0.00",
        "91-120": "15000.00",
        "120+": "0.00",
    }
    # C002: 12,000.00 due 10-31, 23 days past due
    assert rows["C002"]["16-30"] == "12000.00" and "1-30" not in rows["C002"]
