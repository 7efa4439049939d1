"""Collection strategies kept in the book: loaded from a TOML file by a lead, matched per
segment, each step by its channel; pauses; no reminders to accounts that are not active."""

from dataclasses import replace
from datetime import date
from email import message_from_bytes, policy

import pytest

from arctui.domain.authority import AuthorityError
from arctui.services.context import Context, fixed_clock
from arctui.services.dunning import plan_for, run_dunning
from arctui.services.email import open_transport
from arctui.services.errors import InvalidInput
from arctui.services.escalations import decide_escalation, recommend_escalation, recommend_reinstatement
from arctui.services.strategies import pause_dunning, read_strategy_file, resume_dunning, set_strategies
from arctui.services.templates import Templates
from arctui.services.touchpoints import log_touchpoint
from arctui.store.read.timeline import timeline
from tests.email.conftest import TODAY
from tests.enrol import enrol, first_lead

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

STRATEGIES = """
[[strategy]]
name = "emea-calls"
regions = ["EMEA"]
steps = [{ days = 1, channel = "call", template = "first_reminder" }]

[[strategy]]
name = "high-risk-letters"
risk_classes = ["high"]
min_open = 5000
steps = [
  { days = 1, channel = "email", template = "first_reminder" },
  { days = 30, channel = "letter", template = "final_notice" },
]

[[strategy]]
name = "default"
step_gap_days = 10
steps = [{ days = 1, channel = "email", template = "first_reminder" }]
"""


@pytest.fixture
def lead(ctx):
    return replace(first_lead(ctx.db, fixed_clock(TODAY)), settings=ctx.settings, plugins=ctx.plugins)


def strategy_file(tmp_path, text=STRATEGIES):
    path = tmp_path / "strategies.toml"
    path.write_text(text)
    return path


def decisions(items):
    return {i.account_no: (i.strategy, i.decision.step, i.decision.channel, i.outcome) for i in items}


def test_a_lead_sets_the_books_strategies_from_a_file_and_a_collector_may_not(ctx, lead, db, tmp_path):
    strategies = read_strategy_file(strategy_file(tmp_path), Templates())
    with pytest.raises(AuthorityError, match="alice is not a lead or manager: only they set collection strategies"):
        set_strategies(ctx, strategies)
    assert db.execute("SELECT name FROM strategies").fetchall() == [("default",)]
    set_strategies(lead, strategies)
    assert db.execute(
        "SELECT position, name, regions, risk_classes, min_open FROM strategies ORDER BY 1"
    ).fetchall() == [
        (1, "emea-calls", '["EMEA"]', None, None),
        (2, "high-risk-letters", None, '["high"]', 5000),
        (3, "default", None, None, None),
    ]
    assert db.execute("SELECT actor, count(*) FROM audit WHERE action = 'strategy.set' GROUP BY actor").fetchall() == [
        ("lead", 1)
    ]


@pytest.mark.parametrize(
    "text, problem",
    [
        (
            "[[strategy]]\nname = 'a'\nregions = ['X']\n"
            "steps = [{days = 1, channel = 'email', template = 'first_reminder'}]",
            "segment: {path}: the last strategy (a) must match every account (name no segment)",
        ),
        (
            "[[strategy]]\nname = 'a'\nsteps = [{days = 1, channel = 'fax', template = 'first_reminder'}]",
            "channel: {path}: strategy a: step 1: expected one of email, call, letter",
        ),
        (
            "[[strategy]]\nname = 'a'\nsteps = [{days = 1, channel = 'email', template = 'nope'}]",
            "template: {path}: strategy a: no template nope.j2 in",
        ),
        (
            "[[strategy]]\nname = 'a'\nsteps = [{days = 9, channel = 'email', template = 'first_reminder'},"
            " {days = 9, channel = 'call', template = 'final_notice'}]",
            "steps: {path}: strategy a: final_notice (9 days) must come after first_reminder (9 days)",
        ),
        (
            "[[strategy]]\nname = 'a'\nmin_open = -1\nsteps = []",
            "min_open: {path}: strategy a: expected a whole amount",
        ),
        ("[[strategy]]\nname = 'a'\nspeed = 3\nsteps = []", "speed: {path}: strategy a: no such setting"),
        ("strategy = 3", "file: {path}: expected [[strategy]] tables and nothing else"),
    ],
)
def test_a_strategy_file_that_makes_no_ladder_is_refused_naming_file_strategy_and_field(tmp_path, text, problem):
    path = strategy_file(tmp_path, text)
    with pytest.raises(InvalidInput) as refused:
        read_strategy_file(path, Templates())
    assert str(refused.value).startswith(problem.format(path=path))


