"""Every real camt.053 file of ``data/real/camt053`` against what ``data/real/expected.json``
says a correct importer concludes from it (worked out from ISO 20022, not from our parser).

A valid file imports through ``run_import`` into a real book: the receipts of each account
and currency add up to the file's booked credits, minus the reversals (``RvslInd`` true: a
credit that reverses a debit is not a customer's payment), plus the credits a bank sent
without a status (taken as booked, with a notice). Importing it again changes nothing. A
statement that does not reconcile is imported with a notice naming the difference; a copy
or duplicate is noticed; a file without a statement is refused, naming the file. The same
bank transaction in another file is imported once.
"""

import json
import subprocess
from collections import Counter
from decimal import Decimal

import pytest

from arctui.api import ImportFileError, exponent

from .conftest import DATA, rows

REAL = DATA / "real"
EXPECTED = {
    name: facts
    for name, facts in json.loads((REAL / "expected.json").read_text()).items()
    if name.startswith("camt053/")
}
VALID = sorted(name for name, facts in EXPECTED.items() if facts["valid"])
REFUSED = sorted(name for name, facts in EXPECTED.items() if not facts["valid"])


def test_every_real_camt053_file_has_expected_results():
    on_disk = {f"camt053/{p.name}" for p in (REAL / "camt053").glob("*.xml")}
    assert on_disk == set(EXPECTED) and len(VALID) == 22 and len(REFUSED) == 2


def shown(minor: int, currency: str) -> str:
    """An amount as the notices write it: 'EUR 1,234.56'."""
    return f"{currency} {Decimal(minor).scaleb(-exponent(currency)):,}"


def expected_receipts(facts) -> Counter:
    """Minor units per (account, currency): the booked credits, minus credit reversals, plus
    credits without a status (a statement reports booked entries)."""
    totals = Counter()
    for statement in facts["statement_list"]:
        account = statement["account"]
        for currency, figures in statement["per_currency"].items():
            totals[account, currency] += figures["booked_credits"]["total_minor"]
        for entry in statement["entry_list"]:
            if entry["CdtDbtInd"] != "CRDT":
                continue
            if entry["Sts"] is None:
                totals[account, entry["ccy"]] += entry["amount_minor"]
            if entry["RvslInd"] == "true" and entry["Sts"] in ("BOOK", None):
                totals[account, entry["ccy"]] -= entry["amount_minor"]
    return +totals


def receipts(ctx) -> Counter:
    totals = Counter()
    for bank_ref, currency, amount in rows(ctx, "SELECT bank_ref, currency, amount_cents FROM payments"):
        totals[bank_ref.split("/")[0], currency] += amount
    return +totals


def book(ctx):
    return rows(ctx, "SELECT * FROM payments ORDER BY id")


@pytest.mark.parametrize("name", VALID)
def test_a_valid_real_file_imports_its_booked_credits_once(ctx, load, name):
    facts = EXPECTED[name]
    path = REAL / name

    report = load("camt053", path)

    assert report.rejected == [] and report.written
    assert receipts(ctx) == expected_receipts(facts)
    assert sum(r.amount_cents for r in report.receipts) == sum(expected_receipts(facts).values())
    before = book(ctx)
    again = load("camt053", path)
    assert again.rejected == [] and again.inserted == 0 and again.updated == 0
    assert again.unchanged == len(before)
    assert book(ctx) == before


@pytest.mark.parametrize("name", VALID)
def test_a_real_statement_is_reconciled_and_its_copies_flagged(ctx, load, name):
    notices = [str(n) for n in load("camt053", REAL / name).notices]

    for statement in EXPECTED[name]["statement_list"]:
        label = f"statement {statement['Id']} (account {statement['account']})"
        about = [n for n in notices if label in n]
        if statement["reconciles"] is False and any(e["Sts"] is None for e in statement["entry_list"]):
            # expected.json counts entries without Sts as not booked; taken as booked (see
            # plugins/camt.py) the statement must reconcile exactly as its notes work out
            ccy = statement["closing"]["ccy"]
            moved = sum(
                e["amount_minor"] * (1 if e["CdtDbtInd"] == "CRDT" else -1)
                for e in statement["entry_list"]
                if e["ccy"] == ccy and e["Sts"] in ("BOOK", None)
            )
            assert statement["opening"]["signed_minor"] + moved == statement["closing"]["signed_minor"]
            assert not any("reconcile" in n for n in about), about
        elif statement["reconciles"] is False:
            difference = shown(statement["difference_minor"], statement["closing"]["ccy"])
            assert any("does not reconcile" in n and f"(difference {difference})" in n for n in about), about
        elif statement["reconciles"] is None:
            assert any("not reconciled" in n for n in about), about
        else:
            assert not any("reconcile" in n for n in about), about
        for total, check in statement.get("TxsSummry_check", {}).items():
            assert any(f"its summary ({total}) says" in n for n in about) != check["matches_entries"], about
        copy = statement["CpyDplctInd"]
        assert any(f"(CpyDplctInd {copy})" in n for n in about) == bool(copy), about


