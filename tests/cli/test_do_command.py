"""``arctui do`` (issue 14, item 8): each collector action from the shell through the console's
service, refused alike, audited alike; ``--from`` runs a CSV file all or nothing."""

import json
from datetime import date

from click.testing import CliRunner

from arctui.cli import cli
from arctui.services.accounts import save_collector
from arctui.services.cash import record_payment
from arctui.services.context import Context, fixed_clock
from arctui.store.connection import connect
from tests.enrol import first_lead
from tests.services.conftest import TODAY, seed

MEMO = ("memo", "--account", "C001", "--invoice", "INV-1002", "--amount", "600", "--reason", "pricing", "--gl", "4000")
"""A $600 credit memo: above alice's $500 limit, within the lead's."""


def book(tmp_path) -> str:
    path = tmp_path / "do.db"
    db = connect(path, create=True)
    lead = first_lead(db, fixed_clock(TODAY), memo_limit_cents=10_000_000)
    save_collector(lead, "alice", "Alice", memo_limit_cents=50_000)
    save_collector(lead, "bob", "Bob")
    seed(db)
    record_payment(Context(db, "alice", fixed_clock(TODAY)), 300_000, date(2026, 11, 20), "wire", customer_id=1)
    db.close()
    return str(path)


def do(path, user, *args):
    return CliRunner().invoke(cli, ["--user", user, "do", *args, "--db", path, "--today", TODAY.isoformat()])


def audit(path) -> list[tuple]:
    return connect(path).execute("SELECT actor, action, entity_id FROM audit ORDER BY id").fetchall()


def test_every_action_goes_through_its_service_with_one_audit_row_each(tmp_path):
    path = book(tmp_path)
    before = len(audit(path))
    steps = [
        ("alice", "call", "--account", "C001", "--outcome", "CB", "--follow-up", "2026-11-25", "--note", "AP out"),
        ("alice", "note", "--account", "C002", "--note", "asked for a statement"),
        (
            "alice",
            "promise",
            "--account",
            "C001",
            "--amount",
            "1,000.00",
            "--date",
            "2026-12-01",
            "--invoices",
            "INV-1001",
        ),
        ("alice", "plan", "--account", "C003", "--total", "900", "--count", "3", "--first-due", "2026-12-01"),
        ("alice", *MEMO),
        ("lead", "approve", "--memo", "1"),
        ("lead", "post", "--memo", "1"),
        ("alice", "dispute", "--invoice", "INV-2001", "--amount", "100", "--reason", "damaged"),
        ("alice", "resolve", "--dispute", "1", "--resolution", "withdrawn"),
        ("alice", "hold", "--account", "C002", "--note", "90 days late"),
        ("alice", "release", "--account", "C002", "--note", "paid"),
        ("alice", "escalate", "--account", "C003", "--kind", "management", "--note", "no answer in 60 days"),
        ("alice", "apply", "--payment", "1", "--invoices", "INV-1003=1000"),
        ("lead", "refund", "--payment", "1", "--amount", "50", "--note", "overpaid: back to their bank"),
        ("alice", "pause", "--account", "C002", "--until", "2026-12-15", "--reason", "their CFO is on leave"),
        ("alice", "resume", "--account", "C002"),
        ("alice", "contact", "add", "--account", "C001", "--name", "Dana", "--email", "dana@nw.example", "--primary"),
        ("alice", "contact", "edit", "--contact", "1", "--phone", "555-0100"),
        ("alice", "contact", "retire", "--contact", "1"),
    ]
    said = []
    for user, *args in steps:
        result = do(path, user, *args)
        assert result.exit_code == 0, (args, result.output)
        said.append(result.output.strip())
    assert said[:3] == ["touchpoint 1 logged", "touchpoint 2 added", "promise 1 recorded"]
    assert said[9:11] == ["account C002 put on credit hold", "account C002 released from credit hold"]
    actions = [(actor, action) for actor, action, _ in audit(path)[before:]]
    assert actions == [
        ("alice", "touchpoint.call"),
        ("alice", "touchpoint.note"),
        ("alice", "promise.record"),
        ("alice", "plan.create"),
        ("alice", "memo.prepare"),
        ("lead", "memo.approve"),
        ("lead", "memo.post"),
        ("alice", "dispute.open"),
        ("alice", "dispute.resolve"),
        ("alice", "account.credit_hold"),
        ("alice", "account.release"),
        ("alice", "account.escalate.management"),
        ("alice", "payment.apply"),
        ("lead", "payment.refund"),
        ("alice", "dunning.pause"),
        ("alice", "dunning.resume"),
        ("alice", "contact.add"),
        ("alice", "contact.edit"),
        ("alice", "contact.retire"),
    ]
    db = connect(path)
    assert db["invoices"].get(2)["open_cents"] == 400_000 - 60_000
    assert db["payments"].get(1)["unapplied_cents"] == 300_000 - 100_000 - 5_000
    assert db["contacts"].get(1)["retired_at"] is not None and db["contacts"].get(1)["phone"] == "555-0100"


