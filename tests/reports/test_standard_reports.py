"""The bundled reports against the book of conftest.py, figures worked out by hand."""

from datetime import date

import pytest

from arctui.services.kpis import compute_kpis
from arctui.services.reports import Money, available_reports, get_report
from tests.reports.conftest import FORMULA, PLUGINS, SCRIPT, TODAY

USD = lambda cents: Money(cents, "USD")  # noqa: E731
EUR = lambda cents: Money(cents, "EUR")  # noqa: E731


def run(db, name, **params):
    return get_report(PLUGINS, name).run(db, TODAY, **params)


def pick(rows, *keys):
    return [tuple(row.get(k) for k in keys) for row in rows]


def test_every_named_report_is_registered_by_the_plugin():
    assert set(available_reports(PLUGINS)) >= {
        "aging",
        "over-10k-60",
        "cadence",
        "promises",
        "disputes",
        "credit-memos",
        "cash-vs-target",
        "kpi",
    }


def test_aging_by_account_and_bucket_with_totals_per_currency(book):
    result = run(book, "aging")
    buckets = ("account", "current", "1-30", "31-60", "61-90", "90+", "total")
    assert pick(result.rows, *buckets) == [
        ("C001", USD(250_000), USD(0), USD(300_000), USD(0), USD(1_500_000), USD(2_050_000)),
        ("C002", USD(0), USD(1_160_000), USD(2_000_000), USD(0), USD(0), USD(3_160_000)),
        ("C003", USD(0), USD(0), USD(0), USD(900_000), USD(150_000), USD(1_050_000)),
        ("C004", USD(0), USD(0), USD(0), USD(1_000_000), USD(0), USD(1_000_000)),
        ("C005", USD(300_000), USD(50_000), USD(0), USD(0), USD(0), USD(350_000)),
        ("C006", EUR(0), EUR(0), EUR(0), EUR(0), EUR(2_500_000), EUR(2_500_000)),
    ]
    assert pick(result.totals, *buckets) == [
        ("Total USD", USD(550_000), USD(1_210_000), USD(2_300_000), USD(1_900_000), USD(1_650_000), USD(7_610_000)),
        ("Total EUR", EUR(0), EUR(0), EUR(0), EUR(0), EUR(2_500_000), EUR(2_500_000)),
    ]
    assert pick(result.rows, "collector", "region")[:2] == [("Alice Archer", "NA-East"), ("Alice Archer", "EMEA")]


def test_aging_for_one_collector(book):
    result = run(book, "aging", collector="bob")
    assert [row["account"] for row in result.rows] == ["C003", "C005", "C006"]
    assert [t["total"] for t in result.totals] == [USD(1_400_000), EUR(2_500_000)]


def test_over_10k_60_lists_exactly_the_accounts_over_the_line(book):
    """C002's 20,000 is exactly 60 days past due and C004's 61-90 is exactly 10,000: neither is in."""
    result = run(book, "over-10k-60")
    assert [s.title for s in result.sections] == ["Alice Archer · NA-East", "Bob Baker · EMEA", "Bob Baker · NA-West"]
    assert pick(result.rows, "collector", "region", "account", "61-90", "90+", "past_60", "total") == [
        ("Alice Archer", "NA-East", "C001", USD(0), USD(1_500_000), USD(1_500_000), USD(2_050_000)),
        ("Bob Baker", "EMEA", "C006", EUR(0), EUR(2_500_000), EUR(2_500_000), EUR(2_500_000)),
        ("Bob Baker", "NA-West", "C003", USD(900_000), USD(150_000), USD(1_050_000), USD(1_050_000)),
    ]
    assert pick(result.rows, "last_contact", "days_since", "next_date", "next_action") == [
        (date(2026, 11, 20), 3, date(2026, 11, 27), "promise $5,000.00"),
        (date(2026, 11, 13), 10, None, None),
        (date(2026, 10, 24), 30, date(2026, 11, 30), "follow-up"),
    ]
    assert [s.subtotals[0]["past_60"] for s in result.sections] == [USD(1_500_000), EUR(2_500_000), USD(1_050_000)]
    assert pick(result.totals, "collector", "past_60") == [("Total USD", USD(2_550_000)), ("Total EUR", EUR(2_500_000))]


def test_over_10k_60_for_one_collector(book):
    result = run(book, "over-10k-60", collector="alice")
    assert [row["account"] for row in result.rows] == ["C001"]


def test_cadence_per_account_and_per_invoice_by_collector(book):
    """alice: C001 3 days (3 invoices), C002 21 (2), C004 never (1);
    bob: C003 30 days (2 invoices), C005 0 (2), C006 10 (1)."""
    result = run(book, "cadence")
    keys = ("collector", "cadence", "accounts", "invoices", "per_account", "per_invoice", "never", "overdue")
    assert pick(result.rows, *keys) == [
        ("Alice Archer", 14, 3, 6, 12.0, 10.2, 1, 2),
        ("Bob Baker", 7, 3, 5, 13.3, 14.0, 0, 2),
    ]
    assert pick(result.totals, *keys) == [("Total", None, 6, 11, 12.8, 12.1, 1, 4)]


