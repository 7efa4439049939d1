"""Disputes as cases and escalations with a decision from the shell: `arctui do dispute /
resolve / escalate / decide / reinstate`, and the reports `dispute-cases` and `escalations`."""

import json

from click.testing import CliRunner

from arctui.cli import cli
from tests.cli.test_do_command import audit, book, do
from tests.cli.test_do_command import connect as open_book
from tests.services.conftest import TODAY


def report(path, name):
    return CliRunner().invoke(cli, ["report", name, "--db", path, "--today", TODAY.isoformat()])


def test_a_dispute_case_from_open_to_credited(tmp_path):
    path = book(tmp_path)
    opened = do(path, "alice", "dispute", "--invoice", "INV-1002", "--amount", "300", "--reason", "pricing")
    assert opened.exit_code == 0, opened.output
    db = open_book(path)
    assert db.execute("SELECT owner, due_date FROM disputes").fetchone() == ("alice", "2026-12-23")

    refused = do(
        path, "alice", "dispute", "--invoice", "INV-1001", "--amount", "1", "--reason", "pricing", "--owner", "x"
    )
    assert refused.exit_code != 0 and "owner: 'x' is neither an active collector nor a team" in refused.output
    assert "Traceback" not in refused.output and db.execute("SELECT count(*) FROM disputes").fetchone() == (1,)

    half = ("alice", "resolve", "--dispute", "1", "--resolution", "credited", "--reason-code", "PRC")
    refused = do(path, *half)
    assert refused.exit_code != 0 and "gl: is required" in refused.output
    credited = do(path, *half, "--gl", "4000", "--note", "price list of May", "--json")
    assert credited.exit_code == 0, credited.output
    written = json.loads(credited.output)
    assert (written["resolution"], written["credit_memo_id"]) == ("credited", 1)
    assert db.execute("SELECT amount_cents, invoice_id, status FROM credit_memos").fetchone() == (30_000, 2, "approved")
    assert [a[1] for a in audit(path)][-2:] == ["memo.prepare", "dispute.resolve"]


def test_an_escalation_recommended_decided_reported_and_reinstated(tmp_path):
    path = book(tmp_path)
    rec = do(path, "alice", "escalate", "--account", "C003", "--kind", "outside_collections", "--note", "silent")
    assert rec.exit_code != 0 and "agency: outside collections names the agency" in rec.output
    rec = do(
        path, "alice", "escalate", "--account", "C003", "--kind", "outside_collections", "--note", "silent",
        "--agency", "Acme Recovery", "--placed", "5000",
    )  # fmt: skip
    assert rec.exit_code == 0, rec.output
    db = open_book(path)
    assert db.execute("SELECT status FROM customers WHERE account_no = 'C003'").fetchone() == ("active",)

    own = do(path, "alice", "decide", "--escalation", "1", "--approve")
    assert own.exit_code != 0 and "alice is not a lead or manager" in own.output
    approved = do(path, "lead", "decide", "--escalation", "1", "--approve", "--note", "agreed")
    assert approved.exit_code == 0, approved.output
    assert db.execute("SELECT status FROM customers WHERE account_no = 'C003'").fetchone() == ("outside_collections",)

    shown = report(path, "escalations")
    assert shown.exit_code == 0, shown.output
    line = next(line for line in shown.output.splitlines() if "C003" in line)
    assert "outside collections" in line and "in force" in line and "Acme Recovery" in line and "5,000.00" in line

    recovered = do(path, "lead", "recovery", "--escalation", "1", "--amount", "1,200", "--received", "2026-11-23")
    assert recovered.exit_code == 0, recovered.output
    too_much = do(path, "lead", "recovery", "--escalation", "1", "--amount", "3,800.01", "--received", "2026-11-23")
    assert too_much.exit_code != 0 and "amount: $3,800.01 is more than what is left of the placement" in too_much.output
    assert "1,200.00" in next(line for line in report(path, "escalations").output.splitlines() if "C003" in line)

    back = do(path, "lead", "reinstate", "--escalation", "1", "--note", "agency returned it")
    assert back.exit_code == 0, back.output
    rejected = do(path, "alice", "decide", "--escalation", "2", "--not-approve")
    assert rejected.exit_code != 0
    approved = do(path, "lead", "decide", "--escalation", "2", "--approve")
    assert approved.exit_code != 0 and "lead recommended this" in approved.output
    assert db.execute("SELECT status FROM customers WHERE account_no = 'C003'").fetchone() == ("outside_collections",)
    assert [a[1] for a in audit(path)][-4:] == [
        "escalation.recommend.outside_collections",
        "escalation.approve",
        "escalation.recovery",
        "escalation.recommend.reinstate",
    ]


def test_the_dispute_cases_report_shows_age_and_owner(tmp_path):
    path = book(tmp_path)
    dispute = ("alice", "dispute", "--invoice", "INV-2001", "--amount", "100", "--reason", "damaged")
    refused = do(path, *dispute, "--owner", "bob")
    assert refused.exit_code != 0 and "bob has no email address for the dispute's notice" in refused.output
    assert do(path, *dispute, "--due", "2026-12-01").exit_code == 0
    shown = report(path, "dispute-cases")
    assert shown.exit_code == 0, shown.output
    line = next(line for line in shown.output.splitlines() if "INV-2001" in line)
    assert "alice" in line and "2026-12-01" in line and "goods damaged" in line


def test_a_dispute_changes_hands_and_gathers_notes(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[dispute_teams]\n"customer service" = "cs@firm.example"\n')
    monkeypatch.setenv("ARCTUI_CONFIG", str(config))
    path = book(tmp_path)
    opened = do(path, "alice", "dispute", "--invoice", "INV-1002", "--amount", "300", "--reason", "pricing")
    assert opened.exit_code == 0, opened.output
    given = do(path, "alice", "dispute-assign", "--dispute", "1", "--owner", "bob", "--due", "2026-12-01")
    assert given.exit_code != 0 and "bob has no email address" in given.output
    noted = do(path, "alice", "dispute-note", "--dispute", "1", "--note", "customer sent the May price list")
    assert noted.exit_code == 0, noted.output
    given = do(path, "alice", "dispute-assign", "--dispute", "1", "--owner", "Customer Service", "--due", "2026-12-01")
    assert given.exit_code == 0, given.output
    db = open_book(path)
    assert db.execute("SELECT note, by FROM dispute_notes").fetchall() == [
        ("customer sent the May price list", "alice")
    ]
    assert db.execute("SELECT owner, due_date FROM disputes").fetchone() == ("customer service", "2026-12-01")
    assert db.execute("SELECT to_addr, customer_id FROM email_outbox").fetchall() == [("cs@firm.example", None)]
