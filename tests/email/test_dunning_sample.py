"""The dunning run over a generated sample book: the rules hold for every account."""

import pytest

from arctui.sample import SampleSpec, generate
from arctui.services.context import Context, fixed_clock
from arctui.services.disputes import open_dispute
from arctui.services.dunning import run_dunning
from arctui.services.email import open_transport
from arctui.store.connection import connect
from arctui.store.read.disputes import undisputed_cents
from tests.email.conftest import TODAY

BLOCKERS = {
    # a disputed invoice leaves the reminders; an account is held back when all it owes past due is disputed
    "all disputed": "SELECT customer_id FROM invoices i WHERE open_cents > 0 AND due_date < :today"
    " GROUP BY customer_id HAVING min(EXISTS (SELECT 1 FROM disputes d"
    " WHERE d.invoice_id = i.id AND d.status = 'open')) = 1",
    "promised": "SELECT customer_id FROM promises WHERE status = 'open'"
    " AND date(promised_date, '+' || grace_days || ' days') >= :today",
    "outside": "SELECT id FROM customers WHERE status = 'outside_collections'",
    "on a current plan": "SELECT customer_id FROM payment_plans p WHERE status = 'active' AND NOT"
    " EXISTS (SELECT 1 FROM plan_instalments i WHERE i.plan_id = p.id"
    " AND i.due_date < :today AND i.paid_cents < i.amount_cents)",
}


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory, plugin_host):
    folder = tmp_path_factory.mktemp("sample")
    generate(folder / "book.db", SampleSpec(customers=150, invoices=3000, seed=11, today=TODAY))
    db = connect(folder / "book.db")
    ctx = Context(db, "lead", fixed_clock(TODAY), plugins=plugin_host)  # no settings: the defaults
    transport = open_transport(ctx, "file", {"from_addr": "ar@arctui.test", "outbox_dir": folder / "sent"})
    _dispute_all_past_due(ctx, accounts=3)
    before = _counts(db)
    first = run_dunning(ctx, transport)
    after_first = _counts(db)
    second = run_dunning(ctx, transport)
    yield db, folder, first, second, (before, after_first, _counts(db))
    db.close()


def test_no_account_that_must_wait_is_sent_anything(sample_run):
    db, _, first, *_ = sample_run
    sent = {i.customer_id for i in first if i.outcome == "sent"}
    assert len(sent) > 20
    for name, sql in BLOCKERS.items():
        blocked = {row[0] for row in db.execute(sql, {"today": TODAY.isoformat()})}
        assert blocked, f"the sample book has no {name} accounts to test with"
        assert not sent & blocked, f"{name} accounts were sent a reminder"


def test_an_account_with_a_disputed_invoice_is_still_reminded_of_the_others(sample_run):
    db, _, first, *_ = sample_run
    sent = {i.customer_id for i in first if i.outcome == "sent"}
    disputed = {row[0] for row in db.execute("SELECT customer_id FROM disputes WHERE status = 'open'")}
    assert sent & disputed


def _dispute_all_past_due(ctx, accounts: int) -> None:
    """Dispute every past-due invoice of a few accounts that owe past due and have no open dispute yet."""
    chosen = ctx.db.execute(
        "SELECT customer_id FROM invoices WHERE open_cents > 0 AND due_date < ? AND customer_id NOT IN"
        " (SELECT customer_id FROM disputes WHERE status = 'open') GROUP BY customer_id ORDER BY customer_id LIMIT ?",
        [TODAY.isoformat(), accounts],
    ).fetchall()
    for (customer_id,) in chosen:
        for (invoice_id,) in ctx.db.execute(
            "SELECT id FROM invoices WHERE customer_id = ? AND open_cents > 0 AND due_date < ?",
            [customer_id, TODAY.isoformat()],
        ).fetchall():
            open_dispute(ctx, invoice_id, undisputed_cents(ctx.db, invoice_id), "pricing")


def test_every_send_is_one_file_one_sent_row_one_touchpoint(sample_run):
    _, folder, first, second, (before, after_first, after_second) = sample_run
    sent = len([i for i in first if i.outcome == "sent"])
    assert len(list((folder / "sent").glob("*.eml"))) == sent
    assert after_first == (before[0] + sent, before[1] + sent, before[2] + sent)
    assert [i for i in second if i.decision.step] == [] and after_second == after_first


def _counts(db) -> tuple:
    """Outbox rows, sent rows, email touchpoints."""
    return db.execute(
        "SELECT (SELECT count(*) FROM email_outbox),"
        " (SELECT count(*) FROM email_outbox WHERE status = 'sent'),"
        " (SELECT count(*) FROM touchpoints WHERE outcome_code = 'EMS')"
    ).fetchone()
