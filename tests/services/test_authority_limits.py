"""Authority limits per kind (issue 14, item 4): a lead gives a collector a limit of its own for
credit memos, write-offs, credit-limit raises or refunds; without one, the general limit applies.
Every check reads the kind's limit: preparing, approving, refunding, what `arctui status` counts."""

from datetime import date

import pytest
from click.testing import CliRunner

from arctui.cli import cli
from arctui.domain.authority import AuthorityError
from arctui.services.accounts import set_authority_limit
from arctui.services.cash import record_payment, refund_payment
from arctui.services.credit_limits import approve_credit_limit, change_credit_limit
from arctui.services.credit_memos import prepare_memo
from arctui.services.errors import InvalidInput
from arctui.services.write_offs import approve_write_off, propose_write_off
from arctui.store.read import status
from arctui.store.read.book import path_of
from tests.enrol import enrol
from tests.services.conftest import TODAY, audit_actions


def memo_status(db, memo_id):
    return db["credit_memos"].get(memo_id)["status"]


def test_a_write_off_limit_of_its_own_beside_the_general_one(db, as_user):
    """alice's general limit is $500: a $400 memo is hers to approve; a $400 write-off waits
    once her write-off limit is $100; removing it brings the general limit back."""
    alice, lead = as_user("alice"), as_user("lead")
    set_authority_limit(lead, "alice", "write_off", 10_000)
    assert memo_status(db, prepare_memo(alice, 1, 40_000, "pricing", "4510", invoice_id=1)) == "approved"
    waiting = propose_write_off(alice, 1, 40_000, "bad_debt", "6800", "no assets")
    assert memo_status(db, waiting) == "pending_approval"
    set_authority_limit(lead, "alice", "write_off", None)
    assert memo_status(db, propose_write_off(alice, 1, 40_000, "bad_debt", "6800", "no assets")) == "approved"
    assert db.execute("SELECT count(*) FROM authority_limits").fetchone()[0] == 0
    assert audit_actions(db).count("collector.limit") == 2


def test_an_approver_is_held_to_the_kind_s_limit(db, as_user):
    """bob may approve $5,000 in general; with a write-off limit of $1,000 he may not approve a
    $2,000 write-off, yet still a $2,000 credit-limit raise."""
    alice, bob, lead = as_user("alice"), as_user("bob"), as_user("lead")
    set_authority_limit(lead, "bob", "write_off", 100_000)
    wo = propose_write_off(alice, 1, 200_000, "bad_debt", "6800", "gone")
    with pytest.raises(AuthorityError, match=r"write-off of \$2,000.00 is above bob's limit of \$1,000.00"):
        approve_write_off(bob, wo, db["credit_memos"].get(wo)["version"])
    raised = change_credit_limit(alice, 1, 5_200_000, "new contract", db["customers"].get(1)["version"])
    assert db["credit_limit_changes"].get(raised)["status"] == "pending_approval"
    approve_credit_limit(bob, raised, 1)
    assert db["customers"].get(1)["credit_limit_cents"] == 5_200_000


def test_a_refund_limit(db, as_user):
    """A lead whose refund limit is $100 refunds $50 at once; $200 becomes a request."""
    lead = as_user("lead")
    payment = record_payment(lead, 100_000, date(2026, 11, 20), "wire", customer_id=2)
    enrol(db, "mia", "Mia Manager", role="manager")
    set_authority_limit(as_user("mia"), "lead", "refund", 10_000)
    refund_payment(lead, payment, 5_000, "overpaid", version=1)
    refund_payment(lead, payment, 20_000, "overpaid again", version=2)
    assert db.execute("SELECT amount_cents, status FROM refund_requests").fetchall() == [(20_000, "pending_approval")]


def test_who_may_set_limits_and_what_is_refused(db, as_user):
    alice, lead = as_user("alice"), as_user("lead")
    with pytest.raises(AuthorityError, match="alice is not a lead or manager"):
        set_authority_limit(alice, "bob", "refund", 1)
    with pytest.raises(AuthorityError, match="nobody changes their own authority limit"):
        set_authority_limit(lead, "lead", "refund", 1)
    with pytest.raises(InvalidInput, match="kind"):
        set_authority_limit(lead, "bob", "loans", 1)
    with pytest.raises(InvalidInput, match="limit: expected a non-negative amount"):
        set_authority_limit(lead, "bob", "refund", -1)
    with pytest.raises(InvalidInput, match="zed is not in the team"):
        set_authority_limit(lead, "zed", "refund", 1)
    assert db.execute("SELECT count(*) FROM authority_limits").fetchone()[0] == 0
    assert "collector.limit" not in audit_actions(db)


def test_status_counts_what_the_kind_s_limit_lets_one_approve(db, as_user):
    """`arctui status`'s "to approve" counts a write-off for bob only within his write-off limit."""
    alice, lead = as_user("alice"), as_user("lead")
    propose_write_off(alice, 1, 200_000, "bad_debt", "6800", "gone")
    assert status.counts(db.conn, TODAY, "bob", None)["to_approve"] == 1
    set_authority_limit(lead, "bob", "write_off", 100_000)
    assert status.counts(db.conn, TODAY, "bob", None)["to_approve"] == 0


def test_team_limit_command(db, as_user, tmp_path):
    path = path_of(db)

    def run(user, *args):
        return CliRunner().invoke(cli, ["--user", user, "team", *args, "--db", path])

    done = run("lead", "limit", "alice", "write-off", "250.00")
    assert (done.exit_code, done.output.strip()) == (0, "alice: write-off limit $250.00")
    alice = next(line for line in run("lead", "list").output.splitlines() if line.startswith("alice"))
    assert "write-off $250.00" in alice
    assert run("lead", "limit", "alice", "write-off", "--general").output.strip() == (
        "alice: write-off limit the general limit"
    )
    both = run("lead", "limit", "alice", "refund", "1.00", "--general")
    assert both.exit_code == 2 and "give an AMOUNT, or --general" in both.output
    own = run("alice", "limit", "alice", "refund", "9,999.00")
    assert (own.exit_code, own.output.strip()) == (
        1,
        "Error: alice is not a lead or manager: only they set authority limits",
    )
    assert db.execute("SELECT count(*) FROM authority_limits").fetchone()[0] == 0
