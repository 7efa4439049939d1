"""Money in several currencies (issue 11): the report book bills C006 in EUR beside its dollar
accounts. KPIs and reports never add euros to dollars; with a rate the team imports they also
give every currency in the book currency, and the over-10k-60 threshold is in it."""

import pytest
from click.testing import CliRunner

from arctui.cli import cli

TODAY = ["--today", "2026-11-23"]


@pytest.fixture
def copy(book_copy):
    return str(book_copy)


def run(*args):
    result = CliRunner().invoke(cli, [str(arg) for arg in args])
    assert "Traceback" not in result.output
    return result


def import_rate(copy, tmp_path, rate, day="2026-11-20"):
    rates = tmp_path / "rates.csv"
    rates.write_text(f"date,currency,rate,base\n{day},USD,{rate},EUR\n")
    result = run("--user", "lead", "import", "rates", rates, "--db", copy)
    assert result.exit_code == 0, result.output


def test_kpis_come_per_currency_and_say_why_there_is_no_total(copy):
    result = run("kpi", "--db", copy, *TODAY)
    assert result.exit_code == 0, result.output
    eur, usd, total = result.output.split("\n\n")
    assert eur.startswith("KPI (team, EUR)") and "€25,000.00" in eur
    assert usd.startswith("KPI (team, USD)") and "$76,100.00" in usd
    assert "$101,100.00" not in result.output  # the old sum of euros and dollars
    assert total.strip().startswith("no total of every currency: the KPIs in USD need a EUR rate on or shortly before")


def test_with_a_rate_the_kpis_add_up_in_the_book_currency(copy, tmp_path):
    import_rate(copy, tmp_path, "1.05")
    result = run("kpi", "--db", copy, *TODAY)
    assert result.exit_code == 0, result.output
    total = result.output.split("\n\n")[-1]
    assert total.startswith("KPI (team, all in USD)")
    assert "$102,350.00" in total  # $76,100.00 + €25,000.00 at 1.05
    one = run("kpi", "--db", copy, *TODAY, "--currency", "eur")
    assert one.output.startswith("KPI (team, EUR)") and "all in" not in one.output


def test_a_currency_that_is_not_money_is_refused(copy):
    result = run("kpi", "--db", copy, *TODAY, "--currency", "XXX")
    assert result.exit_code == 2 and "currency 'XXX' is not money" in result.output


def test_the_over_10k_threshold_is_in_the_book_currency(copy, tmp_path):
    listed = run("report", "over-10k-60", "--db", copy, *TODAY).output
    assert "C006" in listed  # EUR 25,000 past due, no rate: judged in its own currency, and said so
    assert "No USD rate on 2026-11-23 for EUR: compared as 10,000 in its own currency." in " ".join(listed.split())
    import_rate(copy, tmp_path, "0.30")  # EUR 25,000 is USD 7,500: under the threshold
    listed = run("report", "over-10k-60", "--db", copy, *TODAY).output
    assert "C006" not in listed and "No USD rate" not in listed
    assert "C001" in listed


def test_cash_against_target_counts_other_currencies_at_the_rate_of_their_day(copy, tmp_path):
    receipts = tmp_path / "receipts.csv"
    receipts.write_text(
        "bank_ref,account_no,received_date,amount,currency,method\nEUR-1,C006,2026-11-10,1000.00,EUR,wire\n"
    )
    assert run("--user", "lead", "import", "payments", receipts, "--db", copy).exit_code == 0

    def collected():
        result = run("report", "cash-vs-target", "--db", copy, *TODAY, "--format", "csv")
        assert result.exit_code == 0, result.output
        text = run("report", "cash-vs-target", "--db", copy, *TODAY).output
        return {tuple(line.split(",")[:2]): line.split(",")[3] for line in result.output.splitlines()[1:9]}, text

    before, text = collected()
    assert before[("Month 2026-11", "Bob Baker")] == "2000.00"  # the euros are not added as dollars
    assert "Month 2026-11: €1,000.00 not counted, with no rate to convert it." in text
    import_rate(copy, tmp_path, "1.05", day="2026-11-09")
    after, text = collected()
    assert after[("Month 2026-11", "Bob Baker")] == "3050.00"  # + €1,000.00 at 1.05
    assert after[("Month 2026-11", "Team")] == "4550.00"
    assert "not counted" not in text
