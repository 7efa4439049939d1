"""The scripting calls ``arctui.api.report`` and ``arctui.api.kpis`` on real books: the book
of conftest.py (figures worked out by hand) and a book ``arctui.sample`` generates."""

import csv
import sqlite3
from datetime import date

import pytest

from arctui import api
from arctui.config import Settings
from arctui.sample import SampleSpec, generate
from tests.reports.conftest import PLUGINS, TODAY

USD = lambda cents: api.Money(cents, "USD")  # noqa: E731
EUR = lambda cents: api.Money(cents, "EUR")  # noqa: E731
SAMPLE_TODAY = date(2026, 11, 23)


@pytest.fixture
def book(book_path):
    opened = api.open_book(book_path, user="lead", today=TODAY, settings=Settings(), plugins=PLUGINS)
    yield opened
    opened.db.close()


@pytest.fixture(scope="module")
def sample_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    generate(path, SampleSpec(customers=40, invoices=600, seed=3, today=SAMPLE_TODAY))
    return path


@pytest.fixture
def sample(sample_path):
    opened = api.open_book(sample_path, user="sample-script", today=SAMPLE_TODAY, settings=Settings(), plugins=PLUGINS)
    yield opened
    opened.db.close()


def test_kpis_of_the_team_and_of_one_collector_per_currency(book):
    team = api.kpis(book, currency="USD")
    assert team["total_ar_cents"] == 7_610_000  # the dollar invoices: C006's EUR 25,000 is never added in
    assert team["past_due_cents"] == 7_060_000  # all but INV-1003 and INV-5001
    assert team["percent_current"] == pytest.approx(550_000 / 7_610_000 * 100)
    assert team["promises_resolved"] == 2 and team["promise_kept_rate"] == pytest.approx(50.0)
    bob = api.kpis(book, "bob", currency="USD")
    assert bob["total_ar_cents"] == 1_400_000
    assert bob["current_ar_cents"] == 300_000  # INV-5001, due today
    assert bob["promise_kept_rate"] == pytest.approx(100.0)
    assert api.kpis(book, "bob", currency="EUR")["total_ar_cents"] == 2_500_000
    assert list(api.kpis_by_currency(book.db, TODAY, "bob")) == ["EUR", "USD"]


def test_kpis_across_currencies_need_a_rate(book):
    with pytest.raises(api.NoRate, match="the KPIs in USD need a EUR rate on or shortly before 2026-11-23"):
        api.kpis(book)


def test_report_returns_the_result(book):
    result = api.report(book, "aging", collector="bob")
    assert isinstance(result, api.ReportResult) and result.as_of == TODAY
    assert [row["account"] for row in result.rows] == ["C003", "C005", "C006"]
    assert [t["total"] for t in result.totals] == [USD(1_400_000), EUR(2_500_000)]


def test_report_writes_a_file_in_the_format_its_name_says(book, tmp_path):
    out = tmp_path / "over.csv"
    result = api.report(book, "over-10k-60", out=out)
    with open(out, newline="", encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    assert [r[2] for r in rows[1:4]] == ["C001", "C006", "C003"] == [r["account"] for r in result.rows]
    assert [r[0] for r in rows[4:]] == ["Total USD", "Total EUR"]


def test_report_in_a_format_alone_goes_to_standard_output(book, capsys):
    api.report(book, "disputes", fmt="MD", today=date(2026, 11, 23))
    assert capsys.readouterr().out.startswith("# Disputes by reason\n\nAs of 2026-11-23\n")


def test_report_refusals_are_service_errors(book, tmp_path):
    with pytest.raises(api.NotFound, match="unknown report 'ageing'; known reports: aging, cadence"):
        api.report(book, "ageing")
    with pytest.raises(api.NotFound, match="collector zed not found"):
        api.report(book, "aging", collector="zed", out=tmp_path / "zed.csv")
    with pytest.raises(api.InvalidInput, match="unknown format 'pdf'"):
        api.report(book, "aging", fmt="pdf")
    assert list(tmp_path.iterdir()) == []


def test_on_a_sample_book_the_aging_and_kpis_add_up_to_the_ledger(sample, sample_path):
    ledger = sqlite3.connect(sample_path)
    open_by_currency = dict(
        ledger.execute("SELECT currency, sum(open_cents) FROM invoices WHERE open_cents <> 0 GROUP BY currency")
    )
    past_due = ledger.execute(
        "SELECT sum(open_cents) FROM invoices WHERE open_cents <> 0 AND due_date < ?", [SAMPLE_TODAY.isoformat()]
    ).fetchone()[0]
    accounts = ledger.execute("SELECT count(DISTINCT customer_id) FROM invoices WHERE open_cents <> 0").fetchone()[0]
    ledger.close()
    assert sum(open_by_currency.values()) > 0 and past_due > 0

    aging = api.report(sample, "aging")
    assert len(aging.rows) == accounts
    assert {t["total"].currency: t["total"].cents for t in aging.totals} == open_by_currency
    team = api.kpis(sample)
    assert team["total_ar_cents"] == sum(open_by_currency.values())
    assert team["past_due_cents"] == past_due
    assert team["dso"] > 0 and 0 <= team["percent_current"] <= 100

    # the kpi report's team line is these KPIs, and each collector's line is theirs
    kpi = api.report(sample, "kpi")
    assert kpi.totals[0]["total_ar"].cents == team["total_ar_cents"]
    names = api.collector_names(sample.db)
    by_name = {row["collector"]: row for row in kpi.rows}
    for owner in api.owners(sample.db):
        assert by_name[names.get(owner, owner)]["total_ar"].cents == api.kpis(sample, owner)["total_ar_cents"]
