"""The dunning run against a real SMTP server: the right step per account, sent once."""

import json
import os
import sqlite3
from dataclasses import replace
from datetime import date
from email import message_from_bytes, policy

import pytest

from arctui.config import Settings
from arctui.domain.plans import equal_schedule
from arctui.services.cash import apply_payment, record_payment
from arctui.services.context import fixed_clock
from arctui.services.correspondence import send_account_email
from arctui.services.disputes import open_dispute
from arctui.services.dunning import run_dunning
from arctui.services.email import open_transport
from arctui.services.plans import create_plan
from arctui.services.promises import record_promise
from arctui.store.connection import BookBusy, connect
from tests.email.conftest import SMTP_PASSWORD, SMTP_USER, TODAY, dump

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


@pytest.fixture
def book(ctx):
    """C103 disputed, C104 on a plan nothing of which is due yet, C105 promised to pay."""
    open_dispute(ctx, 4, 100_000, "pricing")
    create_plan(ctx, 4, 600_000, equal_schedule(600_000, 3, date(2026, 12, 1), "monthly"), "monthly", invoice_ids=[5])
    record_promise(ctx, 5, 200_000, date(2026, 11, 30))
    return ctx


def received(mailbox):
    return [message_from_bytes(e.content, policy=policy.default) for e in mailbox.messages]


def decisions(items):
    return {i.account_no: (i.decision.step, i.decision.reason, i.outcome) for i in items}


def on(ctx, day):
    return replace(ctx, clock=fixed_clock(day))


def test_a_run_sends_the_due_step_and_skips_what_must_wait(book, db, mailbox):
    items = run_dunning(book, open_transport(book))
    assert decisions(items) == {
        "C102": ("final_notice", "50 days past due, no reminder yet", "sent"),  # the step its age calls for
        "C103": (None, "an invoice is in dispute", ""),
        "C104": (None, "on a payment plan with instalments up to date", ""),
        "C105": (None, "a promise to pay is pending", ""),
        "C101": ("second_reminder", "20 days past due, no reminder yet", "sent"),
    }
    by_to = {m["To"]: m for m in received(mailbox)}
    assert sorted(by_to) == ["ap1@customer1.test", "ap2@customer2.test"]
    assert by_to["ap2@customer2.test"]["Subject"] == "FINAL NOTICE: $9,876.54 overdue on account C102"
    assert "INV-2001  due 2026-10-04    50 days past due  $9,876.54" in by_to["ap2@customer2.test"].get_content()
    assert "Despite our earlier reminders" not in by_to["ap2@customer2.test"].get_content()  # there were none
    assert "The balance on account C101 (Northwind Supply) is overdue" in by_to["ap1@customer1.test"].get_content()
    assert db.execute(
        "SELECT customer_id, template, status, dedupe_key FROM email_outbox ORDER BY customer_id"
    ).fetchall() == [
        (1, "second_reminder", "sent", "dunning:1:second_reminder:2026-11-23"),
        (2, "final_notice", "sent", "dunning:2:final_notice:2026-11-23"),
    ]
    assert db.execute("SELECT customer_id, kind, outcome_code FROM touchpoints ORDER BY customer_id").fetchall() == [
        (1, "email", "EMS"),
        (2, "email", "EMS"),
    ]
    assert SMTP_PASSWORD not in dump(db) and SMTP_USER not in dump(db)


def test_running_twice_sends_nothing_twice(book, db, mailbox):
    transport = open_transport(book)
    run_dunning(book, transport)
    again = run_dunning(book, transport)
    assert decisions(again)["C101"] == (None, "final_notice from 45 days past due (now 20)", "")
    assert decisions(again)["C102"] == (None, "final_notice already sent; escalate instead", "")
    assert len(mailbox.messages) == 2
    assert db.execute("SELECT count(*) FROM email_outbox").fetchone()[0] == 2


def test_the_ladder_over_weeks(ctx, db, mailbox):
    transport = open_transport(ctx)
    first = run_dunning(on(ctx, date(2026, 10, 10)), transport, collector="alice")
    assert decisions(first)["C102"][:2] == ("first_reminder", "6 days past due, no reminder yet")
    early = run_dunning(on(ctx, date(2026, 11, 5)), transport)
    assert decisions(early)["C102"][:2] == ("second_reminder", "32 days past due, after first_reminder")
    final = run_dunning(on(ctx, TODAY), transport)
    assert decisions(final)["C102"] == ("final_notice", "50 days past due, after second_reminder", "sent")
    after = run_dunning(on(ctx, date(2026, 12, 1)), transport)
    assert decisions(after)["C102"] == (None, "final_notice already sent; escalate instead", "")
    to_c102 = [m for m in received(mailbox) if m["To"] == "ap2@customer2.test"]
    assert [m["Subject"].split(":")[0] for m in to_c102] == ["Friendly reminder", "Second reminder", "FINAL NOTICE"]
    assert "We wrote to you earlier" in to_c102[1].get_content()
    assert "Despite our earlier reminders" in to_c102[2].get_content()


