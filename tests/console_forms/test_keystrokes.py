"""The keystroke goals of issue 13, kept green: bench/keystrokes.py replays each task of the
issue's table through Pilot on a copy of sample.db (as one burst of keys), checks that what it
did landed (row, screen or file), and counts its keys (typed text and digits apart)."""

import pytest

from bench import keystrokes

GOALS = {
    "open-top-account": 1,
    "log-call-outcome-note": 5,
    "promise-amount-date": 4,
    "plan-6-whole-balance-45-invoices": 8,
    "credit-memo-coded-with-reason": 6,
    "report-over-10k-60-xlsx": 4,
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return {r.task: r for r in keystrokes.run(tmp_path_factory.mktemp("keystrokes"))}


def test_every_task_of_the_issue_is_replayed(results):
    assert list(results) == list(GOALS)


@pytest.mark.parametrize("task", list(GOALS))
def test_the_task_lands_within_its_keys(results, task):
    result = results[task]
    print(result.line())
    assert result.problem is None
    assert result.keys <= GOALS[task] == result.goal
