"""Promises judged on the cash RECEIVED from the account in the promise's window (issue 11),
through the services on a real SQLite book; and an unsettled promise past its grace counted
once in the queue (issue 13, defect 6).

The book (tests/services/conftest.py) is seen on 2026-11-23. Every promise here is made
that day for 2026-11-25 with 3 grace days: its window is 2026-11-23 to 2026-11-28.
"""

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from arctui.services.cash import apply_payment, record_payment, refund_payment
from arctui.services.promises import record_promise, settle_promises
from arctui.services.queue import build_queue
from arctui.store.read.book import path_of

PROMISED = date(2026, 11, 25)
IN_GRACE = date(2026, 11, 28)  # the last day cash counts
PAST_GRACE = date(2026, 11, 29)


def promise(as_user, amount=400_000, customer=1, invoices=(2,)):
    return record_promise(as_user("alice"), customer, amount, PROMISED, invoice_ids=list(invoices))


def receive(db, as_user, cents, day, customer=1, currency="USD"):
    """A receipt recorded on the day it arrived (left unapplied)."""
    return record_payment(as_user("alice", day), cents, day, "ach", customer_id=customer, currency=currency)


def version(db, payment):
    return db["payments"].get(payment)["version"]


def status(db, pid):
    row = db["promises"].get(pid)
    return row["status"], row["paid_cents"]


def settle_audit(db, pid) -> list[dict]:
    """What each promise.settle audit row recorded for promise ``pid``."""
    return [
        json.loads(after)[f"promises/{pid}"]
        for (after,) in db.execute("SELECT after FROM audit WHERE action = 'promise.settle' ORDER BY id")
        if f'"promises/{pid}"' in after
    ]


def test_paid_on_time_and_left_unapplied_is_kept(db, as_user):
    pid = promise(as_user)
    pay = receive(db, as_user, 400_000, date(2026, 11, 24))
    assert settle_promises(as_user("alice", PAST_GRACE)) == 1
    assert status(db, pid) == ("kept", 400_000)
    assert db["payments"].get(pay)["unapplied_cents"] == 400_000  # judging applies nothing
    assert settle_audit(db, pid) == [{"status": "kept", "paid_cents": 400_000, "resolved_date": "2026-11-29"}]


def test_paid_on_time_and_applied_a_week_later_stays_kept(db, as_user):
    pid = promise(as_user)
    pay = receive(db, as_user, 400_000, date(2026, 11, 24))
    settle_promises(as_user("alice", PAST_GRACE))
    apply_payment(as_user("alice", date(2026, 12, 1)), pay, [(2, 400_000)], version(db, pay))
    assert status(db, pid) == ("kept", 400_000)
    assert settle_promises(as_user("alice", date(2026, 12, 2))) == 0
    assert status(db, pid) == ("kept", 400_000)


def test_applied_a_week_later_with_no_settling_in_between_is_kept_by_the_application(db, as_user):
    pid = promise(as_user)
    pay = receive(db, as_user, 400_000, date(2026, 11, 24))
    apply_payment(as_user("alice", date(2026, 12, 1)), pay, [(2, 400_000)], version(db, pay))
    assert status(db, pid) == ("kept", 400_000)  # applied outside the window, received inside
    assert db["promises"].get(pid)["resolved_date"] == "2026-12-01"
    assert db.execute("SELECT action FROM audit ORDER BY id DESC LIMIT 1").fetchone()[0] == "payment.apply"


def test_paid_after_grace_is_broken_and_applying_it_changes_nothing(db, as_user):
    pid = promise(as_user)
    pay = receive(db, as_user, 400_000, PAST_GRACE)
    assert settle_promises(as_user("alice", PAST_GRACE)) == 1
    assert status(db, pid) == ("broken", 0)
    apply_payment(as_user("alice", PAST_GRACE), pay, [(2, 400_000)], version(db, pay))
    assert status(db, pid) == ("broken", 0)


def test_partial_when_less_than_promised_came_in(db, as_user):
    pid = promise(as_user)
    receive(db, as_user, 150_000, date(2026, 11, 24))
    settle_promises(as_user("alice", date(2026, 11, 26)))
    assert status(db, pid) == ("open", 150_000)  # in grace: what came in so far
    receive(db, as_user, 50_000, IN_GRACE)
    settle_promises(as_user("alice", PAST_GRACE))
    assert status(db, pid) == ("partial", 200_000)


def test_cash_from_another_account_or_in_another_currency_does_not_count(db, as_user):
    pid = promise(as_user)
    receive(db, as_user, 400_000, date(2026, 11, 24), customer=2)
    receive(db, as_user, 400_000, date(2026, 11, 24), currency="EUR")
    settle_promises(as_user("alice", PAST_GRACE))
    assert status(db, pid) == ("broken", 0)


