"""The dunning run over a generated sample book: the rules hold for every account."""

import pytest

from arctui.sample import SampleSpec, generate
from arctui.services.context import Context, fixed_clock
from arctui.services.dunning import run_dunning
from arctui.services.email import open_transport
from arctui.store.connection import connect
from tests.email.conftest import TODAY

BLOCKERS = {
    "disputed": "SELECT customer_id FROM disputes WHERE status = 'open'",
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