def test_a_refused_dunning_email_is_retried_not_queued_again(ctx, db, mailbox):
    mailbox.refuse = 1
    transport = open_transport(ctx)
    first = run_dunning(ctx, transport)
    failed = [i for i in first if i.outcome.startswith("attempt failed")]
    assert len(failed) == 1 and "451" in failed[0].outcome
    retry = run_dunning(on(ctx, date(2026, 11, 24)), transport)
    [retried] = [i for i in retry if i.account_no == failed[0].account_no]
    assert retried.decision.reason == f"email {failed[0].outbox_id} is still waiting in the outbox"
    assert retried.outcome == "sent"
    assert decisions(retry)["C101"][1] == "final_notice from 45 days past due (now 21)"
    assert len(mailbox.messages) == 5
    assert db.execute("SELECT count(*), sum(CASE WHEN status = 'sent' THEN 1 END) FROM email_outbox").fetchone() == (
        5,
        5,
    )


def test_an_account_whose_data_would_inject_a_header_gets_nothing(book, db, mailbox):
    db.execute("UPDATE customers SET account_no = 'C101\r\nBcc: all@evil.test' WHERE id = 1")
    items = run_dunning(book, open_transport(book))
    [evil] = [i for i in items if i.customer_id == 1]
    assert evil.decision.step is None
    assert evil.decision.reason.startswith("second_reminder not composed: subject: refused")
    assert [m["To"] for m in received(mailbox)] == ["ap2@customer2.test"]
    assert all(not e.rcpt_tos[0].startswith("all@") for e in mailbox.messages)


def run_cli(run_arctui, *args):
    result = run_arctui("dunning", "run", *args)
    assert result.exit_code == 0, result.output
    return result.output