def test_promises_counts_and_rates(book):
    result = run(book, "promises")
    keys = (
        "collector",
        "currency",
        "promises",
        "open",
        "past_grace",
        "kept",
        "partial",
        "broken",
        "cancelled",
        "kept_rate",
        "broken_rate",
        "promised",
        "paid",
    )
    assert pick(result.rows, *keys) == [
        ("Alice Archer", "USD", 3, 2, 1, 0, 0, 1, 0, 0.0, 100.0, USD(900_000), USD(0)),
        ("Bob Baker", "EUR", 1, 0, 0, 0, 0, 0, 1, None, None, EUR(0), EUR(0)),
        ("Bob Baker", "USD", 1, 0, 0, 1, 0, 0, 0, 100.0, 0.0, USD(200_000), USD(200_000)),
    ]
    assert pick(result.totals, *keys) == [
        ("Total EUR", "EUR", 1, 0, 0, 0, 0, 0, 1, None, None, EUR(0), EUR(0)),
        ("Total USD", "USD", 4, 2, 1, 1, 0, 1, 0, 50.0, 50.0, USD(1_100_000), USD(200_000)),
    ]


def test_disputes_by_reason(book):
    result = run(book, "disputes")
    keys = ("reason", "open", "open_amount", "avg_days", "oldest", "resolved", "resolved_amount")
    assert pick(result.rows, *keys) == [
        ("goods damaged", 0, USD(0), None, None, 1, USD(50_000)),
        ("pricing", 2, USD(300_000), 15.0, 20, 0, USD(0)),
    ]
    assert pick(result.totals, *keys) == [("Total", 2, USD(300_000), 15.0, 20, 1, USD(50_000))]


def test_credit_memos_by_reason(book):
    result = run(book, "credit-memos")
    keys = ("reason", "gl", "memos", "posted", "posted_amount", "in_progress", "in_progress_amount", "rejected")
    assert pick(result.rows, *keys) == [
        ("damaged", "4530", 1, 0, USD(0), 1, USD(80_000), 0),
        ("pricing", "4510", 2, 1, USD(40_000), 0, USD(0), 1),
    ]
    assert pick(result.totals, *keys) == [("Total", None, 3, 1, USD(40_000), 1, USD(80_000), 1)]


def test_cash_against_month_and_quarter_targets(book):
    result = run(book, "cash-vs-target")
    keys = ("period", "collector", "target", "collected", "gap", "days_left")
    assert pick(result.rows, *keys) == [
        ("Month 2026-11", "Team", USD(1_000_000), USD(350_000), USD(650_000), 7),
        ("Month 2026-11", "Alice Archer", USD(400_000), USD(100_000), USD(300_000), 7),
        ("Month 2026-11", "Bob Baker", USD(600_000), USD(200_000), USD(400_000), 7),
        ("Month 2026-11", "(no collector)", None, USD(50_000), None, 7),
        ("Quarter 2026-Q4", "Team", USD(5_000_000), USD(650_000), USD(4_350_000), 38),
        ("Quarter 2026-Q4", "Alice Archer", None, USD(400_000), None, 38),
        ("Quarter 2026-Q4", "Bob Baker", None, USD(200_000), None, 38),
        ("Quarter 2026-Q4", "(no collector)", None, USD(50_000), None, 38),
    ]
    attained = [row["attained"] for row in result.rows]
    assert attained[:3] + attained[4:5] == pytest.approx([35.0, 25.0, 100 / 3, 13.0])
    assert attained[3] is None  # no target


def test_cash_against_target_for_one_collector(book):
    result = run(book, "cash-vs-target", collector="bob")
    assert pick(result.rows, "period", "collector", "collected") == [
        ("Month 2026-11", "Bob Baker", USD(200_000)),
        ("Quarter 2026-Q4", "Bob Baker", USD(200_000)),
    ]


def test_kpi_summary_is_the_kpi_service_per_currency_per_collector_and_team(book):
    result = run(book, "kpi")
    # no EUR rate: no total of every currency, one section per currency, its portfolios only
    assert [s.title for s in result.sections] == ["Invoiced in EUR", "Invoiced in USD"]
    assert [[row["collector"] for row in s.rows] for s in result.sections] == [
        ["Bob Baker", "Team"],
        ["Alice Archer", "Bob Baker", "Team"],
    ]
    assert result.totals == [] and any("No total in USD, the book currency" in note for note in result.notes)
    team = result.sections[1].rows[-1]
    assert team["total_ar"] == USD(7_610_000)  # the dollar invoices only: never added to euros
    assert team["past_due"] == USD(7_060_000)  # all but INV-1003 and INV-5001
    assert team["percent_current"] == pytest.approx(550_000 / 7_610_000 * 100)
    assert result.sections[0].rows[-1]["total_ar"] == EUR(2_500_000)
    for collector, row in zip(("alice", "bob", None), result.sections[1].rows):
        k = compute_kpis(book, TODAY, collector, currency="USD")
        assert row["dso"] == round(k["dso"], 1)
        assert row["cei"] == k["cei"]
        assert row["promise_kept_rate"] == k["promise_kept_rate"]


def test_a_hostile_name_is_data_in_the_result(book):
    names = {row["account"]: row["name"] for row in run(book, "aging").rows}
    assert names["C004"] == FORMULA and names["C005"] == SCRIPT
