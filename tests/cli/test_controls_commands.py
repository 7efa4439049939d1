"""``arctui codes`` and ``arctui write-off`` (issue 14, items 4 and 7): a manager keeps the
chart, a write-off goes propose → approve (someone else, within their limit) → post, refusals
are one line with nothing written, and ``arctui report write-offs`` / ``cash-by-bucket`` show them."""

from click.testing import CliRunner

from arctui.cli import cli
from arctui.services.accounts import save_collector
from arctui.services.context import fixed_clock
from arctui.store.connection import connect
from tests.enrol import enrol, first_lead
from tests.services.conftest import TODAY, seed


def book(tmp_path) -> str:
    path = tmp_path / "controls.db"
    db = connect(path, create=True)
    lead = first_lead(db, fixed_clock(TODAY), memo_limit_cents=1_000_000)
    enrol(db, "maria", "Maria Manager", role="manager", memo_limit_cents=10_000_000)
    save_collector(lead, "alice", "Alice", memo_limit_cents=50_000)
    save_collector(lead, "bob", "Bob")
    seed(db)
    db.close()
    return str(path)


def run(path, user, *args):
    return CliRunner().invoke(cli, ["--user", user, *args, "--db", path])


def rows(path, sql):
    db = connect(path)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def test_a_manager_keeps_the_chart_and_others_only_read_it(tmp_path):
    path = book(tmp_path)
    assert "no chart of codes: memos and write-offs take any code" in run(path, "alice", "codes", "list").output
    refused = run(path, "alice", "codes", "add", "reason", "bad_debt", "Uncollectable")
    assert refused.exit_code == 1
    assert refused.output.strip().splitlines() == [
        "Error: alice is not a manager: only a manager adds codes to the chart"
    ]
    for kind, code, label in [("reason", "bad_debt", "Uncollectable"), ("gl", "6800", "Bad debt expense")]:
        added = run(path, "maria", "codes", "add", kind, code, label)
        assert added.exit_code == 0, added.output
    assert run(path, "maria", "codes", "add", "gl", "6800", "again").exit_code == 1
    listed = run(path, "alice", "codes", "list").output.splitlines()
    assert [line.split()[:3] for line in listed[2:]] == [
        ["reason", "code", "bad_debt"],
        ["GL", "code", "6800"],
    ]
    assert run(path, "maria", "codes", "retire", "gl", "6800").output.strip() == "GL code 6800 retired"
    assert "6800" not in run(path, "alice", "codes", "list").output
    assert "6800" in run(path, "alice", "codes", "list", "--all").output


def test_a_write_off_from_proposal_to_posting_and_its_reports(tmp_path):
    path = book(tmp_path)
    run(path, "maria", "codes", "add", "reason", "bad_debt", "Uncollectable")
    run(path, "maria", "codes", "add", "gl", "6800", "Bad debt expense")
    off_chart = run(
        path,
        "alice",
        "write-off",
        "propose",
        "INV-1001",
        "4,000.00",
        "--reason",
        "dunno",
        "--gl",
        "6800",
        "--note",
        "gone",
    )
    assert off_chart.exit_code == 1
    assert off_chart.output.strip().startswith("Error: reason code: dunno is not in the chart")
    assert rows(path, "SELECT count(*) FROM credit_memos") == [(0,)]
    proposed = run(
        path,
        "alice",
        "write-off",
        "propose",
        "inv-1001",
        "4,000.00",
        "--reason",
        "BAD_DEBT",
        "--gl",
        "6800",
        "--note",
        "in administration",
    )
    assert proposed.exit_code == 0, proposed.output
    assert proposed.output.strip() == "WO-000001: $4,000.00 of INV-1001, pending approval"
    listed = run(path, "lead", "write-off", "list").output
    assert "WO-000001" in listed and "pending approval" in listed and "bad_debt / 6800" in listed
    own = run(path, "alice", "write-off", "approve", "WO-000001")
    assert own.exit_code == 1 and "nobody approves their own write-off" in own.output
    assert run(path, "lead", "write-off", "post", "WO-000001").exit_code == 1  # not approved yet
    assert (
        run(path, "lead", "write-off", "approve", "wo-000001", "--note", "agreed").output.strip()
        == "WO-000001 approved"
    )
    posted = run(path, "alice", "write-off", "post", "WO-000001")
    assert posted.output.strip() == "WO-000001 posted: $4,000.00 off INV-1001"
    assert rows(path, "SELECT open_cents FROM invoices WHERE number = 'INV-1001'") == [(1_100_000,)]
    actions = [a for (a,) in rows(path, "SELECT action FROM audit WHERE action LIKE 'write_off.%' ORDER BY id")]
    assert actions == ["write_off.prepare", "write_off.approve", "write_off.post"]
    assert run(path, "lead", "write-off", "list").output.strip() == "no write-off waiting"
    assert (
        run(path, "lead", "write-off", "approve", "WO-000009").output.strip() == "Error: write-off WO-000009 not found"
    )
    report = run(path, "lead", "report", "write-offs", "--format", "csv")
    assert report.exit_code == 0, report.output
    assert "WO-000001,posted" in report.output and ",alice,lead," in report.output
    cash = run(path, "lead", "report", "cash-by-bucket", "--format", "csv")
    assert cash.exit_code == 0 and cash.output.splitlines()[0].startswith("Period,Collector,Currency,Current,1-30")


