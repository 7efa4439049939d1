"""Statements that reconcile, and the monthly statement run through a real SMTP server."""

import shutil
from dataclasses import replace
from datetime import date
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from arctui.domain.money import format_money
from arctui.services.cash import record_payment
from arctui.services.context import fixed_clock
from arctui.services.correspondence import account_context
from arctui.services.email import open_transport
from arctui.services.statements import AlreadyRun, dry_run, run_statements
from arctui.services.templates import Templates
from arctui.store.connection import connect
from arctui.store.read.timeline import account_summary
from tests.email.conftest import TODAY

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
REPO = Path(__file__).resolve().parents[2]


def received(mailbox):
    return [message_from_bytes(e.content, policy=policy.default) for e in mailbox.messages]


@pytest.fixture
def with_credit_and_cash(ctx, db):
    """C101 also holds a credit note (an open item below zero) and $300 received, not applied."""
    db["invoices"].insert(
        {
            "id": 8,
            "customer_id": 1,
            "number": "CN-1001",
            "issue_date": "2026-11-02",
            "due_date": "2026-11-02",
            "amount_cents": -20_000,
            "open_cents": -20_000,
        }
    )
    record_payment(ctx, 30_000, date(2026, 11, 20), "ach", customer_id=1, bank_ref="ACH-300")
    return ctx


def test_a_statement_lists_invoices_credits_unapplied_cash_and_aging_and_its_balance_is_the_accounts(
    with_credit_and_cash, db
):
    context = account_context(db, 1, TODAY)
    body = Templates().render("statement", context).body
    assert "Open invoices:\n  INV-1001  issued 2026-10-04  due 2026-11-03  $1,234.56  open $1,234.56\n" in body
    assert "  INV-1002  issued 2026-11-01  due 2026-12-01  $500.00  open $500.00\n" in body
    assert "Credits:\n  CN-1001  issued 2026-11-02  -$200.00\n" in body
    assert "Payments received, not yet applied:\n  2026-11-20  ACH-300  -$300.00\n" in body
    assert "Aging of the open items:\n  current      $500.00\n  1-30 days    $1,034.56\n  31-60 days   $0.00\n" in body
    assert "Total open:    $1,534.56\nUnapplied:     -$300.00\nBalance:       $1,234.56\n" in body
    summary = account_summary(db, 1)
    assert summary.exposure_cents - summary.unapplied["USD"] == 123_456


def test_every_statement_of_the_sample_book_adds_up_to_its_accounts_balance(tmp_path):
    shutil.copy(REPO / "sample.db", tmp_path / "sample.db")
    db = connect(tmp_path / "sample.db")  # migrated as it opens
    templates = Templates()
    accounts = [row[0] for row in db.execute("SELECT id FROM customers ORDER BY id")]
    assert len(accounts) == 300
    for customer_id in accounts:
        context = account_context(db, customer_id, TODAY)
        netted = sum(r["unapplied_cents"] for r in context["unapplied"] if r["netted"])
        lines = sum(i["open_cents"] for i in context["invoices"]) - netted
        summary = account_summary(db, customer_id)
        balance = summary.exposure_cents - summary.unapplied.get(summary.customer["currency"], 0)
        assert lines == balance, context["customer"]["account_no"]
        if context["contact"] is not None:
            body = templates.render("statement", context).body
            assert f"\nBalance:       {format_money(balance, summary.customer['currency'])}\n" in body


def test_the_run_sends_each_account_its_statement_once_a_month(with_credit_and_cash, db, mailbox):
    ctx = with_credit_and_cash
    db.execute("UPDATE customers SET status = 'outside_collections' WHERE id = 6")
    items = run_statements(ctx, open_transport(ctx))
    assert [(i.account_no, i.outcome) for i in items] == [(f"C10{n}", "sent") for n in range(1, 6)]
    assert sorted(m["To"] for m in received(mailbox)) == [f"ap{n}@customer{n}.test" for n in range(1, 6)]
    assert all(m["Subject"].startswith("Statement of account C10") for m in received(mailbox))
    assert db.execute("SELECT period, run_by, accounts, queued FROM statement_runs").fetchall() == [
        ("2026-11", "alice", 5, 5)
    ]
    assert db.execute("SELECT count(*) FROM audit WHERE action = 'statements.run'").fetchone() == (1,)
    later = replace(ctx, clock=fixed_clock(date(2026, 11, 30)))
    for again in (run_statements, dry_run):
        with pytest.raises(AlreadyRun, match="the statements of 2026-11 were already run by alice at 2026-11-23"):
            again(later, open_transport(ctx))
    assert len(mailbox.messages) == 5
    december = replace(ctx, clock=fixed_clock(date(2026, 12, 1)))
    assert len(run_statements(december, open_transport(ctx))) == 5


