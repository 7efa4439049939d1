"""The KPIs' kept aggregates (schemas 14-16 and 18: sales_by_month, sales_by_day, applied_by_day,
credited_by_day, team_cash_by_day):
equal to a from-scratch GROUP BY after any sequence of actions and imports, and the KPIs read
from them (and from account_facts) equal to the sums read from the ledger as before."""

import shutil
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from arctui.sample import DEFAULT_TODAY
from arctui.services import kpis
from arctui.services.context import Context, fixed_clock
from arctui.services.imports import run_import
from arctui.store.connection import connect
from arctui.store.facts import bring_to
from arctui.store.writing import write
from tests.proof.book import TODAY, facts_mismatches, make_book
from tests.proof.collector_worker import act_at_random

REPO = Path(__file__).resolve().parents[2]

FRESH = {
    "sales_by_month": """SELECT customer_id, currency, substr(issue_date, 1, 7), sum(amount_cents) FROM invoices
        GROUP BY 1, 2, 3""",
    "sales_by_day": "SELECT currency, issue_date, sum(amount_cents) FROM invoices GROUP BY 1, 2",
    "applied_by_day": """SELECT i.customer_id, a.applied_date, sum(a.amount_cents) FROM payment_applications a
        JOIN invoices i ON i.id = a.invoice_id WHERE a.kind = 'apply' GROUP BY 1, 2""",
    "credited_by_day": """SELECT i.customer_id, i.currency, substr(m.posted_at, 1, 10), sum(m.amount_cents)
        FROM credit_memos m JOIN invoices i ON i.id = m.invoice_id
        WHERE m.status = 'posted' AND m.posted_at IS NOT NULL GROUP BY 1, 2, 3""",
    "team_cash_by_day": """SELECT 'applied', i.currency, a.applied_date, sum(a.amount_cents) FROM payment_applications a
        JOIN invoices i ON i.id = a.invoice_id WHERE a.kind = 'apply' GROUP BY 2, 3
        UNION ALL SELECT 'credited', i.currency, substr(m.posted_at, 1, 10), sum(m.amount_cents)
        FROM credit_memos m JOIN invoices i ON i.id = m.invoice_id
        WHERE m.status = 'posted' AND m.posted_at IS NOT NULL GROUP BY 2, 3""",
}


def aggregate_mismatches(db) -> dict[str, set]:
    """Per table, the rows (zero sums left out) the kept table and the from-scratch GROUP BY
    do not share."""
    found = {}
    for table, fresh in FRESH.items():
        kept = {tuple(r) for r in db.execute(f"SELECT * FROM {table}") if r[-1] != 0}
        computed = {tuple(r) for r in db.execute(fresh) if r[-1] != 0}
        if kept != computed:
            found[table] = kept ^ computed
    return found


def copy_of(db, path):
    """A copy of the book ``db`` as it is now, its WAL included, open."""
    copy = sqlite3.connect(path)
    db.conn.backup(copy)
    copy.close()
    return connect(path)


@pytest.fixture(scope="module")
def worked_book(tmp_path_factory):
    """A generated book after two days of random collectors' actions and imports."""
    tmp_path = tmp_path_factory.mktemp("kpi")
    db = connect(make_book(tmp_path / "book.db", collectors=3, customers=12))
    for offset, seed in ((0, 1), (35, 2)):
        act_at_random(db, TODAY + timedelta(days=offset), seed, 150, tmp_path)
    return db, tmp_path, TODAY + timedelta(days=35)


def test_random_actions_and_imports_leave_the_aggregates_equal_to_a_fresh_group_by(worked_book):
    db, _, _ = worked_book
    assert db.execute("SELECT count(*) FROM invoices WHERE number LIKE 'WX-%'").fetchone()[0] > 0  # imports ran
    assert db.execute("SELECT count(*) FROM applied_by_day").fetchone()[0] > 0
    assert db.execute("SELECT count(*) FROM credited_by_day").fetchone()[0] > 0  # memos were posted
    assert aggregate_mismatches(db) == {}


