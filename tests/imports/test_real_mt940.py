"""Every real MT940 and MT942 file of ``data/real/mt940`` and ``data/real/mt942`` against what
``data/real/expected.json`` says a correct importer concludes from it (worked out from the
SWIFT field formats, not from our parser).

An MT940 imports its credits (mark ``C``) as booked receipts in the statement's currency, each
currency's total to the minor unit; ``RC``/``RD`` entries are no receipts; a statement whose
balances do not reconcile is imported with a notice naming the difference; importing it again
writes nothing. An MT942's credits land as pending receipts, which the end-of-day MT940 books
without adding them again; an MT942 whose ``:90D:``/``:90C:`` totals are wrong is refused on
that line.
"""

import json
import re
from collections import Counter
from decimal import Decimal

import pytest

from arctui.api import ImportFileError, exponent

from .conftest import DATA, rows
from .test_real_camt053 import book

REAL = DATA / "real"
EXPECTED = {
    name: facts
    for name, facts in json.loads((REAL / "expected.json").read_text()).items()
    if name.startswith(("mt940/", "mt942/"))
}
MT940 = sorted(name for name, facts in EXPECTED.items() if name.startswith("mt940/") and facts["valid"])
MT942 = sorted(name for name, facts in EXPECTED.items() if name.startswith("mt942/") and facts["valid"])
REFUSED = sorted(name for name, facts in EXPECTED.items() if not facts["valid"])


def test_every_real_mt94x_file_has_expected_results():
    on_disk = {f"{kind}/{p.name}" for kind in ("mt940", "mt942") for p in (REAL / kind).iterdir()}
    assert on_disk == set(EXPECTED) and len(MT940) == 23 and len(MT942) == 2 and len(REFUSED) == 6


def shown(minor: int, currency: str) -> str:
    return f"{currency} {Decimal(minor).scaleb(-exponent(currency)):,}"


def receipts(ctx, state: str = "booked") -> Counter:
    totals = Counter()
    for currency, amount in rows(ctx, "SELECT currency, amount_cents FROM payments WHERE state = ?", (state,)):
        totals[currency] += amount
    return +totals


@pytest.mark.parametrize("name", MT940)
def test_a_real_mt940_imports_its_credits_once(ctx, load, name):
    facts = EXPECTED[name]
    report = load("mt940", REAL / name)

    assert report.rejected == [] and report.written
    assert receipts(ctx) == Counter(facts["receipts_per_currency"])
    before = book(ctx)
    again = load("mt940", REAL / name)
    assert again.rejected == [] and again.inserted == again.updated == 0 and again.unchanged == len(before)
    assert book(ctx) == before


@pytest.mark.parametrize("name", MT940)
def test_a_real_mt940_is_reconciled_and_its_reversals_named(ctx, load, name):
    facts = EXPECTED[name]
    notices = load("mt940", REAL / name).notices
    differences = [n.message for n in notices if "does not reconcile" in n.message]
    unreconciled = [s for s in facts["statement_list"] if not s["reconciles"]]
    assert len(differences) == len(unreconciled)
    for statement, message in zip(unreconciled, differences):
        assert f"(difference {shown(statement['difference_minor'], statement['ccy'])})" in message
    for statement in facts["statement_list"]:
        for reversal in statement["reversals_of_credit"]:
            said = [n.message for n in notices if n.line == reversal["line"]]
            assert said and "(RC) reverses" in said[0] and "nothing reversed" in said[0]


def test_a_difference_worked_by_hand(ctx, load):
    """PostFinance's second statement: 229.20 - 79.90 + 10.10 = 159.40, its :62F: says 159.60."""
    notices = [str(n) for n in load("mt940", REAL / "mt940/jejik-postfinance.sta").notices]
    assert notices == [
        f"{REAL / 'mt940/jejik-postfinance.sta'}:27: statement 2014040708285928/999/2 of 2014-04-07 "
        "(account 123456789) does not reconcile: opening CHF 229.20 + entries CHF -69.80 = CHF 159.40, "
        "the closing balance says CHF 159.60 (difference CHF 0.20); its credits are imported"
    ]
    assert rows(ctx, "SELECT amount_cents, currency, received_date FROM payments ORDER BY id") == [
        (7970, "CHF", "2013-12-09"),
        (14950, "CHF", "2013-12-09"),
        (1010, "CHF", "2013-12-18"),
    ]


