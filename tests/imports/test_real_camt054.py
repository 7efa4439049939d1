"""Every real camt.054 notification and camt.052 account report of ``data/real`` against what
``data/real/expected.json`` says a correct importer concludes from it (worked out from ISO
20022, not from our parser): the receipts of each account and currency add up to the booked
credits that are no reversal; importing again writes nothing; a batch entry is split into its
transaction details; a reversal of a credit is never a receipt and, with no receipt it takes
back in the book, is said in a notice.
"""

import json
from collections import Counter

import pytest

from .conftest import DATA, rows
from .test_real_camt053 import book, receipts  # per account and currency, as for camt.053

REAL = DATA / "real"
EXPECTED = {
    name: facts
    for name, facts in json.loads((REAL / "expected.json").read_text()).items()
    if name.startswith(("camt054/", "camt052/"))
}


def test_every_real_camt054_and_camt052_file_has_expected_results():
    on_disk = {f"{kind}/{p.name}" for kind in ("camt054", "camt052") for p in (REAL / kind).glob("*.xml")}
    assert on_disk == set(EXPECTED) and len(EXPECTED) == 14


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_real_file_imports_its_booked_credits_once(ctx, load, name):
    facts = EXPECTED[name]
    report = load(name.split("/")[0], REAL / name)

    assert report.rejected == [] and report.written
    assert receipts(ctx) == Counter(
        {
            (account, ccy): cents
            for account, per in facts["receipts_per_account_currency"].items()
            for ccy, cents in per.items()
        }
    )
    reversals = [n.message for n in report.notices if "nothing reversed" in n.message]
    assert len(reversals) == sum(len(s["reversals_of_credit"]) for s in facts["statement_list"])
    before = book(ctx)
    again = load(name.split("/")[0], REAL / name)
    assert again.rejected == [] and again.inserted == again.updated == 0 and again.unchanged == len(before)
    assert book(ctx) == before


def test_a_batch_is_split_into_its_details_with_their_references(ctx, load):
    load("camt054", REAL / "camt054/viafintech-valid_example.xml")
    account = "CH0309000000250090342"
    assert rows(ctx, "SELECT bank_ref, amount_cents, remittance FROM payments ORDER BY id") == [
        (
            f"{account}/bank:20160410375244000000000000000081#1",
            1500,
            "Rutschmann Pia Mitteilung 132 EndToEnd-CRDBRActSame-1B9C-CHDDBB2",
        ),
        (
            f"{account}/bank:20160410375244000000000000000081#2",
            900,
            "Bernasconi Maria Mitteilung 131 EndToEnd-CRDBRActSame-1B9C-CHDDBB3",
        ),
        (f"{account}/bank:20160410375244000000000000000071", 5656, "Bernasconi Maria PMT-651727380907030005"),
    ]


def test_a_report_outside_the_namespace_and_a_version_01_report_are_read(ctx, load):
    """Bank Frick's documented camt.052 declares only a prefix; camt.052.001.01 names its
    message BkToCstmrAcctRptV01 and its account PrtryAcct."""
    frick = load("camt052", REAL / "camt052/bankfrick-webapi-docs-camt052.xml")
    v01 = load("camt052", REAL / "camt052/genkgo-camt052.v1.xml")
    assert frick.rejected == v01.rejected == []
    assert [n.message for n in v01.notices] == [
        "report AAAASESS-FP-ACCR001 (account CH2801234000123456789) is a copy and duplicate of a report already sent"
        " (CpyDplctInd CODU)"
    ]