def test_an_import_updating_invoices_keeps_the_months_of_both_accounts(worked_book):
    db, tmp_path, day = worked_book
    moved, other = db.execute(
        "SELECT number, account_no FROM invoices i JOIN customers c ON c.id <> i.customer_id"
        " WHERE i.number LIKE 'WX-%' ORDER BY i.id LIMIT 1"
    ).fetchone()
    path = tmp_path / "update.csv"
    path.write_text(
        "number,account_no,issue_date,due_date,amount\n"
        f"{moved},{other},2026-08-15,2026-09-14,777.01\n"
        "WX-NEW-1,A0001,2026-12-01,2026-12-31,10.00\n"
    )
    lead = Context(db, "lead", fixed_clock(day))
    report = run_import(lead, lead.plugins.collect("importers")["invoices"], path)
    assert report.written and report.updated == 1 and report.inserted == 1
    assert db.execute("SELECT kept FROM sales_by_month_state").fetchone()[0] == 1
    assert aggregate_mismatches(db) == {}


def test_a_write_the_triggers_miss_is_caught_by_the_comparison(tmp_path):
    db = connect(make_book(tmp_path / "book.db", collectors=2, customers=4))
    with write(db):
        db.execute("DROP TRIGGER sales_invoices_update")
        db.execute("UPDATE invoices SET amount_cents = amount_cents + 1 WHERE id = 1")
    assert set(aggregate_mismatches(db)) == {"sales_by_month", "sales_by_day"}


def test_an_application_the_team_triggers_miss_is_caught_by_the_comparison(worked_book, tmp_path):
    db = copy_of(worked_book[0], tmp_path / "book.db")
    with write(db):
        db.execute("DROP TRIGGER team_cash_applied_update")
        db.execute("UPDATE payment_applications SET applied_date = '2026-01-07' WHERE kind = 'apply'")
    assert set(aggregate_mismatches(db)) == {"team_cash_by_day"}


def test_a_memo_posting_the_triggers_miss_is_caught_by_the_comparison(worked_book, tmp_path):
    db = copy_of(worked_book[0], tmp_path / "book.db")
    assert aggregate_mismatches(db) == {}
    with write(db):
        db.execute("DROP TRIGGER credited_update")
        db.execute("UPDATE credit_memos SET posted_at = '2026-01-05T09:00:00' WHERE status = 'posted'")
    assert set(aggregate_mismatches(db)) == {"credited_by_day", "team_cash_by_day"}


def test_memos_reposted_unposted_deleted_or_moved_with_their_invoice_keep_the_credited_days(worked_book):
    db, _, _ = worked_book
    repost_unpost_delete_and_move_memos(db)


def repost_unpost_delete_and_move_memos(db):
    posted = db.execute("SELECT id, invoice_id FROM credit_memos WHERE status = 'posted' ORDER BY id").fetchall()
    assert len(posted) >= 2
    (first, invoice), (second, _) = posted[0], posted[1]
    with write(db):
        db.execute(
            "UPDATE credit_memos SET posted_at = '2026-02-03T10:00:00', amount_cents = amount_cents + 5 WHERE id = ?",
            [first],
        )
        db.execute("UPDATE invoices SET customer_id = customer_id % 12 + 1, currency = 'EUR' WHERE id = ?", [invoice])
        db.execute("UPDATE credit_memos SET status = 'approved' WHERE id = ?", [second])
    assert aggregate_mismatches(db) == {}
    with write(db):
        db.execute("UPDATE credit_memos SET status = 'posted' WHERE id = ?", [second])
        db.execute("DELETE FROM disputes WHERE credit_memo_id = ?", [first])
        db.execute("DELETE FROM credit_memos WHERE id = ?", [first])
        db.execute("UPDATE invoices SET currency = 'USD' WHERE id = ?", [invoice])
    assert aggregate_mismatches(db) == {}


def test_moving_or_deleting_an_invoice_keeps_the_aggregates(worked_book):
    db, _, _ = worked_book
    move_an_invoice_and_delete_an_application(db)