def test_a_dry_run_writes_eml_files_and_changes_nothing(book_target, book, db, tmp_path, mailbox, run_arctui):
    counts = (
        "SELECT (SELECT count(*) FROM email_outbox), (SELECT count(*) FROM touchpoints), (SELECT count(*) FROM audit)"
    )
    before = db.execute(counts).fetchone()
    output = run_cli(
        run_arctui,
        "--db",
        str(book_target),
        "--today",
        "2026-11-23",
        "--dry-run",
        "--outbox",
        str(tmp_path / "dry"),
    )
    assert "C103" in output and "an invoice is in dispute" in output
    assert (
        output.splitlines()[-1]
        == "5 overdue accounts, 2 due a step, 2 written as .eml files, 0 failed, nothing recorded (dry run)"
    )
    files = sorted((tmp_path / "dry").glob("*.eml"))
    assert len(files) == 2
    letters = [message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    assert sorted(m["To"] for m in letters) == ["ap1@customer1.test", "ap2@customer2.test"]
    assert all((m["From"], m["Reply-To"]) == ("ar@arctui.test", "alice@arctui.test") for m in letters)
    assert db.execute(counts).fetchone() == before
    assert mailbox.messages == []


def test_the_command_sends_and_reports(book_target, book, db, tmp_path, mailbox, run_arctui):
    path = str(book_target)
    output = run_cli(run_arctui, "--db", path, "--today", "2026-11-23", "--limit", "1")
    assert "left for a later run (--limit)" in output
    assert output.splitlines()[-1] == "5 overdue accounts, 2 due a step, 1 sent, 0 failed, 0 in doubt"
    output = run_cli(run_arctui, "--db", path, "--today", "2026-11-23")
    assert output.splitlines()[-1] == "5 overdue accounts, 1 due a step, 1 sent, 0 failed, 0 in doubt"
    assert len(mailbox.messages) == 2


def test_a_plan_fallen_behind_or_a_promise_gone_by_holds_nothing_back(ctx, db, mailbox):
    earlier = on(ctx, date(2026, 11, 1))
    create_plan(
        earlier, 4, 600_000, equal_schedule(600_000, 3, date(2026, 11, 15), "monthly"), "monthly", invoice_ids=[5]
    )
    record_promise(earlier, 5, 200_000, date(2026, 11, 10))
    items = decisions(run_dunning(ctx, open_transport(ctx)))
    assert items["C104"] == ("second_reminder", "40 days past due, no reminder yet", "sent")
    assert items["C105"] == ("second_reminder", "40 days past due, no reminder yet", "sent")


def test_a_waiting_reminder_is_withdrawn_once_the_account_paid_or_disputed(book, db, mailbox):
    mailbox.refuse = 2
    transport = open_transport(book)
    run_dunning(book, transport)  # both reminders (C101, C102) refused
    tomorrow = on(book, date(2026, 11, 24))
    paid = record_payment(tomorrow, 123_456, date(2026, 11, 24), "ach", customer_id=1)
    apply_payment(tomorrow, paid, [(1, 123_456)], 1)
    open_dispute(tomorrow, 3, 50_000, "pricing")
    items = decisions(run_dunning(tomorrow, transport))
    assert items["C102"] == (None, "an invoice is in dispute", "withdrew email 1")
    assert items["C101"] == (None, "nothing past due", "withdrew email 2")
    assert mailbox.messages == []
    assert db.execute("SELECT count(*) FROM email_outbox").fetchone()[0] == 0
    withdrawn = dict(db.execute("SELECT entity_id, before FROM audit WHERE action = 'email.withdraw'").fetchall())
    assert "Second reminder: $1,234.56 overdue on account C101" in withdrawn["2"]


def test_send_queued_leaves_reminders_to_the_dunning_run(book_target, ctx, db, tmp_path, mailbox, run_arctui):
    send_account_email(ctx, 1, "first_reminder")
    send_account_email(ctx, 1, "statement")
    result = run_arctui("email", "send-queued", "--db", str(book_target))
    assert result.output.startswith("1 sent,")
    assert [m["Subject"].split()[0] for m in received(mailbox)] == ["Statement"]
    assert db.execute("SELECT template, status FROM email_outbox ORDER BY id").fetchall() == [
        ("first_reminder", "queued"),
        ("statement", "sent"),
    ]


def test_the_runners_dunning_settings_make_the_default_strategy_while_nobody_set_one(ctx, db, mailbox, settings):
    policy = {"first_reminder": 25, "second_reminder": 40, "final_notice": 60}
    ctx = replace(ctx, settings=Settings({**settings.sections, "dunning": policy}))
    items = decisions(run_dunning(ctx, open_transport(ctx)))
    assert items["C101"] == (None, "first_reminder from 25 days past due (now 20)", "")
    assert items["C102"][0] == "second_reminder"


@pytest.mark.parametrize(
    "section, problem",
    [
        (
            "first_reminder = 30\nsecond_reminder = 20\n",
            "[dunning] second_reminder (20 days) must come after first_reminder (30 days)",
        ),
        (
            "gap = 3\n",
            "[dunning] has no setting gap (known: first_reminder, second_reminder,"
            " final_notice, step_gap_days, quiet_days)",
        ),
    ],
)
def test_a_policy_that_makes_no_sense_stops_the_run_before_anything(
    book_target, db, tmp_path, config_file, run_arctui, section, problem
):
    config_file.write_text(config_file.read_text() + "[dunning]\n" + section)
    result = run_arctui("dunning", "run", "--db", str(book_target), user=None)
    assert result.exit_code == 1
    assert result.output == f"Error: dunning: {config_file}: {problem}\n"
    assert db.execute("SELECT count(*) FROM email_outbox").fetchone()[0] == 0


@pytest.mark.sqlite_only  # SQLite's write lock held from sqlite3, its note beside the file (tests/pg: PostgreSQL's)
def test_a_run_that_finds_the_book_busy_queues_nothing_and_says_who_holds_it(book, db, mailbox, tmp_path):
    alice = replace(book, db=connect(tmp_path / "book.db", busy_timeout=0.2))
    holder = sqlite3.connect(tmp_path / "book.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    (tmp_path / "book.db-writer").write_text(
        json.dumps(
            {"login": "bob", "pid": os.getpid(), "what": "importing invoices.csv", "since": "2026-11-23T14:02:11Z"}
        )
    )
    with pytest.raises(BookBusy, match=r"^the book is busy: bob has been importing invoices.csv since .*14:02:11 UTC"):
        run_dunning(alice, open_transport(alice))
    holder.rollback()
    holder.close()
    assert db.execute("SELECT count(*) FROM email_outbox").fetchone() == (0,)
    assert mailbox.messages == []
    alice.db.close()