def test_an_account_with_no_email_address_gets_its_statement_as_a_letter_to_print(db, ctx, mailbox, tmp_path):
    """C102's contact has no email address: its statement is written as a letter (to Accounts
    Payable, with the same balance as the email would show); the others are emailed."""
    db.execute("UPDATE contacts SET email = NULL WHERE customer_id = 2")
    letters = tmp_path / "letters"
    items = run_statements(ctx, open_transport(ctx), letters_dir=letters)
    outcomes = {i.account_no: i.outcome for i in items}
    letter = letters / "2026-11-C102-statement.txt"
    assert outcomes["C102"] == f"letter written to {letter}"
    assert [a for a, outcome in outcomes.items() if outcome == "sent"] == ["C101", "C103", "C104", "C105", "C106"]
    text = letter.read_text(encoding="utf-8")
    balance = account_context(db, 2, TODAY)["totals"]["balance"]
    assert text.startswith("Statement of account C102 as of 2026-11-23\n\n")
    assert f"Balance:       {balance}\n" in text
    assert "ap2@" not in "".join(m["To"] for m in received(mailbox))
    assert db.execute("SELECT accounts, queued, letters FROM statement_runs").fetchall() == [(6, 5, 1)]


def test_show_prints_the_letter_the_run_would_write_for_an_account_with_no_email(
    book_target, db, ctx, mailbox, tmp_path, run_arctui
):
    db.execute("UPDATE contacts SET email = NULL WHERE customer_id = 2")
    shown = run_arctui("statements", "show", "C102", "--db", str(book_target), "--today", "2026-11-23")
    assert shown.exit_code == 0, shown.output
    run_statements(ctx, open_transport(ctx), letters_dir=tmp_path / "letters")
    letter = (tmp_path / "letters" / "2026-11-C102-statement.txt").read_text(encoding="utf-8")
    assert shown.output == f"A letter to print (no email address on file):\n\n{letter}"
    assert "Statement of account C102 as of 2026-11-23" in shown.output


def test_the_statements_command_dry_runs_runs_and_refuses_a_second_run(book_target, db, tmp_path, mailbox, run_arctui):
    book = str(book_target)
    shown = run_arctui("statements", "show", "C102", "--db", book, "--today", "2026-11-23")
    assert shown.output.startswith("To: ap2@customer2.test\nSubject: Statement of account C102 as of 2026-11-23\n")
    assert "Balance:       $9,876.54\n" in shown.output
    dry = run_arctui("statements", "run", "--dry-run", "--outbox", str(tmp_path / "dry"), "--db", book)
    assert dry.exit_code == 0, dry.output
    assert dry.output.splitlines()[-1] == (
        "6 accounts with a balance, 6 written as .eml files, 0 failed, nothing recorded (dry run)"
    )
    assert len(list((tmp_path / "dry").glob("*.eml"))) == 6
    assert db.execute("SELECT count(*) FROM statement_runs").fetchone() == (0,)
    done = run_arctui("statements", "run", "--db", book, "--today", "2026-11-23")
    assert done.exit_code == 0, done.output
    assert done.output.splitlines()[-1] == (
        "6 accounts with a balance, statements of 2026-11: 6 sent, 0 failed, 0 in doubt, 0 letters to print"
    )
    again = run_arctui("statements", "run", "--db", book, "--today", "2026-11-24")
    assert again.exit_code == 1
    assert again.output.startswith("Error: the statements of 2026-11 were already run by alice at 2026-11-23")
    assert len(again.output.splitlines()) == 1
    assert len(mailbox.messages) == 6
