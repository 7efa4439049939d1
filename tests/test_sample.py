"""``arctui sample``: a deterministic book whose ledger reconciles and whose collections
activity agrees with it, and the committed sample.db it regenerates."""

import hashlib
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from arctui.cli import cli
from arctui.domain.aging import BUCKETS, bucket_case_sql
from arctui.domain.authority import check_approver
from arctui.domain.plans import allocate
from arctui.domain.promises import promise_status
from arctui.domain.statuses import (
    CUSTOMER_STATUSES,
    DISPUTE_REASONS,
    ESCALATION_KINDS,
    MEMO_STATUSES,
    OUTCOME_CODES,
    PAYMENT_METHODS,
    TOUCHPOINT_KINDS,
)
from arctui.sample import SampleSpec, generate
from arctui.sample import book as sample_book
from arctui.services.context import Context, fixed_clock
from arctui.services.disputes import RESOLUTIONS
from arctui.services.promises import settle_promises
from arctui.store import audit
from arctui.store.connection import connect
from arctui_plugins.rule_coder import BUNDLED_RULES, load_rules

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DB_ARGS = ["--customers", "300", "--invoices", "5000", "--seed", "7", "--today", "2026-11-23"]
SMALL = ["--customers", "50", "--invoices", "800", "--today", "2026-11-23"]
TODAY = date(2026, 11, 23)


def run_sample(*args):
    return CliRunner().invoke(cli, ["sample", *map(str, args)])


def make_book(path, *args):
    result = run_sample(path, *args)
    assert result.exit_code == 0, result.output
    return path


