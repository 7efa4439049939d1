"""``arctui status`` (issue 14, item 9): the acting collector's one line for a status bar,
read without sqlite-utils or the services."""

from datetime import date

import pytest
from click.testing import CliRunner

from arctui.cli import cli
from arctui.domain.status_line import short_money, status_line
from arctui.services.accounts import save_collector
from arctui.services.cash import record_payment, refund_unapplied
from arctui.services.context import Context, fixed_clock
from arctui.services.credit_limits import change_credit_limit
from arctui.services.credit_memos import prepare_memo
from arctui.services.escalations import recommend_escalation
from arctui.services.promises import record_promise
from arctui.store.connection import connect
from tests.cli.test_lazy_group import HEAVY, loaded_modules, present
from tests.enrol import first_lead
from tests.services.conftest import TODAY, seed


def book(tmp_path, target=None) -> str:
    """The status book, at ``target`` (a file or a PostgreSQL URL; default: a file in ``tmp_path``)."""
    path = target or tmp_path / "status.db"
    db = connect(path, create=True)
    lead = first_lead(db, fixed_clock(TODAY - date.resolution * 10), memo_limit_cents=10_000_000)
    save_collector(lead, "alice", "Alice", memo_limit_cents=50_000)
    save_collector(lead, "bob", "Bob", memo_limit_cents=500_000)
    seed(db)
    earlier = lambda user: Context(db, user, fixed_clock(date(2026, 11, 13)))  # noqa: E731
    record_promise(earlier("alice"), 1, 100_000, TODAY)  # alice's account, due today
    record_promise(earlier("alice"), 2, 50_000, date(2026, 11, 19))  # grace (3 days) ended yesterday: broken
    record_promise(earlier("bob"), 3, 70_000, TODAY)  # bob's
    record_payment(earlier("alice"), 4_812_345, date(2026, 11, 12), "wire", customer_id=1)
    db.execute("UPDATE customers SET currency = 'EUR' WHERE id = 2")
    record_payment(earlier("alice"), 250_000, date(2026, 11, 12), "wire", customer_id=2, currency="EUR")
    prepare_memo(earlier("alice"), 1, 60_000, "pricing", "4000", invoice_id=1)  # above alice's limit: waits
    change_credit_limit(earlier("alice"), 3, 2_100_000, "bigger orders", 1)  # a raise of $1,000: waits too
    recommend_escalation(earlier("alice"), 1, "legal", "no answer in 90 days", 1)  # for a lead or manager
    refund_unapplied(earlier("alice"), 1, 100_000, "paid twice", 1)  # above alice's limit: for a lead or manager
    db.close()
    return str(path)


def status(path, user, *args):
    return CliRunner().invoke(cli, ["--user", user, "status", "--db", path, "--today", TODAY.isoformat(), *args])


def test_each_collector_sees_their_own_accounts_and_what_they_may_approve(tmp_path):
    path = book(tmp_path)
    alice = status(path, "alice")
    assert alice.exit_code == 0, alice.output
    assert alice.output == "1 promise due today · 1 broken · €2.5k, $48k unapplied\n"
    # bob's limit covers the memo and the raise; the lead also decides the escalation and the refund
    assert status(path, "bob").output == "1 promise due today · 2 to approve\n"
    assert status(path, "lead").output == "4 to approve\n"  # owns no account


def test_the_same_line_on_either_backend(tmp_path, book_target):
    """On a PostgreSQL book the line is read as the server's role says (the tests' superuser,
    no collector, may name one with --user), with the same counts as on a file."""
    target = book(tmp_path, book_target)
    assert status(str(target), "alice").output == "1 promise due today · 1 broken · €2.5k, $48k unapplied\n"
    assert status(str(target), "lead").output == "4 to approve\n"


def test_a_login_that_is_no_collector_sees_the_whole_book(tmp_path):
    path = book(tmp_path)
    assert status(path, "auditor").output == "2 promises due today · 1 broken · €2.5k, $48k unapplied\n"


def test_nothing_due_says_so(tmp_path):
    db = connect(tmp_path / "empty.db", create=True)
    first_lead(db, fixed_clock(TODAY))
    db.close()
    assert status(str(tmp_path / "empty.db"), "lead").output == "nothing due\n"


def test_a_missing_book_is_one_line_and_never_created(tmp_path):
    result = status(str(tmp_path / "none.db"), "alice")
    assert result.exit_code == 1 and result.output.strip() == f"Error: {tmp_path / 'none.db'}: no such book"
    assert not (tmp_path / "none.db").exists()


def test_status_loads_neither_sqlite_utils_nor_the_services(tmp_path):
    modules = loaded_modules(tmp_path, "--user", "alice", "status", "--db", book(tmp_path))
    assert present(modules, [*HEAVY, "sqlite_utils", "pluggy", "tabulate", "arctui.services"]) == []


@pytest.mark.parametrize(
    "minor, currency, shown",
    [
        (95_000, "USD", "$950"),
        (480_000, "USD", "$4.8k"),
        (4_849_999, "USD", "$48k"),
        (100_000, "USD", "$1k"),
        (123_456_789, "USD", "$1.2M"),
        (1_500, "JPY", "¥1.5k"),
        (300_000, "CHF", "CHF 3k"),
        (-250_000, "EUR", "-€2.5k"),
    ],
)
def test_short_money_rounds_for_a_glance_in_its_own_currency(minor, currency, shown):
    assert short_money(minor, currency) == shown


def test_the_line_says_only_what_is_not_zero():
    assert status_line(3, 2, 1, [("USD", 4_800_000)], 4) == (
        "3 promises due today · 2 broken · 1 call to make · $48k unapplied · 4 to approve"
    )
    assert status_line(0, 0, 2, [], 0) == "2 calls to make"
    assert status_line(0, 0, 0, [], 0) == "nothing due"