def move_an_invoice_and_delete_an_application(db):
    paid = db.execute("SELECT invoice_id FROM payment_applications WHERE kind = 'apply' LIMIT 1").fetchone()[0]
    with write(db):
        db.execute("UPDATE invoices SET customer_id = customer_id % 12 + 1, currency = 'EUR' WHERE id = ?", [paid])
        db.execute(
            "DELETE FROM payment_applications WHERE rowid = (SELECT max(rowid) FROM payment_applications"
            " WHERE invoice_id = ?)",
            [paid],
        )
        db.execute("UPDATE payment_applications SET applied_date = '2026-01-02' WHERE invoice_id = ?", [paid])
    assert aggregate_mismatches(db) == {}
    with write(db):  # an account holds one currency (the KPIs below rely on it): back to the account's
        db.execute("UPDATE invoices SET currency = 'USD' WHERE id = ?", [paid])
    assert aggregate_mismatches(db) == {}


def test_on_either_backend_the_aggregates_and_the_kept_facts_follow_actions_imports_and_edits(book_target, tmp_path):
    """The checks above on a fresh book of each backend: PostgreSQL keeps the aggregates and the
    queue's facts (its score a generated column too) by its own triggers."""
    db = connect(make_book(book_target, collectors=3, customers=12))
    for offset, seed in ((0, 1), (35, 2)):
        act_at_random(db, TODAY + timedelta(days=offset), seed, 100, tmp_path)
    assert db.execute("SELECT count(*) FROM invoices WHERE number LIKE 'WX-%'").fetchone()[0] > 0  # imports ran
    assert db.execute("SELECT count(*) FROM credited_by_day").fetchone()[0] > 0  # memos were posted
    assert aggregate_mismatches(db) == {}
    assert facts_mismatches(db) == []
    # fresh statistics change PostgreSQL's plans: the latest of a day's touchpoints (one fixed clock)
    # and the first of two promises due the same day are still the rows the triggers kept
    db.execute("ANALYZE")
    assert facts_mismatches(db) == []
    repost_unpost_delete_and_move_memos(db)
    move_an_invoice_and_delete_an_application(db)
    assert facts_mismatches(db) == []


# the sums the KPIs were read from before the aggregates: straight from the ledger
def _owner(collector):
    return "c.owner = :collector" if collector else "1"


def ledger_sums(db, today: date, collector, currency) -> kpis.Sums:
    p = {"collector": collector, "currency": currency, "today": today.isoformat()}

    def one(sql, **days):
        return db.execute(sql, {**p, **{k: d.isoformat() for k, d in days.items()}}).fetchone()[0] or 0

    def sales(start, end):
        return one(
            f"""SELECT sum(i.amount_cents) FROM customers c JOIN invoices i ON i.customer_id = c.id
            WHERE {_owner(collector)} AND i.currency = :currency AND i.issue_date BETWEEN :start AND :end""",
            start=start,
            end=end,
        )

    open_ = f"""FROM customers c JOIN invoices i ON i.customer_id = c.id AND i.open_cents <> 0
        WHERE {_owner(collector)} AND i.currency = :currency"""
    total = one(f"SELECT sum(i.open_cents) {open_}")
    current = one(f"SELECT sum(CASE WHEN i.due_date >= :today THEN i.open_cents END) {open_}")
    cei_start = today - timedelta(days=kpis.CEI_PERIOD_DAYS)
    applied = one(
        f"""SELECT sum(a.amount_cents) FROM payment_applications a JOIN invoices i ON i.id = a.invoice_id
        JOIN customers c ON c.id = i.customer_id WHERE a.kind = 'apply' AND a.applied_date > :day
        AND a.applied_date <= :today AND {_owner(collector)} AND i.currency = :currency""",
        day=cei_start,
    )
    credited = one(
        f"""SELECT sum(m.amount_cents) FROM credit_memos m JOIN invoices i ON i.id = m.invoice_id
        JOIN customers c ON c.id = i.customer_id WHERE m.status = 'posted' AND substr(m.posted_at, 1, 10) > :day
        AND substr(m.posted_at, 1, 10) <= :today AND {_owner(collector)} AND i.currency = :currency""",
        day=cei_start,
    )
    months, end = [], today
    for _ in range(kpis.DSO_MONTHS):
        start = end.replace(day=1)
        months.append(((end - start).days + 1, sales(start, end)))
        end = start - timedelta(days=1)
    cei_sales = sales(cei_start + timedelta(days=1), today)
    return kpis.Sums(
        total,
        current,
        tuple(months),
        total - cei_sales + applied + credited,
        cei_sales,
        sales(today - timedelta(days=kpis.BPDSO_PERIOD_DAYS - 1), today),
    )