def test_cash_applied_to_another_invoice_of_the_account_counts(db, as_user):
    # the promise names INV-1002; the customer's money went to INV-1001: still their money, on time
    pid = promise(as_user)
    pay = receive(db, as_user, 400_000, date(2026, 11, 24))
    apply_payment(as_user("alice", date(2026, 11, 24)), pay, [(1, 400_000)], version(db, pay))
    assert status(db, pid) == ("kept", 400_000)


def test_cash_received_before_the_promise_was_made_does_not_count(db, as_user):
    receive(db, as_user, 400_000, date(2026, 11, 20))
    pid = promise(as_user)
    settle_promises(as_user("alice", PAST_GRACE))
    assert status(db, pid) == ("broken", 0)


def test_a_refund_in_the_window_reduces_what_was_received(db, as_user):
    pid = promise(as_user)
    pay = receive(db, as_user, 500_000, date(2026, 11, 24))
    refund_payment(as_user("lead", date(2026, 11, 26)), pay, 200_000, "overpaid", version(db, pay))
    settle_promises(as_user("alice", PAST_GRACE))
    assert status(db, pid) == ("partial", 300_000)


def test_a_refund_after_the_window_does_not_reopen_the_judgement(db, as_user):
    # settled late, after a refund made once the window had closed: judged as if settled on time
    pid = promise(as_user)
    pay = receive(db, as_user, 500_000, date(2026, 11, 24))
    refund_payment(as_user("lead", date(2026, 11, 30)), pay, 200_000, "overpaid", version(db, pay))
    settle_promises(as_user("alice", date(2026, 12, 1)))
    assert status(db, pid) == ("kept", 400_000)


def test_two_promises_share_one_payment_once(db, as_user):
    first = promise(as_user, 300_000, invoices=(2,))
    second = record_promise(as_user("alice"), 1, 300_000, date(2026, 11, 26), invoice_ids=[1])
    receive(db, as_user, 400_000, date(2026, 11, 24))
    settle_promises(as_user("alice", date(2026, 11, 30)))
    assert status(db, first) == ("kept", 300_000)
    assert status(db, second) == ("partial", 100_000)


def test_settling_one_account_judges_that_account_only(db, as_user):
    mine, theirs = promise(as_user), promise(as_user, 100_000, customer=2, invoices=(4,))
    receive(db, as_user, 400_000, date(2026, 11, 24))
    assert settle_promises(as_user("alice", PAST_GRACE), customer_id=1) == 1
    assert status(db, mine) == ("kept", 400_000) and status(db, theirs) == ("open", 0)


# issue 13, defect 6: a promise past its grace, not yet settled, counts once in the queue


def components(db, day, account_no="C001"):
    row = next(r for r in build_queue(db, day, "alice") if r.account_no == account_no)
    return row.score.total, [c.name for c in row.score.components]


def test_an_unsettled_promise_past_its_grace_counts_once_as_broken(db, as_user):
    promise(as_user)
    assert "promise_due" in components(db, PROMISED)[1]  # due today: counted as due
    total, names = components(db, PAST_GRACE)
    assert names.count("broken_promise") == 1 and "promise_due" not in names
    settle_promises(as_user("alice", PAST_GRACE))  # settling changes nothing in the queue
    assert components(db, PAST_GRACE) == (total, names)


def test_an_unsettled_promise_paid_on_time_counts_neither_as_broken_nor_as_due(db, as_user):
    promise(as_user)
    receive(db, as_user, 400_000, date(2026, 11, 24))
    total, names = components(db, PAST_GRACE)
    assert "broken_promise" not in names and "promise_due" not in names
    settle_promises(as_user("alice", PAST_GRACE))
    assert components(db, PAST_GRACE) == (total, names)


# the command a cron runs uses the same service


def test_the_settle_command_keeps_a_promise_paid_on_time_and_unapplied(db, as_user):
    pid = promise(as_user)
    receive(db, as_user, 400_000, date(2026, 11, 24))
    path = path_of(db)
    script = Path(sys.executable).with_name("arctui")
    result = subprocess.run(
        [script, "promises", "settle", "--db", path, "--today", PAST_GRACE.isoformat()],
        capture_output=True,
        text=True,
        env={**os.environ, "ARCTUI_USER": "cron"},
        timeout=60,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "1 promises settled as of 2026-11-29\n", "")
    assert status(db, pid) == ("kept", 400_000)


@pytest.mark.parametrize("day, settled", [(IN_GRACE, 0), (PAST_GRACE, 1)])
def test_nothing_received_is_broken_only_after_grace(db, as_user, day, settled):
    pid = promise(as_user)
    assert settle_promises(as_user("alice", day)) == settled
    assert status(db, pid) == (("open", 0) if settled == 0 else ("broken", 0))