def table_digests(path) -> dict[str, str]:
    """SHA-256 of every table's rows in rowid order (sqlite's own tables left out)."""
    db = sqlite3.connect(path)
    tables = [
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    digests = {}
    for table in tables:
        digest = hashlib.sha256()
        for row in db.execute(f"SELECT * FROM [{table}] ORDER BY rowid"):
            digest.update(repr(row).encode())
        digests[table] = digest.hexdigest()
    db.close()
    return digests


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = make_book(tmp_path_factory.mktemp("sample") / "book.db", *SMALL, "--seed", "1")
    db = sqlite3.connect(path)
    yield db
    db.close()


def values(db, sql, *params) -> list:
    return [row[0] for row in db.execute(sql, params)]


def test_regenerating_gives_the_committed_sample_db(tmp_path):
    fresh = tmp_path / "sample.db"
    result = run_sample(fresh, *SAMPLE_DB_ARGS)
    assert result.output.startswith(f"{fresh}: 300 customers, 5,000 invoices, ")
    assert result.output.count("\n") == 1 and "as of 2026-11-23 (seed 7)" in result.output
    assert table_digests(fresh) == table_digests(REPO / "sample.db")


def test_same_arguments_same_book_other_seed_other_book(tmp_path):
    first = table_digests(make_book(tmp_path / "a.db", *SMALL, "--seed", "1"))
    again = table_digests(make_book(tmp_path / "b.db", *SMALL, "--seed", "1"))
    other = table_digests(make_book(tmp_path / "c.db", *SMALL, "--seed", "2"))
    assert first == again
    assert all(other[table] != first[table] for table in ("customers", "invoices", "payments"))


def test_the_chunk_size_of_the_bulk_writes_does_not_change_the_book(tmp_path, monkeypatch):
    monkeypatch.setattr(sample_book, "CHUNK", 97)  # many rounds of invoices and payments
    chunked = tmp_path / "chunked.db"
    generate(chunked, SampleSpec(customers=50, invoices=800, seed=1, today=TODAY))
    assert table_digests(chunked) == table_digests(make_book(tmp_path / "whole.db", *SMALL, "--seed", "1"))


def test_every_invoice_reconciles_with_its_applications_and_posted_memos(book):
    assert (
        values(
            book,
            """
        SELECT number FROM invoices i WHERE open_cents != amount_cents
          - (SELECT coalesce(sum(amount_cents), 0) FROM payment_applications
             WHERE invoice_id = i.id AND kind = 'apply')
          - (SELECT coalesce(sum(amount_cents), 0) FROM credit_memos
             WHERE invoice_id = i.id AND status = 'posted')
          OR open_cents < 0 OR (open_cents = 0) != (closed_date IS NOT NULL)""",
        )
        == []
    )


def test_every_payment_reconciles_with_its_applications_and_refunds(book):
    assert (
        values(
            book,
            """
        SELECT id FROM payments p WHERE unapplied_cents != amount_cents
          - (SELECT coalesce(sum(amount_cents), 0) FROM payment_applications WHERE payment_id = p.id)""",
        )
        == []
    )
    assert values(book, "SELECT count(*) FROM payment_applications WHERE kind = 'refund'")[0] > 0
    assert values(book, "SELECT count(*) FROM payments WHERE unapplied_cents > 0")[0] > 0
    assert values(book, "SELECT count(*) FROM payments WHERE customer_id IS NULL")[0] > 0
    assert values(book, "PRAGMA foreign_key_check") == []


def test_applications_belong_to_the_payer_and_follow_the_invoice(book):
    assert (
        values(
            book,
            """
        SELECT a.id FROM payment_applications a JOIN payments p ON p.id = a.payment_id
        JOIN invoices i ON i.id = a.invoice_id
        WHERE p.customer_id != i.customer_id OR a.applied_date < i.issue_date
           OR a.applied_date != p.received_date OR a.applied_date > ?""",
            TODAY.isoformat(),
        )
        == []
    )


def test_every_aging_bucket_and_status_is_present(book):
    buckets = book.execute(
        f"SELECT DISTINCT {bucket_case_sql('due_date', 'today')} FROM invoices WHERE open_cents > 0",
        {"today": TODAY.isoformat()},
    ).fetchall()
    assert {bucket for (bucket,) in buckets} == set(BUCKETS)
    assert set(values(book, "SELECT status FROM credit_memos")) == set(MEMO_STATUSES)
    assert set(values(book, "SELECT status FROM promises")) == {"open", "kept", "partial", "broken"}
    assert set(values(book, "SELECT status FROM customers")) == set(CUSTOMER_STATUSES)
    assert set(values(book, "SELECT status FROM disputes")) == {"open", "resolved"}
    assert values(book, "SELECT count(*) FROM invoices WHERE open_cents BETWEEN 1 AND amount_cents - 1")[0] > 0


def received_in_window(db, customer, created, deadline) -> int:
    """Cash received from the account in the promise's window, in its currency, less the
    refunds of it made by the window's end: the independent reckoning of the promise rule."""
    return db.execute(
        """
        SELECT coalesce(sum(p.amount_cents - (SELECT coalesce(sum(r.amount_cents), 0) FROM payment_applications r
                                               WHERE r.payment_id = p.id AND r.kind = 'refund'
                                                 AND r.applied_date <= :end)), 0)
        FROM payments p JOIN customers c ON c.id = p.customer_id AND c.currency = p.currency
        WHERE p.customer_id = :customer AND p.received_date BETWEEN :start AND :end""",
        {"customer": customer, "start": created[:10], "end": deadline.isoformat()},
    ).fetchone()[0]


def test_promises_are_judged_as_the_promise_service_judges_them(book, tmp_path):
    # issue 11 changed the rule: a promise is judged on the cash RECEIVED from the account in
    # its window (applied or not, to whichever invoice), no longer on cash applied to the
    # promised invoices; the assertions are those of before, against the new rule
    promises = book.execute(
        "SELECT id, customer_id, amount_cents, promised_date, grace_days, status, paid_cents, created_at FROM promises"
    ).fetchall()
    per_account = {}
    for row in promises:
        per_account[row[1]] = per_account.get(row[1], 0) + 1
    for pid, customer, amount, promised, grace, status, paid, created in promises:
        deadline = min(date.fromisoformat(promised) + timedelta(days=grace), TODAY)
        received = received_in_window(book, customer, created, deadline)
        assert paid <= min(amount, received), pid  # each cent counts once, up to the promise
        if per_account[customer] == 1:  # nothing shares the account's cash
            assert paid == min(amount, received), pid
        assert status == promise_status(amount, date.fromisoformat(promised), paid, TODAY, grace), pid
    due_now = values(book, "SELECT promised_date FROM promises WHERE status = 'open'")
    assert TODAY.isoformat() in due_now and min(due_now) < TODAY.isoformat()
    # the promise service, judging every promise afresh on a copy of the book, agrees
    copy = sqlite3.connect(tmp_path / "copy.db")
    book.backup(copy)
    copy.execute("UPDATE promises SET status = 'open', paid_cents = 0, resolved_date = NULL")
    copy.commit()
    copy.close()
    judged = connect(tmp_path / "copy.db")
    settle_promises(Context(judged, "lead", fixed_clock(TODAY)))
    service = {r["id"]: (r["status"], r["paid_cents"]) for r in judged.query("SELECT * FROM promises")}
    judged.close()
    assert service == {pid: (status, paid) for pid, _, _, _, _, status, paid, _ in promises}
    assert {status for status, _ in service.values()} == {"open", "kept", "partial", "broken"}


def test_credit_memos_respect_authority(book):
    limits = dict(book.execute("SELECT id, memo_limit_cents FROM collectors"))
    coder_chart = {(r.reason_code, r.gl_code) for r in load_rules(BUNDLED_RULES)}
    memos = book.execute(
        "SELECT number, amount_cents, status, prepared_by, approved_by, reason_code, gl_code FROM credit_memos"
    ).fetchall()
    for number, amount, status, preparer, approver, reason, gl in memos:
        if approver is not None:
            check_approver(amount, preparer, approver, limits[approver])
        elif status in ("approved", "posted"):
            assert amount <= limits[preparer], number
        if status == "pending_approval":
            assert amount > limits[preparer], number
        assert (reason, gl) in coder_chart, number


def test_the_chart_of_codes_is_the_rule_coders(book):
    """The book's chart holds every reason code and GL account of the bundled rule coder's rules."""
    chart = set(book.execute("SELECT kind, code FROM chart_codes WHERE retired_at IS NULL").fetchall())
    rules = load_rules(BUNDLED_RULES)
    assert chart == {("reason", r.reason_code) for r in rules} | {("gl", r.gl_code) for r in rules}
    assert values(book, "SELECT number FROM credit_memos WHERE number != printf('CM-%06d', id)") == []


def test_plan_instalments_follow_the_cash_applied_to_the_plan(book):
    plans = book.execute("SELECT id, total_cents, status, created_at FROM payment_plans").fetchall()
    missed = 0
    for plan_id, total, status, created in plans:
        rows = book.execute(
            "SELECT due_date, amount_cents, paid_cents FROM plan_instalments WHERE plan_id = ? ORDER BY seq", [plan_id]
        ).fetchall()
        paid = values(
            book,
            """
            SELECT coalesce(sum(a.amount_cents), 0) FROM payment_applications a
            JOIN plan_invoices pi ON pi.invoice_id = a.invoice_id
            WHERE pi.plan_id = ? AND a.kind = 'apply' AND a.applied_date >= ?""",
            plan_id,
            created[:10],
        )[0]
        assert sum(r[1] for r in rows) == total
        assert [r[2] for r in rows] == allocate(paid, [r[1] for r in rows])
        assert status == ("completed" if paid >= total else "active")
        missed += any(due < TODAY.isoformat() and got < amount for due, amount, got in rows)
    assert 1 <= missed <= 2


def test_codes_come_from_the_shared_vocabularies(book):
    assert set(values(book, "SELECT kind FROM touchpoints")) == set(TOUCHPOINT_KINDS)
    assert set(values(book, "SELECT outcome_code FROM touchpoints")) <= set(OUTCOME_CODES)
    assert set(values(book, "SELECT reason FROM disputes")) <= set(DISPUTE_REASONS)
    assert set(values(book, "SELECT resolution FROM disputes WHERE status = 'resolved'")) <= set(RESOLUTIONS)
    assert set(values(book, "SELECT method FROM payments")) <= set(PAYMENT_METHODS)
    assert set(values(book, "SELECT detail FROM account_events WHERE kind = 'escalation'")) <= set(ESCALATION_KINDS)
    follow_ups = values(book, "SELECT follow_up_date FROM touchpoints WHERE follow_up_date IS NOT NULL")
    assert min(follow_ups) <= TODAY.isoformat() < max(follow_ups)


def test_people_look_real_and_stay_on_example_domains(book):
    assert values(book, "SELECT email FROM contacts WHERE email NOT LIKE '%_@%.example.com'") == []
    assert values(book, "SELECT phone FROM contacts WHERE phone NOT LIKE '%555-01__'") == []
    assert (
        values(book, "SELECT account_no FROM customers WHERE account_no NOT GLOB 'C[0-9][0-9][0-9][0-9][0-9][0-9]'")
        == []
    )
    assert (
        values(book, "SELECT number FROM invoices WHERE number NOT GLOB 'INV-[0-9][0-9][0-9][0-9][0-9][0-9][0-9]'")
        == []
    )
    collectors = dict(book.execute("SELECT id, role FROM collectors"))
    assert collectors["lead"] == "lead" and {"alice", "bob", "carol"} <= set(collectors)
    owners = values(book, "SELECT count(*) FROM customers GROUP BY owner")
    assert len(owners) >= 3 and max(owners) > min(owners)
    assert values(book, "SELECT count(*) FROM email_outbox WHERE status = 'sent'")[0] > 0
    assert values(book, "SELECT count(DISTINCT period) FROM targets WHERE collector_id IS NULL")[0] >= 3


def test_one_audit_row_records_the_generation(book):
    rows = book.execute("SELECT at, actor, action, after FROM audit").fetchall()
    assert len(rows) == 1
    at, actor, action, after = rows[0]
    assert (at, actor, action) == ("2026-11-23T09:00:00Z", "sample", "sample.generate")
    assert '"seed": 1' in after and '"invoices": 800' in after
    checked, bad, _ = audit.verify(book)
    assert (checked, bad) == (1, None)


def test_the_committed_sample_db_has_a_realistic_open_share():
    db = sqlite3.connect(REPO / "sample.db")
    share = values(db, "SELECT avg(open_cents > 0) FROM invoices")[0]
    db.close()
    assert 0.10 <= share <= 0.20


@pytest.mark.parametrize(
    "args, message",
    [
        (["--invoices", "-1"], "Error: --invoices: expected 0 to"),
        (["--today", "2026-13-01"], "Error: --today: '2026-13-01' is not a date (expected YYYY-MM-DD)"),
        (["--customers", "0"], "Error: --customers: expected 1 to"),
    ],
)
def test_bad_arguments_are_one_line_and_write_nothing(tmp_path, args, message):
    result = run_sample(tmp_path / "x.db", *SMALL, *args)
    assert result.exit_code == 1
    assert result.output.startswith(message) and result.output.count("\n") == 1, result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_does_not_exist_is_one_line(tmp_path):
    result = run_sample(tmp_path / "nowhere" / "x.db", "--customers", "5", "--invoices", "20")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {tmp_path / 'nowhere' / 'x.db'}: cannot write the database there (No such file or directory)\n"
    )


def test_an_existing_file_is_kept_unless_forced(tmp_path):
    path = tmp_path / "mine.db"
    path.write_text("precious")
    result = run_sample(path, "--customers", "5", "--invoices", "20")
    assert result.exit_code == 1
    assert result.output == f"Error: {path} already exists; choose another path or pass --force to replace it\n"
    assert path.read_text() == "precious"
    result = run_sample(path, "--customers", "5", "--invoices", "20", "--force")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.db"]
    assert values(sqlite3.connect(path), "SELECT count(*) FROM invoices") == [20]