def test_swift_blocks_funds_codes_and_amounts_without_decimals(ctx, load):
    load("mt940", REAL / "mt940/asnb-0708271685_09022020_164516.940.txt")  # {1:..}{2:..}{4: ... -}{5:}
    load("mt940", REAL / "mt940/cmxl-mt940.sta")  # CR3000, is C with funds code R; 18500, has no decimals
    assert rows(ctx, "SELECT amount_cents FROM payments WHERE bank_ref LIKE '10020030/1234567/%'") == [(300_000,)]
    assert rows(ctx, "SELECT count(*) FROM payments WHERE bank_ref LIKE 'NL81ASNB9999999999/%'") == [(3,)]
    assert (1_850_000, "DEM") in rows(ctx, "SELECT amount_cents, currency FROM payments")


@pytest.mark.parametrize("line_end", [b"\r", b"\r\n"])
def test_bare_cr_and_crlf_line_ends_read_the_same(ctx, load, tmp_path, line_end):
    path = tmp_path / "knab.sta"
    path.write_bytes((REAL / "mt940/jejik-knab.sta").read_bytes().replace(b"\n", line_end))
    report = load("mt940", path)
    assert report.rejected == [] and receipts(ctx) == Counter(EXPECTED["mt940/jejik-knab.sta"]["receipts_per_currency"])
    assert [n.line for n in report.notices] == [20]  # the second statement's :62F:, as in the LF file


def test_a_statement_line_that_cannot_be_read_refuses_the_file_on_its_line(ctx, load, tmp_path):
    path = tmp_path / "bad.sta"
    path.write_text((REAL / "mt940/jejik-knab.sta").read_text().replace(":61:1405070507C500,", ":61:14O5070507C500,"))
    with pytest.raises(ImportFileError, match=r"bad.sta:5: :61: '14O5070507C500,NTRFNONREF//B4E07XM00J000' cannot"):
        load("mt940", path)
    assert book(ctx) == []


def test_an_intraday_report_is_pending_until_the_statement_books_it(ctx, load):
    pending = load("mt942", REAL / "mt942/mbank-mt942.sta")
    assert pending.rejected == [] and [r.pending for r in pending.receipts] == [True] * 3
    assert receipts(ctx, "pending") == Counter(EXPECTED["mt942/mbank-mt942.sta"]["receipts_per_currency"])
    assert receipts(ctx) == Counter()

    booked = load("mt940", REAL / "mt940/mbank-mt940.sta")  # the same three transactions, end of day
    assert (booked.inserted, booked.updated) == (0, 3)
    assert receipts(ctx) == Counter({"PLN": 3}) and receipts(ctx, "pending") == Counter()
    # the intraday file again changes nothing: a booked receipt stays booked
    again = load("mt942", REAL / "mt942/mbank-mt942.sta")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    assert receipts(ctx) == Counter({"PLN": 3})


REFUSALS = {  # what the refusal says, after the file and line expected.json names
    "mt942/wolph-self-provided-mt942.sta": ":90D: says 1 debit entries of EUR 2.30, the report has 1 of EUR 0.42",
    "mt940/wolph-raphaelm.sta": ":62M: 'C020315105000,00' is not a balance",
    "mt940/wolph-sparkassen-snippet.sta": "has no statement",
    "mt940/cmxl-colon-after-line-break.txt": "statement has no closing (:62F:/:62M:) balance",
    "mt940/cmxl-deutsche_bank.txt": ":62F: 'C021131EUR4387,95' cannot be read",
    "mt940/cmxl-headers-bad-dates.txt": ":61: '3622687806CR1368378,92NMSC37935531' cannot be read",
}


@pytest.mark.parametrize("name", REFUSED)
def test_a_wrong_file_is_refused_on_its_line(ctx, load, name):
    where = f"{(REAL / name).name}:{EXPECTED[name]['refused_line']}: "
    with pytest.raises(ImportFileError, match=re.escape(where + REFUSALS[name])):
        load(name.split("/")[0], REAL / name)
    assert book(ctx) == []


def test_each_report_kind_goes_through_its_own_importer(ctx, load):
    with pytest.raises(ImportFileError, match=r"mbank-mt942.sta:2: statement has no opening .* imported as mt942"):
        load("mt940", REAL / "mt942/mbank-mt942.sta")
    with pytest.raises(ImportFileError, match=r"mbank-mt940.sta:2: is an end-of-day statement .* import it as mt940"):
        load("mt942", REAL / "mt940/mbank-mt940.sta")
    assert book(ctx) == []