def test_each_account_climbs_its_own_strategy_by_its_channels(ctx, lead, db, tmp_path, mailbox):
    set_strategies(lead, read_strategy_file(strategy_file(tmp_path), Templates()))
    db.execute("UPDATE customers SET region = 'EMEA' WHERE id = 1")
    db.execute("UPDATE customers SET risk_class = 'high' WHERE id IN (2, 3)")  # C103 owes 3,000: below min_open
    letters = tmp_path / "letters"
    items = decisions(run_dunning(ctx, open_transport(ctx), letters_dir=letters))
    assert items["C101"] == ("emea-calls", "first_reminder", "call", "call task for the collector")
    letter = letters / "2026-11-23-C102-final_notice.txt"
    assert items["C102"] == ("high-risk-letters", "final_notice", "letter", f"letter written to {letter}")
    assert items["C103"] == ("default", "first_reminder", "email", "sent")
    assert "FINAL NOTICE: $9,876.54 overdue on account C102" in letter.read_text()
    assert "INV-2001" in letter.read_text()
    assert db.execute(
        "SELECT customer_id, strategy, template, channel, invoices FROM dunning_tasks ORDER BY 1"
    ).fetchall() == [
        (1, "emea-calls", "first_reminder", "call", "INV-1001"),
        (2, "high-risk-letters", "final_notice", "letter", "INV-2001"),
    ]
    assert sorted(e.rcpt_tos[0] for e in mailbox.messages) == [f"ap{i}@customer{i}.test" for i in (3, 4, 5)]
    assert [(e.kind, e.summary) for e in timeline(db, 1) if e.kind == "dunning"] == [
        ("dunning", "Call task: first_reminder (strategy emea-calls) for INV-1001")
    ]
    again = decisions(run_dunning(replace(ctx, clock=fixed_clock(date(2026, 12, 10))), open_transport(ctx)))
    assert again["C101"][1:] == (None, "email", "")  # its ladder's one step was taken
    assert again["C102"][1:] == (None, "email", "")


def test_a_call_task_is_on_the_status_line_until_a_call_is_logged(
    ctx, lead, db, book_target, tmp_path, mailbox, run_arctui
):
    set_strategies(lead, read_strategy_file(strategy_file(tmp_path), Templates()))
    db.execute("UPDATE customers SET region = 'EMEA' WHERE id IN (1, 2)")
    run_dunning(ctx, open_transport(ctx), letters_dir=tmp_path / "letters")

    def status() -> str:
        return run_arctui("status", "--db", str(book_target), "--today", TODAY.isoformat()).output

    assert "2 calls to make" in status()
    log_touchpoint(ctx, 1, "email", "LVM")  # an email is not the call
    log_touchpoint(ctx, 2, "call", "NA")
    assert "1 call to make" in status()


def test_one_message_per_account_lists_its_reminded_invoices(ctx, db, mailbox):
    db["invoices"].insert(
        {
            "id": 8,
            "customer_id": 1,
            "number": "INV-1003",
            "issue_date": "2026-10-01",
            "due_date": "2026-10-31",
            "amount_cents": 10_000,
            "open_cents": 10_000,
        }
    )
    items = run_dunning(ctx, open_transport(ctx))
    [c101] = [i for i in items if i.account_no == "C101"]
    assert c101.reminded == ("INV-1003", "INV-1001")
    [message] = [
        message_from_bytes(e.content, policy=policy.default)
        for e in mailbox.messages
        if e.rcpt_tos == ["ap1@customer1.test"]
    ]
    body = message.get_content()
    assert "INV-1003" in body and "INV-1001" in body and "INV-1002" not in body  # INV-1002 is not due yet


def test_a_paused_account_gets_no_reminder_until_its_pause_ends_and_the_pause_is_audited(ctx, db, mailbox):
    pause_dunning(ctx, 1, date(2026, 11, 30), "CFO on leave, pays on return")
    items = decisions_and_reasons(run_dunning(ctx, open_transport(ctx)))
    assert items["C101"] == (None, "paused until 2026-11-30: CFO on leave, pays on return")
    audit = db.execute("SELECT actor, action, entity_id FROM audit WHERE action LIKE 'dunning.%'").fetchall()
    assert audit == [("alice", "dunning.pause", "1")]
    december = replace(ctx, clock=fixed_clock(date(2026, 12, 1)))
    assert decisions_and_reasons(run_dunning(december, open_transport(ctx)))["C101"][0] == "second_reminder"


def test_a_pause_ends_early_by_resuming_and_only_the_owner_or_a_lead_pauses(ctx, lead, db, mailbox):
    enrol(db, "bob", "Bob Baker")
    bob = Context(db, "bob", fixed_clock(TODAY))
    with pytest.raises(AuthorityError, match="bob may not pause account C101's reminders"):
        pause_dunning(bob, 1, date(2026, 11, 30), "asked nicely")
    with pytest.raises(InvalidInput, match="until: 2026-11-22 has passed"):
        pause_dunning(ctx, 1, date(2026, 11, 22), "too late")
    pause_dunning(lead, 1, date(2026, 11, 30), "agreed with the customer")
    resume_dunning(ctx, 1)
    with pytest.raises(InvalidInput, match="account C101 is not paused"):
        resume_dunning(ctx, 1)
    assert decisions_and_reasons(run_dunning(ctx, open_transport(ctx)))["C101"][0] == "second_reminder"
    assert [r[0] for r in db.execute("SELECT action FROM audit WHERE action LIKE 'dunning.%' ORDER BY id")] == [
        "dunning.pause",
        "dunning.resume",
    ]