def ledger_contact_days(db, today: date, collector) -> list[float]:
    return [
        r[0]
        for r in db.execute(
            f"""SELECT julianday(:today) - julianday(substr(max(t.at), 1, 10)) FROM customers c
            JOIN touchpoints t ON t.customer_id = c.id WHERE {_owner(collector)} AND EXISTS (
              SELECT 1 FROM invoices i WHERE i.customer_id = c.id AND i.open_cents <> 0 AND i.due_date < :today)
            GROUP BY c.id""",
            {"collector": collector, "today": today.isoformat()},
        )
    ]


def assert_kpis_read_as_from_the_ledger(db, today: date):
    bring_to(db, today)
    for collector in [
        None,
        *(r[0] for r in db.execute("SELECT DISTINCT owner FROM customers WHERE owner IS NOT NULL")),
    ]:
        codes = kpis.read.currencies(db, today, collector)
        assert codes, collector
        for code in codes:
            assert kpis.sums(db, today, collector, code) == ledger_sums(db, today, collector, code), (collector, code)
        days, contacts = (
            ledger_contact_days(db, today, collector),
            kpis.read.days_since_contact_past_due(db, today, collector),
        )
        assert (sum(d for d, _ in contacts.values()), sum(n for _, n in contacts.values())) == (sum(days), len(days))


def test_kpis_of_the_sample_book_read_as_from_the_ledger(tmp_path):
    shutil.copy(REPO / "sample.db", tmp_path / "sample.db")
    db = connect(tmp_path / "sample.db", upgrade=True)
    for today in (DEFAULT_TODAY, DEFAULT_TODAY - timedelta(days=47)):
        assert_kpis_read_as_from_the_ledger(db, today)


def test_kpis_of_a_worked_book_read_as_from_the_ledger(worked_book):
    db, _, day = worked_book
    assert_kpis_read_as_from_the_ledger(db, day)


def test_the_currencies_billed_are_those_of_an_invoice_open_or_issued_in_the_year(book_target):
    """Per currency, one account with an invoice open now or issued in the year to today is
    enough; an account paid up since more than a year, or never invoiced, bills in none."""
    db = connect(make_book(book_target, collectors=2, customers=2))  # USD, open, owned by w01 and w02
    db["customers"].insert_all(
        {"id": n, "account_no": f"X{n}", "name": f"X{n}", "currency": code, "owner": owner}
        for n, code, owner in ((11, "EUR", "w01"), (12, "GBP", "w01"), (13, "JPY", "w01"), (14, "CHF", "w02"))
    )
    year_ago, two_months_ago = TODAY - timedelta(days=365), TODAY - timedelta(days=60)
    with write(db):
        db["invoices"].insert_all(
            {
                "customer_id": customer,
                "number": f"X-{customer}",
                "issue_date": issued.isoformat(),
                "due_date": (issued + timedelta(days=30)).isoformat(),
                "currency": currency,
                "amount_cents": 10_000,
                "open_cents": open_cents,
            }
            for customer, currency, issued, open_cents in (
                (11, "EUR", two_months_ago, 0),  # paid, issued in the year
                (12, "GBP", year_ago, 0),  # paid, issued a year ago to the day: not in the year
                (14, "CHF", year_ago - timedelta(days=400), 10_000),  # open since long ago
            )
        )
    assert kpis.read.currencies(db, TODAY, "w01") == ["EUR", "USD"]
    assert kpis.read.currencies(db, TODAY, "w02") == ["CHF", "USD"]
    assert kpis.read.currencies(db, TODAY, None) == ["CHF", "EUR", "USD"]
