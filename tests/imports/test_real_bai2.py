"""Every real BAI2 file of ``data/real/bai2`` against what ``data/real/expected.json`` says a
correct importer concludes from it (worked out from the BAI2 v2 specification, not from our
parser), and the specification's points the real files rely on.

A valid file imports through ``run_import`` into a real book: its receipts, per account and
currency, add up to the file's own credits (type codes 100-399, 720-759, 920-959); importing
it again changes nothing. An invalid file is refused at the line expected, naming the figure
the file states and the one it carries, and nothing is written. The same bank transaction in
an intraday file and in the end-of-day file is imported once.
"""

import json
import re
from collections import Counter

import pytest

from arctui.api import ImportFileError, Options

from .conftest import DATA, rows

REAL = DATA / "real"
EXPECTED = {
    name: facts for name, facts in json.loads((REAL / "expected.json").read_text()).items() if name.startswith("bai2/")
}
VALID = sorted(name for name, facts in EXPECTED.items() if facts["valid"])
REFUSED = sorted(name for name, facts in EXPECTED.items() if not facts["valid"])


def payments(ctx):
    return rows(ctx, "SELECT bank_ref, currency, amount_cents, received_date, remittance FROM payments ORDER BY id")


def test_every_real_bai2_file_has_expected_results():
    on_disk = {f"bai2/{p.name}" for p in (REAL / "bai2").iterdir()}
    assert on_disk == set(EXPECTED) and len(VALID) == 11 and len(REFUSED) == 4


@pytest.mark.parametrize("name", VALID)
def test_a_valid_real_file_imports_its_credits_once(ctx, load, name):
    facts = EXPECTED[name]
    expected = Counter()
    for account in facts["accounts"]:
        expected[account["account"], account["currency"]] += account["credits"]["total_minor"]
    credits = sum(account["credits"]["count"] for account in facts["accounts"])

    report = load("bai2", REAL / name)

    assert report.rejected == [] and report.inserted == credits == len(report.receipts)
    got = Counter()
    for key, currency, amount, _day, _text in payments(ctx):
        account = next(a for a, _ in expected if key.startswith(f"{a}/"))  # keys start with the account
        got[account, currency] += amount
    assert +got == +expected
    # and per currency, the file's own credit totals
    per_currency = Counter()
    for (_, currency), amount in got.items():
        per_currency[currency] += amount
    assert +per_currency == +Counter(
        {currency: figures["credits"]["total_minor"] for currency, figures in facts["totals_per_currency"].items()}
    )

    before = payments(ctx), rows(ctx, "SELECT * FROM payment_applications")
    again = load("bai2", REAL / name)
    assert (again.inserted, again.updated, again.unchanged, again.rejected) == (0, 0, credits, [])
    assert (payments(ctx), rows(ctx, "SELECT * FROM payment_applications")) == before


@pytest.mark.parametrize("name", REFUSED)
def test_an_invalid_real_file_is_refused_at_its_line(ctx, load, name):
    facts = EXPECTED[name]
    path = REAL / name
    with pytest.raises(ImportFileError) as refused:
        load("bai2", path)
    message = str(refused.value)
    assert message.startswith(f"{path}:{facts['refuse_line']}: ")
    stated_and_carried = re.search(r"(-?\d+) != (?:computed|counted) (-?\d+)", facts["refuse_reason"])
    if stated_and_carried:  # the figure the trailer states and the one the file carries
        assert all(figure in message for figure in stated_and_carried.groups())
    assert payments(ctx) == []


def test_the_refusals_say_what_is_wrong(ctx, load):
    def refusal(name):
        with pytest.raises(ImportFileError) as refused:
            load("bai2", REAL / "bai2" / name)
        return str(refused.value).split(": ", 1)[1]

    assert refusal("moov-sample3-records-run-together.bai2") == (
        "record 01: '/' ends the record but the line goes on ('02,103100195,103100195,1'): "
        "records run together; a BAI2 file has one record per line"
    )
    assert refusal("moov-sample4-gs-continuations.bai2") == (
        "account 107049932 control total -1260161341762 does not match the amounts above it (7999960); "
        "the file is damaged or incomplete"
    )
    assert refusal("vh-svb-daily-missing-continuation.bai2") == (
        "account 1234567890 says 7 records, the file has 6; the file is damaged or incomplete"
    )


