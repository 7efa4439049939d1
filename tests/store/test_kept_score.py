"""The queue's score kept in account_facts (schema 17): the SQL frozen in the schema is the
rule table's, a top 200 is read off the queue indexes, and the kept score follows every
input that is not an account's ledger (its owner, name and limit, its collector's cadence,
the day's rates) inside the write or, for the rates, on the next read."""

import re
from datetime import timedelta

import pytest

from arctui.domain.score import score_sql
from arctui.sample import DEFAULT_TODAY, SampleSpec, generate
from arctui.services.queue import build_queue
from arctui.store.connection import connect
from arctui.store.facts import bring_to, holds
from arctui.store.read.queue import kept_units, ranked_queue_sql
from arctui.store.writing import write
from tests.proof.book import facts_mismatches
from tests.services.test_queue_ranked_in_sql import assert_same_rankings

QUEUED = "oldest_days IS NOT NULL OR promise_date IS NOT NULL OR missed_cents IS NOT NULL"


@pytest.fixture
def db(tmp_path):
    generate(tmp_path / "book.db", SampleSpec(customers=160, invoices=2_400, seed=3, collectors=3))
    book = connect(tmp_path / "book.db")
    bring_to(book, DEFAULT_TODAY)
    return book


def kept_scores(db) -> dict[int, float]:
    return dict(db.execute("SELECT customer_id, score FROM account_facts WHERE score IS NOT NULL").fetchall())


def test_the_score_frozen_in_the_schema_is_the_rule_tables(db):
    """When a rule's SQL changes, this fails: a new migration must re-create the column."""
    table = db.execute("SELECT sql FROM sqlite_master WHERE name = 'account_facts'").fetchone()[0]
    frozen = re.search(r"score REAL GENERATED ALWAYS AS \((.*)\) STORED", table, re.DOTALL).group(1)
    assert " ".join(frozen.split()) == f"CASE WHEN {QUEUED} THEN {score_sql(today='day')} END"


@pytest.mark.parametrize("collector, index", [(True, "account_facts_owner_queue"), (False, "account_facts_team_queue")])
def test_a_top_200_is_read_off_the_queue_index_without_sorting(db, collector, index):
    params = {"collector": "c01", "limit": 200} if collector else {"limit": 200}
    plan = " | ".join(r[3] for r in db.execute(f"EXPLAIN QUERY PLAN {ranked_queue_sql(collector)}", params))
    assert f"USING INDEX {index}" in plan and "TEMP B-TREE" not in plan, plan


def test_an_account_moved_to_another_collector_leaves_one_queue_for_the_other_in_the_same_write(db):
    moved, old = db.execute("SELECT id, owner FROM customers WHERE id IN (SELECT customer_id FROM account_facts"
                            " WHERE score > 0) ORDER BY id LIMIT 1").fetchone()  # fmt: skip
    new = db.execute("SELECT id FROM collectors WHERE id <> ? AND role = 'collector' LIMIT 1", [old]).fetchone()[0]
    with write(db):
        db.execute("UPDATE customers SET owner = ?, name = 'Renamed Ltd', credit_limit_cents = 1 WHERE id = ?",
                   [new, moved])  # fmt: skip
    assert facts_mismatches(db) == []
    assert moved not in [row.customer_id for row in build_queue(db, DEFAULT_TODAY, old)]
    row = next(row for row in build_queue(db, DEFAULT_TODAY, new) if row.customer_id == moved)
    assert row.name == "Renamed Ltd" and "over_limit" in {c.name for c in row.score.components}


def test_a_collectors_new_cadence_rescores_their_accounts_in_the_same_write(db):
    (collector,) = db.execute(
        "SELECT owner FROM account_facts WHERE days_since_contact BETWEEN 15 AND 40 AND score IS NOT NULL"
        " GROUP BY owner ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    before = kept_scores(db)
    with write(db):
        db.execute("UPDATE collectors SET cadence_days = 60 WHERE id = ?", [collector])
    after = kept_scores(db)
    lowered = [c for c in after if after[c] < before[c]]
    owners = {db.execute("SELECT owner FROM customers WHERE id = ?", [c]).fetchone()[0] for c in lowered}
    assert lowered and owners == {collector}
    assert facts_mismatches(db) == []
    assert_same_rankings(db, DEFAULT_TODAY)


def test_saving_a_collector_with_the_same_cadence_refreshes_none_of_their_accounts(db):
    collector, accounts = db.execute("SELECT owner, count(*) FROM customers GROUP BY owner LIMIT 1").fetchone()
    with write(db):
        changes = db.conn.total_changes
        db.execute("UPDATE collectors SET name = 'Renamed', cadence_days = cadence_days WHERE id = ?", [collector])
        assert db.conn.total_changes - changes < accounts / 2  # the row and its audit, not the accounts


def test_a_rates_import_rescores_the_accounts_of_the_currency_it_converts_on_the_next_read(db):
    with write(db):
        db.execute("UPDATE customers SET currency = 'JPY' WHERE id % 3 = 0")
        db.execute("UPDATE invoices SET currency = 'JPY' WHERE customer_id % 3 = 0")
    build_queue(db, DEFAULT_TODAY)  # yen weighed in yen: no rate yet
    assert holds(db, DEFAULT_TODAY) and kept_units(db) == {"JPY": 1.0, "USD": 100.0}
    with write(db):
        db.execute("INSERT INTO fx_rates (base, currency, day, rate) VALUES ('USD', 'JPY', ?, '150')",
                   [(DEFAULT_TODAY - timedelta(days=1)).isoformat()])  # fmt: skip
    assert not holds(db, DEFAULT_TODAY)
    build_queue(db, DEFAULT_TODAY)
    assert holds(db, DEFAULT_TODAY) and kept_units(db) == {"JPY": 150.0, "USD": 100.0}
    assert facts_mismatches(db) == []
    assert_same_rankings(db, DEFAULT_TODAY)


def test_an_account_in_a_currency_the_day_had_no_unit_for_is_scored_on_the_next_read(db):
    (owing,) = db.execute("SELECT customer_id FROM account_facts ORDER BY past_due_cents DESC LIMIT 1").fetchone()
    with write(db):
        db.execute("UPDATE customers SET currency = 'EUR' WHERE id = ?", [owing])
        db.execute("UPDATE invoices SET currency = 'EUR' WHERE customer_id = ?", [owing])
    assert db.execute("SELECT unit, score FROM account_facts WHERE customer_id = ?", [owing]).fetchone() == (None, None)
    assert not holds(db, DEFAULT_TODAY)
    ranked = {row.customer_id: row for row in build_queue(db, DEFAULT_TODAY)}
    assert ranked[owing].currency == "EUR" and "past_due" in {c.name for c in ranked[owing].score.components}
    assert kept_units(db) == {"EUR": 100.0, "USD": 100.0}
    assert facts_mismatches(db) == []
