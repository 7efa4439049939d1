from datetime import date

import pytest

from arctui.domain.promises import PROMISE_STATUSES, PromiseTerms, Receipt, Verdict, judge_promises, promise_status

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


# judge_promises: one account's promises judged on the cash received from it (issue 11)

MADE = date(2026, 11, 10)


def terms(pid=1, amount=1_000, created=MADE, promised=PROMISED, held=None):
    return PromiseTerms(pid, amount, created, promised, 3, held)


def judged(promises, receipts, today=date(2026, 11, 30)):
    return {pid: (v.status, v.paid_cents) for pid, v in judge_promises(promises, receipts, today).items()}


def test_cash_received_in_the_window_keeps_it_and_counts_up_to_the_amount():
    verdict = judge_promises([terms()], [Receipt(1, date(2026, 11, 18), 1_500)], date(2026, 11, 30))[1]
    assert verdict == Verdict("kept", 1_000, date(2026, 11, 18))


@pytest.mark.parametrize(
    "received, status, paid",
    [
        (date(2026, 11, 9), "broken", 0),  # before the promise was made: not for it
        (date(2026, 11, 10), "kept", 1_000),  # the day it was made
        (date(2026, 11, 23), "kept", 1_000),  # last grace day
        (date(2026, 11, 24), "broken", 0),  # after grace
    ],
)
def test_the_window_runs_from_the_day_made_to_the_last_grace_day(received, status, paid):
    assert judged([terms()], [Receipt(1, received, 1_000)]) == {1: (status, paid)}


def test_partial_when_something_short_of_the_amount_came_in():
    receipts = [Receipt(1, date(2026, 11, 12), 300), Receipt(2, date(2026, 11, 21), 200)]
    assert judged([terms()], receipts) == {1: ("partial", 500)}
    assert judged([terms()], receipts, today=date(2026, 11, 22)) == {1: ("open", 500)}  # still in grace


def test_a_refund_in_the_window_takes_back_cash_one_after_it_does_not():
    inside = Receipt(1, date(2026, 11, 12), 1_000, ((date(2026, 11, 15), 400),))
    after = Receipt(1, date(2026, 11, 12), 1_000, ((date(2026, 11, 25), 400),))
    assert judged([terms()], [inside]) == {1: ("partial", 600)}
    assert judged([terms()], [after]) == {1: ("kept", 1_000)}


def test_each_cent_counts_once_earliest_promised_date_first():
    early, late = terms(1, 1_000, promised=PROMISED), terms(2, 1_000, promised=date(2026, 11, 22))
    one_payment = [Receipt(1, date(2026, 11, 15), 1_500)]
    assert judged([late, early], one_payment) == {1: ("kept", 1_000), 2: ("partial", 500)}


def test_a_judged_promise_holds_the_cash_it_was_judged_with_and_is_not_judged_again():
    kept = terms(1, 600, promised=date(2026, 11, 15), held=600)
    broken = terms(3, 900, promised=date(2026, 11, 12), held=0)  # holds nothing: leaves the cash
    still_open = terms(2, 1_000)
    assert judged([still_open, kept, broken], [Receipt(1, date(2026, 11, 14), 1_000)]) == {2: ("partial", 400)}