def test_gs_uk_differences_are_those_worked_by_hand(ctx, load):
    """One file checked against the figures in its notes, not only against expected.json's."""
    notices = [str(n) for n in load("camt053", REAL / "camt053/gs-camt053-uk-v2.xml").notices]
    assert any(
        "statement 9740092650 (account GB36GSLD04296250000970) does not reconcile: OPBD GBP 334,425,218.07"
        " + booked entries GBP -200.00 = GBP 334,425,018.07, CLBD says GBP 334,425,126.42 (difference GBP 108.35)" in n
        for n in notices
    )
    # the reversed credit (entry 3) is not a receipt; entry 5's detail (64.00) is not its amount
    assert rows(ctx, "SELECT bank_ref, amount_cents, currency, received_date FROM payments") == [
        ("GB36GSLD04296250000970/bank:GI2327900000753", 10_000, "GBP", "2023-10-06")
    ]
    assert any("entry 3 is a reversal of a debit, GBP 100.00" in n for n in notices)


def test_the_booked_amount_is_the_cash_not_the_detail_amount(ctx, load):
    report = load("camt053", REAL / "camt053/genkgo-camt053.v3.xml")
    assert rows(ctx, "SELECT amount_cents, currency, received_date FROM payments") == [(885, "EUR", "2014-12-31")]
    assert any("say EUR 105.75, the entry booked EUR 8.85" in str(n) for n in report.notices)


def test_dates_with_zone_offsets_are_dates(ctx, load):
    load("camt053", REAL / "camt053/genkgo-camt053.v8.xml")  # BookgDt 2014-12-31T13:15:00+01:00
    load("camt053", REAL / "camt053/viafintech-valid_example_with_datetime.xml")  # ...115965+00:00
    assert rows(ctx, "SELECT received_date FROM payments ORDER BY id") == [("2014-12-31",), ("2023-06-21",)]


def test_entries_without_status_are_taken_as_booked_with_a_notice(ctx, load):
    name = "camt053/subite-lt-2024-03-07-two-statements.xml"
    report = load("camt053", REAL / name)
    assert rows(ctx, "SELECT bank_ref, amount_cents, received_date FROM payments") == [
        ("LT625883379695428516/bank:REF000000025239", 82_853_198, "2024-03-07")
    ]
    notices = [str(n) for n in report.notices]
    assert any("3 entries have no status (Sts); taken as booked" in n for n in notices)
    assert any("1 receipts have no booking or value date; dated 2024-03-07" in n for n in notices)
    assert not any("does not reconcile" in n for n in notices)  # taken as booked, it reconciles


def test_a_shared_bank_reference_does_not_lose_money(ctx, load):
    """ABN AMRO puts one AcctSvcrRef on two entries: both are cash, keyed by their place."""
    load("camt053", REAL / "camt053/abnamro-example-camt053-v2.xml")
    refs = [r for (r,) in rows(ctx, "SELECT bank_ref FROM payments ORDER BY id")]
    assert len(refs) == len(set(refs)) == 22
    assert "NL77ABNA0574908765/0574908765.2013-04-02/3" in refs
    assert "NL77ABNA0574908765/0574908765.2013-04-02/4#10" in refs
    assert "NL77ABNA0574908765/0574908765.2013-04-02/11" in refs


@pytest.mark.parametrize("name", REFUSED)
def test_a_file_without_a_statement_is_refused_naming_it(ctx, load, name):
    path = REAL / name
    with pytest.raises(ImportFileError, match=rf"{path.name}:\d+: has no statement"):
        load("camt053", path)
    assert book(ctx) == []


def test_a_file_without_a_statement_fails_on_the_command_line(tmp_path):
    db = tmp_path / "book.db"
    path = REAL / "camt053/genkgo-camt053.v2.wrong.xml"
    subprocess.run(["arctui", "migrate", "--create", "--db", str(db)], check=True, capture_output=True)
    done = subprocess.run(
        ["arctui", "import", "camt053", str(path), "--db", str(db)],
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "genkgo-camt053.v2.wrong.xml:3: has no statement" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


SAME_TRANSACTIONS = [
    ("genkgo-camt053.v2.five.decimals.xml", "genkgo-camt053.v2.multi.statement.xml"),
    ("genkgo-camt053.v4.xml", "genkgo-camt053.v8.xml"),
    ("viafintech-valid_example.xml", "viafintech-valid_example_with_debit.xml"),
]
AGAIN = {f"camt053/{second}" for _, second in SAME_TRANSACTIONS}


@pytest.mark.parametrize("first, second", SAME_TRANSACTIONS)
def test_the_same_transaction_in_another_file_is_imported_once(ctx, load, first, second):
    load("camt053", REAL / "camt053" / first)
    before = book(ctx)
    report = load("camt053", REAL / "camt053" / second)
    assert report.rejected == [] and report.inserted == 0 and report.unchanged == 1
    assert book(ctx) == before


def test_every_real_file_in_one_book(ctx, load):
    """All valid files one after the other: no key of one file collides with another's."""
    for name in VALID:
        assert load("camt053", REAL / name).rejected == []
    total = Counter()
    for name in VALID:
        if name not in AGAIN:  # these repeat another file's transactions
            total.update(expected_receipts(EXPECTED[name]))
    assert receipts(ctx) == total