def test_real_files_keep_currency_text_and_references(ctx, load):
    """GBP and CAD accounts stay in their currency; a 16 without references keys by its place
    and keeps its text (from the 88) as remittance; an 88 after a 16 that stopped at its
    customer reference is the text; a '/' inside text is text."""
    load("bai2", REAL / "bai2" / "moj-natwest-gbp.bai2")
    load("bai2", REAL / "bai2" / "moov-sample2-bai-spec-appendix-d.bai2")
    load("bai2", REAL / "bai2" / "vh-svb-eod-slash-in-text.bai2")
    load("bai2", REAL / "bai2" / "moov-sample1-cad.bai2")
    got = {key: (currency, amount, day, text) for key, currency, amount, day, text in payments(ctx)}
    assert got["88888888 600004/2009-12-16/399:89:1"] == (
        "GBP",
        89,
        "2009-12-16",
        "TFR XBANKGO24007680SJ CAT JPY 2 GBPXBANKGO24007680BGC INTERNATIONAL-5373 CLIE NT SECCY AC TFR",
    )
    assert got["4589761203/bank:SP4738"] == (
        "USD",
        20_000_000,
        "2004-06-20",
        "YRC065321 PROCEEDS OF LETTER OF CREDIT FROM THE ARAMCO OIL CO",
    )
    assert got["9876543210/2004-06-20/115:500000:1"][3] == "LOCK BOX NO.68751"
    wire = got["3333333333/2010-08-31/195:8325982:1"]
    assert wire[:3] == ("USD", 8_325_982, "2010-08-31")
    assert "ORG ADDRESS:=2/AV MAIN 2/AVENUE DE ANGELLIST 3/MX /MEXICO ;" in wire[3]
    # the same account twice in one group: its credits keyed by type, amount and occurrence that day
    cad = sorted((k, a) for k, (c, a, _, _) in got.items() if c == "CAD")
    assert cad == [
        ("10200123456/2006-03-17/108:100000:1", 100_000),
        ("10200123456/2006-03-17/108:11500:1", 11_500),
        ("10200123456/2006-03-17/108:203500:1", 203_500),
        ("10200123456/2006-03-17/108:2500:1", 2_500),
        ("10200123456/2006-03-17/108:2500:2", 2_500),
    ]


def test_the_same_transaction_in_the_intraday_and_the_end_of_day_file_is_imported_once(ctx, load, tmp_path):
    """The intraday file (another file id and time) reports the first day's ACH credit by its
    bank reference 172629; the end-of-day file repeats it: recognised, not imported again."""
    eod = REAL / "bai2" / "moj-svb-us-two-groups.bai2"
    lines = eod.read_text().splitlines()
    intraday = tmp_path / "intraday.bai2"
    intraday.write_text(
        "\n".join(
            ["01,121140399,121140399,220201,1130,7,,,2/", "02,121140399,121140399,1,220201,1130,USD,3/"]
            + lines[2:10]
            + ["99,138884258,1,11/"]
        )
        + "\n"
    )
    first = load("bai2", intraday)
    assert (first.inserted, [r.bank_ref for r in first.receipts]) == (1, ["1234567890/bank:172629"])

    second = load("bai2", eod)
    assert (second.inserted, second.unchanged, second.rejected) == (1, 1, [])
    assert [(key, amount) for key, _, amount, _, _ in payments(ctx)] == [
        ("1234567890/bank:172629", 490_196),
        ("1234567890/bank:150675", 905_800),
    ]


def bai2_file(tmp_path, *records, group_currency="USD", as_of="261121"):
    """A file of one group and one account around ``records`` (03 to 49), its trailers'
    totals worked out here from the amounts given in ``records``."""
    path = tmp_path / "spec.bai2"
    body = list(records)
    path.write_text(
        "\n".join(
            ["01,121000358,ACMERECV,261121,0800,9,,,2/", f"02,ACMERECV,121000358,1,{as_of},,{group_currency},2/"] + body
        )
        + "\n"
    )
    return path


def trailers(total, accounts, records_in_accounts):
    return [f"98,{total},{accounts},{records_in_accounts + 2}/", f"99,{total},1,{records_in_accounts + 4}/"]


def test_type_codes_decide_credit_debit_and_non_monetary(ctx, load, tmp_path):
    codes = [(115, True), (399, True), (400, False), (699, False), (720, True), (759, True), (760, False)]
    codes += [(799, False), (890, False), (920, True), (959, True), (960, False), (999, False)]
    details = [f"16,{code},{100 + i},,R{i},,/" for i, (code, _) in enumerate(codes)]
    total = sum(100 + i for i in range(len(codes)))
    path = bai2_file(
        tmp_path, "03,1,USD,/", *details, f"49,{total},{len(details) + 2}/", *trailers(total, 1, len(details) + 2)
    )
    report = load("bai2", path)
    assert [r.bank_ref for r in report.receipts] == [f"1/bank:R{i}" for i, (_, credit) in enumerate(codes) if credit]