def test_no_reminders_to_held_suspended_or_escalated_accounts(ctx, db, mailbox):
    for account_id, status in ((1, "credit_hold"), (2, "suspended"), (3, "outside_collections")):
        db.execute("UPDATE customers SET status = ? WHERE id = ?", [status, account_id])
    items = decisions_and_reasons(run_dunning(ctx, open_transport(ctx)))
    assert items["C101"] == (None, "on credit hold: no reminders")
    assert items["C102"] == (None, "suspended: no reminders")
    assert items["C103"] == (None, "with outside collections")
    assert sorted(e.rcpt_tos[0] for e in mailbox.messages) == ["ap4@customer4.test", "ap5@customer5.test"]


def decisions_and_reasons(items):
    return {i.account_no: (i.decision.step, i.decision.reason) for i in items}


def test_the_strategy_command_sets_lists_shows_and_pauses(book_target, db, tmp_path, run_arctui, mailbox):
    enrol(db, "lead", "Lee Lead", role="lead")
    path, book = strategy_file(tmp_path), str(book_target)
    refused = run_arctui("strategy", "set", str(path), "--db", book)
    assert (refused.exit_code, refused.output) == (
        1,
        "Error: alice is not a lead or manager: only they set collection strategies\n",
    )
    done = run_arctui("strategy", "set", str(path), "--db", book, user="lead")
    assert (done.exit_code, done.output) == (0, "3 strategies set: emea-calls, high-risk-letters, default\n")
    listed = run_arctui("strategy", "list", "--db", book).output
    assert "high-risk-letters  risk high, open 5,000..  1d email first_reminder → 30d letter final_notice" in listed
    shown = run_arctui("strategy", "show", "high-risk-letters", "--db", book).output.splitlines()
    assert shown[:2] == [
        "strategy high-risk-letters: for risk high, open 5,000..",
        "at most one step per 7 days, none within 3 days of a contact",
    ]
    assert shown[-1].split() == ["2", "30", "letter", "final_notice"]
    missing = run_arctui("strategy", "show", "nope", "--db", book)
    assert (missing.exit_code, missing.output) == (1, "Error: no strategy nope (`arctui strategy list` shows them)\n")
    paused = run_arctui(
        "strategy",
        "pause",
        "C101",
        "--until",
        "2026-11-30",
        "--reason",
        "CFO on leave",
        "--today",
        "2026-11-23",
        "--db",
        book,
    )
    assert (paused.exit_code, paused.output) == (0, "C101: no reminders until 2026-11-30\n")
    outlook = run_arctui("strategy", "account", "C101", "--today", "2026-11-23", "--db", book)
    assert outlook.output == "C101: strategy default · no reminder: paused until 2026-11-30: CFO on leave\n"
    outlook = run_arctui("strategy", "account", "C102", "--today", "2026-11-23", "--db", book)
    assert outlook.output == "C102: strategy default · due now: first_reminder by email\n"
    run = run_arctui("dunning", "run", "--today", "2026-11-23", "--db", book, "--letters", str(tmp_path / "l"))
    assert "paused until 2026-11-30: CFO on" in run.output
    assert db.execute("SELECT until_date, reason, created_by FROM dunning_pauses").fetchall() == [
        ("2026-11-30", "CFO on leave", "alice")
    ]


def test_an_import_sets_the_risk_class_a_segment_matches(book_target, db, tmp_path, run_arctui):
    path = tmp_path / "customers.csv"
    path.write_text("account,customer name,risk class\nC101,Northwind Supply,high\nC107,New Account,watch\n")
    result = run_arctui("import", "customers", str(path), "--db", str(book_target))
    assert result.exit_code == 0, result.output
    assert db.execute(
        "SELECT account_no, risk_class FROM customers WHERE risk_class IS NOT NULL ORDER BY id"
    ).fetchall() == [
        ("C101", "high"),
        ("C107", "watch"),
    ]


def test_an_account_escalated_to_legal_gets_no_reminder_until_reinstated(ctx, lead, db, mailbox):
    legal = recommend_escalation(ctx, 1, "legal", "no answer in 90 days", version=1)
    assert decisions_and_reasons(plan_for(ctx))["C101"][0] == "second_reminder"  # a recommendation holds nothing
    decide_escalation(lead, legal, 1, approve=True)
    assert decisions_and_reasons(plan_for(ctx))["C101"] == (None, "escalated to legal: no reminders")
    reinstatement = recommend_reinstatement(ctx, legal, "paid in full")
    decide_escalation(lead, reinstatement, 1, approve=True)
    assert decisions_and_reasons(plan_for(ctx))["C101"][0] == "second_reminder"
