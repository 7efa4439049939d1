from datetime import date

import pytest

from arctui.domain.promises import PROMISE_STATUSES, promise_status

PROMISED = date(2026, 11, 20)


@pytest.mark.parametrize(
    "paid, today, status",
    [
        (1_000, date(2026, 11, 1), "kept"),  # paid early
        (1_200, date(2026, 12, 30), "kept"),  # paid more, long after
        (400, date(2026, 11, 20), "open"),
        (0, date(2026, 11, 23), "open"),  # last grace day
        (400, date(2026, 11, 24), "partial"),
        (0, date(2026, 11, 24), "broken"),
    ],
)
def test_promise_status(paid, today, status):
    assert promise_status(1_000, PROMISED, paid, today) == status
    assert status in PROMISE_STATUSES


def test_grace_days_are_a_parameter():
    assert promise_status(1_000, PROMISED, 0, date(2026, 11, 21), grace_days=0) == "broken"
    assert promise_status(1_000, PROMISED, 0, date(2026, 11, 30), grace_days=10) == "open"