def test_group_currency_defaults_to_usd_and_the_account_currency_wins(ctx, load, tmp_path):
    path = tmp_path / "ccy.bai2"
    path.write_text(
        "\n".join(
            [
                "01,121000358,ACMERECV,261121,0800,9,,,2/",
                "02,ACMERECV,121000358,1,261121,,,2/",  # no currency: USD, whatever the options say
                "03,1,,/",
                "16,165,100,,A,,/",
                "49,100,3/",
                "03,2,JPY,/",
                "16,165,700,,B,,/",
                "49,700,3/",
                "98,800,2,8/",
                "99,800,1,10/",
            ]
        )
        + "\n"
    )
    load("bai2", path, Options(currency="EUR"))
    assert [(k, c, a) for k, c, a, _, _ in payments(ctx)] == [("1/bank:A", "USD", 100), ("2/bank:B", "JPY", 700)]


def test_summary_slots_funds_types_and_continuations(ctx, load, tmp_path):
    """Empty slots skipped, ',,,/' before an 88 closes the line, a slot split over an 88,
    signed status amounts, funds S/D/V fields consumed (not in the control total), and a 16
    continued on an 88 before its references."""
    records = [
        "03,1,USD,,,,,010,-500,,,015,+300,,,/",
        "88,100,1000,2,S,10,20,30,400,200,1,D,2,0,50,1,150/",
        "88,072,0,,V,261121,/",
        "16,165,600,D,2,0,300,1,300/",
        "88,REF-1,CUST-1,INV 9,/part two/",
        "16,475,400,V,261121,0900,REF-2,,FEE/",
        "16,165,400,S,100,100,200,,,/",
        "88,NO REF/",
    ]
    total = -500 + 300 + 1000 + 200 + 0 + 600 + 400 + 400
    path = bai2_file(tmp_path, *records, f"49,{total},9/", *trailers(total, 1, 9))
    report = load("bai2", path)
    assert report.rejected == []
    assert [(k, a, t) for k, _, a, _, t in payments(ctx)] == [
        ("1/bank:REF-1", 600, "CUST-1 INV 9,/part two"),
        ("1/2026-11-21/165:400:1", 400, "NO REF"),
    ]


@pytest.mark.parametrize(
    "records, line, message",
    [
        (
            ["03,1,USD,010,100,,/", "49,101,2/"],
            4,
            "account 1 control total 101 does not match the amounts above it (100)",
        ),
        (
            ["03,1,USD,/", "16,165,100,Q,R,,/", "49,100,3/"],
            4,
            "record 16: field 4 (funds type) is 'Q'; expected 0, 1, 2",
        ),
        (["03,1,USD,,55,,/", "49,55,2/"], 3, "record 03: field 5 (summary amount) is '55' but its type code is blank"),
        (["03,1,USD,/", "16,165,100,,R,,/", "TEXT WRAPPED/", "49,100,3/"], 5, "the line starts with 'TEXT WRAPPED/'"),
    ],
)
def test_a_file_against_the_specification_is_refused_at_its_line(ctx, load, tmp_path, records, line, message):
    path = bai2_file(tmp_path, *records, "98,0,1,0/", "99,0,1,0/")
    with pytest.raises(ImportFileError) as refused:
        load("bai2", path)
    assert str(refused.value).startswith(f"{path}:{line}: {message}")
    assert payments(ctx) == []


def test_the_number_of_accounts_and_groups_is_checked(ctx, load, tmp_path):
    path = bai2_file(tmp_path, "03,1,USD,/", "49,0,2/", "98,0,2,4/", "99,0,1,6/")
    with pytest.raises(ImportFileError, match=r":5: group says 2 accounts, the file has 1"):
        load("bai2", path)


def test_a_test_only_group_is_not_imported_and_said_so(ctx, load, tmp_path):
    path = tmp_path / "test.bai2"
    path.write_text(
        "01,121000358,ACMERECV,261121,0800,9,,,2/\n02,ACMERECV,121000358,4,261121,,USD,2/\n"
        "03,1,,/\n16,165,100,,A,,/\n49,100,3/\n98,100,1,5/\n99,100,1,7/\n"
    )
    report = load("bai2", path)
    assert report.inserted == 0 and payments(ctx) == []
    assert [str(n) for n in report.notices] == [
        f"{path}:2: group of 2026-11-21 has status 4 (test only): its receipts are not imported"
    ]


def test_a_bank_reference_repeated_on_one_account_keys_by_place(ctx, load, tmp_path):
    """Two credits with one bank reference on one account are two receipts (the reference
    keys neither), not one taken twice."""
    records = ["03,1,USD,/", "16,165,100,,SAME,,/", "16,165,100,,SAME,,/", "16,165,100,,OTHER,,/"]
    path = bai2_file(tmp_path, *records, "49,300,5/", *trailers(300, 1, 5))
    report = load("bai2", path)
    assert [r.bank_ref for r in report.receipts] == [
        "1/2026-11-21/165:100:1",
        "1/2026-11-21/165:100:2",
        "1/bank:OTHER",
    ]


