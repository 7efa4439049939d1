"""The queue ranked in SQL over account_facts gives today's ranking: every account scored in
Python from the facts query, sorted by score, past due and name; the same totals too."""

import math
import shutil
from datetime import timedelta

import pytest

from arctui.domain.score import AGE_WEIGHTS, score_account, tenths
from arctui.sample import DEFAULT_TODAY, SampleSpec, generate
from arctui.services.queue import _facts, build_queue
from arctui.store.connection import connect
from arctui.store.read.accounts import account_facts
from arctui.store.read.queue import ranked_queue
from arctui.store.read.rates import book_units
from tests.test_sample import REPO


def python_ranking(db, today, collector):
    scored, units = [], book_units(db, today)
    for r in account_facts(db, today, collector):
        facts = _facts(r, today, units.get(r["currency"]))
        score = score_account(facts, today, r["currency"])
        scored.append((-score.total, -facts.past_due_cents, r["name"], r["id"]))
    return [(customer_id, -total) for total, _, _, customer_id in sorted(scored)]


def sql_ranking(db, today, collector):
    return [(row.customer_id, row.score.total) for row in build_queue(db, today, collector)]


def assert_same_rankings(db, today):
    collectors = [row[0] for row in db.execute("SELECT DISTINCT owner FROM customers WHERE owner IS NOT NULL")]
    for collector in [*collectors, None]:
        ranked = sql_ranking(db, today, collector)
        assert len(ranked) > 10
        assert ranked == python_ranking(db, today, collector), collector
        sql_scores = [row["score"] for row in ranked_queue(db, collector, None)]
        assert sql_scores == [total for _, total in ranked]  # SQL's total is Python's, to the tenth


@pytest.mark.parametrize("days_later", [0, 19])
def test_the_sample_book_ranks_as_the_python_score_ranks_it(tmp_path, days_later):
    shutil.copy(REPO / "sample.db", tmp_path / "sample.db")
    db = connect(tmp_path / "sample.db", upgrade=True)
    assert_same_rankings(db, DEFAULT_TODAY + timedelta(days=days_later))


def test_a_generated_book_ranks_as_the_python_score_ranks_it(tmp_path):
    generate(tmp_path / "book.db", SampleSpec(customers=600, invoices=12_000, seed=11, collectors=4))
    db = connect(tmp_path / "book.db")
    assert_same_rankings(db, DEFAULT_TODAY)
    limited = build_queue(db, DEFAULT_TODAY, None, limit=25)
    assert [row.customer_id for row in limited] == [c for c, _ in python_ranking(db, DEFAULT_TODAY, None)[:25]]


def test_past_due_in_another_currency_is_weighed_in_the_book_currency(tmp_path):
    """Yen accounts beside dollar ones: without a rate their past due counts in yen (their
    major units), with the day's rate in dollars, 150 yen each; SQL and Python agree."""
    generate(tmp_path / "book.db", SampleSpec(customers=200, invoices=3_000, seed=5, collectors=2))
    db = connect(tmp_path / "book.db")
    yen = [r[0] for r in db.execute("SELECT id FROM customers WHERE id % 4 = 0")]
    with db.conn:
        for table, key in (("customers", "id"), ("invoices", "customer_id")):
            db.execute(f"UPDATE {table} SET currency = 'JPY' WHERE {key} % 4 = 0")
    before = {row.customer_id: row for row in build_queue(db, DEFAULT_TODAY)}
    with db.conn:
        db.execute(
            "INSERT INTO fx_rates (base, currency, day, rate) VALUES ('USD', 'JPY', ?, '150')",
            [DEFAULT_TODAY.isoformat()],
        )
    assert book_units(db, DEFAULT_TODAY) == {"JPY": 150.0, "USD": 100.0}
    after = {row.customer_id: row for row in build_queue(db, DEFAULT_TODAY)}
    moved = [i for i in yen if i in after and after[i].past_due_cents > 0]
    assert len(moved) > 10
    for i in moved:
        points = {c.name: c.points for c in after[i].score.components}["past_due"]
        weighted = sum(w * after[i].buckets[b] for b, w in AGE_WEIGHTS.items())
        assert points == tenths(20 * math.log10(1 + weighted / 150 / 1000))
        assert after[i].score.total < before[i].score.total  # yen read as dollars ranked it too high
    assert_same_rankings(db, DEFAULT_TODAY)