def test_a_credit_limit_raise_above_authority_waits_for_someone_else(tmp_path):
    path = book(tmp_path)
    within = run(path, "alice", "credit-limit", "set", "C001", "50,400.00", "--note", "paid early all year")
    assert within.output.strip() == "credit-limit change 1: C001 $50,400.00, applied"
    above = run(path, "alice", "credit-limit", "set", "C001", "80,000", "--note", "new contract")
    assert above.output.strip() == "credit-limit change 2: C001 $80,000.00, waiting for approval"
    listed = run(path, "lead", "credit-limit", "list").output
    assert "$50,400.00" in listed and "$80,000.00" in listed and "new contract" in listed
    own = run(path, "alice", "credit-limit", "approve", "2")
    assert own.exit_code == 1
    assert (
        own.output.strip()
        == "Error: alice prepared this credit-limit raise: nobody approves their own credit-limit raise"
    )
    short = run(path, "lead", "credit-limit", "approve", "2")
    assert short.output.strip() == "Error: credit-limit raise of $29,600.00 is above lead's limit of $10,000.00"
    approved = run(path, "maria", "credit-limit", "approve", "2", "--note", "contract seen")
    assert approved.output.strip() == "credit-limit change 2 applied"
    assert rows(path, "SELECT credit_limit_cents FROM customers WHERE account_no = 'C001'") == [(8_000_000,)]
    assert run(path, "lead", "credit-limit", "list").output.strip() == "no credit-limit change waiting"
    unknown = run(path, "lead", "credit-limit", "set", "C999", "1", "--note", "x")
    assert unknown.exit_code == 1 and unknown.output.strip() == "Error: account C999 not found"


def test_a_manager_loads_a_chart_from_a_file_all_or_nothing(tmp_path):
    path = book(tmp_path)
    chart = tmp_path / "chart.csv"
    chart.write_text(
        "kind,code,label\nreason,pricing,Pricing adjustment\ngl,4510,Sales adjustments\n", encoding="utf-8"
    )
    loaded = run(path, "maria", "codes", "load", str(chart))
    assert (loaded.exit_code, loaded.output.strip()) == (0, f"{chart}: 2 of 2 codes added to the chart")
    again = run(path, "maria", "codes", "load", str(chart))
    assert again.output.strip() == f"{chart}: 0 of 2 codes added to the chart"
    audit_rows = rows(path, "SELECT count(*) FROM audit WHERE action = 'code.load'")
    assert audit_rows == [(1,)]  # the second load changed nothing, so wrote no audit row

    bad = tmp_path / "bad.csv"
    bad.write_text("kind,code,label\ngl,6800,Bad debt\nledger,9000,Suspense\n", encoding="utf-8")
    refused = run(path, "maria", "codes", "load", str(bad))
    assert (refused.exit_code, refused.output.strip()) == (
        1,
        f"Error: {bad}:3: kind: 'ledger' is not one of reason, gl",
    )
    twice = tmp_path / "twice.csv"
    twice.write_text("kind,code,label\ngl,6800,Bad debt\ngl,6800,Bad debt expense\n", encoding="utf-8")
    assert run(path, "maria", "codes", "load", str(twice)).output.strip() == (
        f"Error: {twice}:3: GL code: 6800 is on {twice}:2 already"
    )
    clash = tmp_path / "clash.csv"
    clash.write_text("kind,code,label\nreason,PRICING,Price change\n", encoding="utf-8")
    assert run(path, "maria", "codes", "load", str(clash)).output.strip() == (
        f"Error: {clash}:2: reason code: pricing is already in the chart (Pricing adjustment)"
    )
    columns = tmp_path / "columns.csv"
    columns.write_text("type,code\nreason,x\n", encoding="utf-8")
    assert run(path, "maria", "codes", "load", str(columns)).output.strip() == (
        f"Error: {columns}:1: expected columns kind, code, label; missing kind, label"
    )
    assert run(path, "alice", "codes", "load", str(chart)).output.strip() == (
        "Error: alice is not a manager: only a manager loads a chart of codes"
    )
    assert rows(path, "SELECT kind, code FROM chart_codes ORDER BY id") == [("reason", "pricing"), ("gl", "4510")]