def test_a_credit_without_a_bank_reference_seen_again_in_another_file_is_recognised(ctx, load, tmp_path):
    """The day's intraday report, then the end-of-day file (another creation time and file
    id) with the same credit, a second credit of the same amount and one more: two new."""
    intraday = bai2_file(tmp_path, "03,1,USD,/", "16,165,100,,,,/", "49,100,3/", *trailers(100, 1, 3))
    assert load("bai2", intraday).inserted == 1
    records = ["03,1,USD,/", "16,165,100,,,,/", "16,165,100,,,,/", "16,175,250,,,,/", "49,450,5/"]
    end_of_day = bai2_file(tmp_path, *records, *trailers(450, 1, 5))
    end_of_day.write_text(end_of_day.read_text().replace("261121,0800,9,", "261121,1730,10,"))
    report = load("bai2", end_of_day)
    assert (report.inserted, report.unchanged) == (2, 1)
    assert [k for k, *_ in payments(ctx)] == [
        "1/2026-11-21/165:100:1",
        "1/2026-11-21/165:100:2",
        "1/2026-11-21/175:250:1",
    ]


def test_fixed_length_records_without_line_ends_are_read(ctx, load, tmp_path):
    """The 01 says 80-character physical records; the bank sent them padded, one after the
    other on one line."""
    records = [
        "01,121000358,ACMERECV,261121,0800,9,80,1,2/",
        "02,ACMERECV,121000358,1,261121,,USD,2/",
        "03,1,USD,/",
        "16,165,100,,A,,PAID INV 1/",
        "49,100,3/",
        "98,100,1,5/",
        "99,100,1,7/",
    ]
    path = tmp_path / "fixed.bai2"
    path.write_text("".join(r.ljust(80) for r in records))
    load("bai2", path)
    assert [(k, a, t) for k, _, a, _, t in payments(ctx)] == [("1/bank:A", 100, "PAID INV 1")]


def test_a_record_after_the_file_trailer_is_refused(ctx, load, tmp_path):
    text = (REAL / "bai2" / "vh-svb-daily-crlf.bai2").read_text()
    path = tmp_path / "joined.bai2"
    path.write_text(text + "\n" + text)
    with pytest.raises(ImportFileError, match=r":9: record 01: comes after the file trailer \(99\)"):
        load("bai2", path)
    assert payments(ctx) == []


def test_an_account_whose_ledger_does_not_reconcile_is_imported_with_a_notice(ctx, load):
    """Opening ledger (010) + credits - debits of the details against the closing ledger
    (015): the real files that state both say so or reconcile."""
    notices = {}
    for name in VALID:
        notices[name] = [str(n).split(": ", 1)[1] for n in load("bai2", REAL / name).notices]
    assert {name: found for name, found in notices.items() if found} == {
        "bai2/moj-citi-gbp.bai2": [
            "account 77777777 of 2015-07-15 does not reconcile: opening ledger (010) GBP 100.00 + credits GBP 0.01 "
            "- debits GBP 0.00 = GBP 100.01, closing ledger (015) says GBP 100.00 (difference GBP -0.01); "
            "its credits are imported"
        ],
        "bai2/vh-svb-daily-with-summary.bai2": [
            "account 1234567890 of 2005-06-07 does not reconcile: opening ledger (010) USD 0.00 + credits USD 250.01 "
            "- debits USD 0.00 = USD 250.01, closing ledger (015) says USD 0.00 (difference USD -250.01); "
            "its credits are imported"
        ],
    }
    # the natwest and SVB files state both ledgers and reconcile
    assert "bai2/moj-natwest-gbp.bai2" in notices and "bai2/moj-svb-us-two-groups.bai2" in notices


def test_a_btrs_file_without_any_currency_says_it_took_usd(ctx, load, tmp_path):
    path = tmp_path / "btrs.bai2"
    path.write_text(
        "01,121000358,ACMERECV,261121,0800,9,,,3/\n02,ACMERECV,121000358,1,261121,,,2/\n"
        "03,1,,/\n16,165,100,,A,,/\n49,100,3/\n98,100,1,5/\n99,100,1,7/\n"
    )
    report = load("bai2", path)
    assert [str(n) for n in report.notices] == [
        f"{path}:3: account 1: neither the 03 nor the 02 states a currency; taken as USD, the specification's default"
    ]
    assert [(k, c) for k, c, _, _, _ in payments(ctx)] == [("1/bank:A", "USD")]