def test_json_prints_the_record_written(tmp_path):
    path = book(tmp_path)
    result = do(path, "alice", "promise", "--account", "C002", "--amount", "12.34", "--date", "2026-12-01", "--json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert (record["id"], record["customer_id"], record["amount_cents"], record["created_by"]) == (1, 2, 1234, "alice")


def test_a_refusal_is_the_services_in_one_line_and_writes_nothing(tmp_path):
    path = book(tmp_path)
    before = audit(path)
    refusals = {
        ("promise", "--account", "C002", "--amount", "99,000", "--date", "2026-12-01"): (
            "Error: amount: $99,000.00 is more than the account's open balance ($12,000.00)"
        ),
        ("promise", "--account", "C009", "--amount", "1", "--date", "2026-12-01"): "Error: account: no account 'C009'",
        ("promise", "--account", "C002", "--amount", "1", "--date", "2026-11-01"): (
            "Error: date: 2026-11-01 is before 2026-11-23"
        ),
        ("promise", "--account", "C002", "--date", "2026-12-01"): "Error: amount: is required (--amount)",
        ("approve", "--memo", "7"): "Error: memo: no credit memo 7",
        ("hold", "--account", "C002", "--note", "late", "--version", "9"): None,
    }
    for args, line in refusals.items():
        result = do(path, "alice", *args)
        assert result.exit_code == 1 and "Traceback" not in result.output, result.output
        assert len(result.output.strip().splitlines()) == 1
        if line is not None:
            assert result.output.strip() == line
        else:
            assert "reload and try again" in result.output
    assert audit(path) == before


def test_a_memo_above_the_limit_waits_and_its_preparer_cannot_approve_it(tmp_path):
    path = book(tmp_path)
    assert do(path, "alice", *MEMO).exit_code == 0
    own = do(path, "alice", "approve", "--memo", "1")
    assert own.exit_code == 1 and "alice prepared" in own.output and len(own.output.strip().splitlines()) == 1
    assert connect(path)["credit_memos"].get(1)["status"] == "pending_approval"
    assert do(path, "lead", "approve", "--memo", "1").exit_code == 0


def test_a_batch_runs_every_line_in_one_transaction(tmp_path):
    path = book(tmp_path)
    csv = tmp_path / "promises.csv"
    csv.write_text(
        "account,amount,date,Note\nC001,100.00,2026-12-01,first\nC002,200,2026-12-02,\n\nC003,300,2026-12-03,x\n"
    )
    result = do(path, "alice", "promise", "--from", str(csv), "--json")
    assert result.exit_code == 0, result.output
    written = json.loads(result.output)
    assert [(r["customer_id"], r["amount_cents"], r["note"]) for r in written] == [
        (1, 10_000, "first"),
        (2, 20_000, None),
        (3, 30_000, "x"),
    ]
    assert [a for _, a, _ in audit(path)][-3:] == ["promise.record"] * 3


def test_a_batch_with_a_bad_line_names_it_and_writes_nothing(tmp_path):
    path = book(tmp_path)
    before = audit(path)
    csv = tmp_path / "promises.csv"
    csv.write_text("account,amount,date\nC001,100.00,2026-12-01\nC002,200,2026-12-02\nC003,lots,2026-12-03\n")
    result = do(path, "alice", "promise", "--from", str(csv))
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {csv}:4: amount: 'lots' is not an amount; expected a number like 1,234.56"
    csv.write_text("account,amount,date\nC001,100.00,2026-12-01\nC002,99000,2026-12-02\n")
    over = do(path, "alice", "promise", "--from", str(csv))
    assert over.exit_code == 1 and over.output.startswith(f"Error: {csv}:3: amount: $99,000.00 is more than")
    csv.write_text("account,amount,when\nC001,100.00,2026-12-01\n")
    column = do(path, "alice", "promise", "--from", str(csv))
    assert column.exit_code == 1 and column.output.startswith(f"Error: {csv}:1: when: no option of `arctui do promise`")
    assert audit(path) == before and connect(path)["promises"].count == 0


def test_options_and_a_file_together_are_refused(tmp_path):
    path = book(tmp_path)
    csv = tmp_path / "p.csv"
    csv.write_text("account,amount,date\nC001,1,2026-12-01\n")
    result = do(path, "alice", "promise", "--from", str(csv), "--account", "C001")
    assert result.exit_code == 2 and "not both" in result.output


def test_a_refund_above_the_limit_is_requested(tmp_path):
    path = book(tmp_path)
    said = do(path, "alice", "refund", "--payment", "1", "--amount", "600", "--note", "paid twice")
    assert said.exit_code == 0, said.output
    assert said.output.strip() == "refund request 1 requested: held until a lead or manager approves it"
    written = json.loads(
        do(path, "alice", "refund", "--payment", "1", "--amount", "5", "--note", "fee", "--json").output
    )
    assert (written["id"], written["unapplied_cents"]) == (1, 300_000 - 500)
    assert audit(path)[-2:] == [("alice", "payment.refund_request", "1"), ("alice", "payment.refund", "1")]


def test_contact_edit_clears_a_detail(tmp_path):
    """`--clear phone,role` blanks them (a blank option means "not given"); a detail given and
    cleared at once, or one a contact does not have, is refused and nothing changes."""
    path = book(tmp_path)
    added = ("contact", "add", "--account", "C001", "--name", "Dana", "--role", "AP", "--phone", "555-0100")
    assert do(path, "alice", *added).exit_code == 0
    both = do(path, "alice", "contact", "edit", "--contact", "1", "--phone", "555-0199", "--clear", "phone")
    assert (both.exit_code, both.output.strip()) == (1, "Error: phone: is given a value and cleared at once: say one")
    unknown = do(path, "alice", "contact", "edit", "--contact", "1", "--clear", "name")
    assert unknown.exit_code == 1 and "expected some of role, email, phone, got 'name'" in unknown.output
    assert do(path, "alice", "contact", "edit", "--contact", "1", "--clear", "phone, role").exit_code == 0
    contact = connect(path)["contacts"].get(1)
    assert (contact["name"], contact["role"], contact["phone"], contact["version"]) == ("Dana", None, None, 2)
