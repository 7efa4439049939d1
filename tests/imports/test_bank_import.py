"""BAI2 and camt.053 receipts: applied by the invoice numbers they carry, the rest left
unapplied for a collector; a damaged or hostile file writes nothing."""

import pytest

from arctui.services.imports import ImportFileError
from arctui_plugins import bai2

from .conftest import DATA, rows


@pytest.fixture
def book(load):
    load("customers", "customers.csv")
    load("invoices", "invoices.csv")


def payments(ctx):
    return rows(
        ctx,
        "SELECT bank_ref, customer_id, currency, amount_cents, unapplied_cents, "
        "method, received_date FROM payments ORDER BY id",
    )


def test_bai2_receipts_are_applied_by_remittance_and_the_rest_left_unapplied(ctx, load, book):
    report = load("bai2", "statement.bai2")

    assert report.rejected == [] and report.inserted == 3  # the 475 debit is not a receipt
    assert [(r.bank_ref, r.applied_cents) for r in report.receipts] == [
        ("123456789/bank:WIRE001", 120_000),
        ("123456789/bank:ACH0002", 30_000),
        ("123456789/bank:CHK0003", 0),
    ]
    assert payments(ctx) == [
        ("123456789/bank:WIRE001", 1, "USD", 120_000, 0, "wire", "2026-11-20"),
        ("123456789/bank:ACH0002", 2, "USD", 50_000, 20_000, "ach", "2026-11-20"),  # INV-1003 was 300.00 open
        ("123456789/bank:CHK0003", None, "USD", 75_000, 75_000, "check", "2026-11-20"),  # left for a collector
    ]
    # INV-1003 is named across a continuation (88) record
    assert rows(
        ctx,
        "SELECT number, open_cents, closed_date FROM invoices WHERE number IN ('INV-1001', 'INV-1003') ORDER BY number",
    ) == [("INV-1001", 0, "2026-11-20"), ("INV-1003", 0, "2026-11-20")]  # closed at the receipt's date
    assert rows(ctx, "SELECT remittance FROM payments WHERE bank_ref = '123456789/bank:ACH0002'") == [
        ("C200 PAYMENT FOR INV-1003 THANK YOU",)
    ]


def test_the_same_statement_twice_changes_nothing(ctx, load, book):
    load("bai2", "statement.bai2")
    applications = rows(ctx, "SELECT count(*) FROM payment_applications")
    again = load("bai2", "statement.bai2")
    assert (again.inserted, again.unchanged, again.receipts) == (0, 3, [])
    assert rows(ctx, "SELECT count(*) FROM payment_applications") == applications == [(2,)]


def test_a_known_bank_reference_with_another_amount_is_rejected(ctx, load, book, tmp_path):
    load("bai2", "statement.bai2")
    changed = tmp_path / "statement.bai2"
    changed.write_text(
        (DATA / "statement.bai2").read_text().replace("16,175,75000", "16,175,75100").replace("1355000", "1355100")
    )
    report = load("bai2", changed)
    assert [(r.line, r.field) for r in report.rejected] == [(7, "bank_ref")]
    assert "CHK0003 is already recorded with amount_cents 75000, not 75100" in report.rejected[0].reason
    assert rows(ctx, "SELECT amount_cents FROM payments WHERE bank_ref = '123456789/bank:CHK0003'") == [(75_000,)]


def test_bai2_control_totals_catch_a_damaged_file(ctx, load, book, tmp_path):
    damaged = tmp_path / "damaged.bai2"
    damaged.write_text((DATA / "statement.bai2").read_text().replace("16,195,120000", "16,195,12000"))
    with pytest.raises(
        ImportFileError,
        match=r"damaged.bai2:9: account 123456789 control total "
        r"1355000 does not match the amounts above it",
    ):
        load("bai2", damaged)
    truncated = tmp_path / "truncated.bai2"
    truncated.write_text("".join((DATA / "statement.bai2").read_text().splitlines(True)[:-1]))
    with pytest.raises(ImportFileError, match="no file trailer"):
        load("bai2", truncated)
    assert payments(ctx) == []


def damaged_statement(tmp_path, change):
    """The sample statement, its lines (without their ends) passed through ``change``."""
    path = tmp_path / "damaged.bai2"
    path.write_text("\n".join(change((DATA / "statement.bai2").read_text().splitlines())) + "\n")
    return path


LAYOUT = (
    "(a BAI2 file is 01 file header, 02 group header, 03 account header, 16 details, "
    "49 account trailer, 98 group trailer, 99 file trailer)"
)


@pytest.mark.parametrize(
    "change, message",
    [
        # a missing record: the details without their account header, an account without trailer
        (lambda lines: lines[:2] + lines[3:], f"3: record 16: out of place, no account header (03) before it {LAYOUT}"),
        (
            lambda lines: [line for line in lines if not line.startswith("49,")],
            f"9: record 98: out of place, account 123456789 before it has no account trailer (49) {LAYOUT}",
        ),
        (lambda lines: lines[1:], f"1: record 02: out of place, no file header (01) before it {LAYOUT}"),
        (
            lambda lines: [line for line in lines if not line.startswith("98,")],
            f"10: record 99: out of place, group before it has no group trailer (98) {LAYOUT}",
        ),
        # a missing field, a field that is no number
        (
            lambda lines: lines[:1] + ["02,ACMERECV,121000358,1/"] + lines[2:],
            "2: record 02: no field 5 (as-of date); the record has only 4 fields",
        ),
        (
            lambda lines: [line.replace("16,195,120000,", "16,195,12O000,") for line in lines],
            "4: record 16: field 3 (amount) is '12O000'; expected an amount in cents (digits, maybe signed)",
        ),
        (
            lambda lines: [line.replace("16,195,", "16,wire,") for line in lines],
            "4: record 16: field 2 (type code) is 'wire'; expected digits",
        ),
        # a wrong record count in a trailer
        (
            lambda lines: [line.replace("49,1355000,7/", "49,1355000,8/") for line in lines],
            "9: account 123456789 says 8 records, the file has 7; the file is damaged or incomplete",
        ),
    ],
)
def test_a_damaged_bai2_file_names_its_line_the_field_and_what_was_expected(ctx, load, book, tmp_path, change, message):
    path = damaged_statement(tmp_path, change)
    with pytest.raises(ImportFileError) as refused:
        load("bai2", path)
    assert str(refused.value) == f"{path}:{message}"
    assert payments(ctx) == []


def test_a_bug_in_the_bai2_parser_surfaces_as_itself_not_as_a_damaged_file(ctx, load, book, monkeypatch):
    def broken(code):
        raise AttributeError("'NoneType' object has no attribute 'total'")

    monkeypatch.setattr(bai2, "_bai2_method", broken)
    with pytest.raises(AttributeError, match="has no attribute 'total'"):
        load("bai2", "statement.bai2")
    assert payments(ctx) == []


CAMT_ACCOUNT = "DE89370400440532013000"


def test_camt053_credits_booked_are_applied_and_the_rest_left_unapplied(ctx, load, book):
    report = load("camt053", "statement_camt053.xml")

    # issue 11: a receipt is keyed by receipt_key (the account and the entry's AcctSvcrRef,
    # batch details by position), no longer by the detail's reference
    assert report.rejected == []
    assert [(r.bank_ref, r.applied_cents) for r in report.receipts] == [
        (f"{CAMT_ACCOUNT}/bank:ENTRY-1", 300_000),
        (f"{CAMT_ACCOUNT}/bank:BATCH-7#1", 0),
        (f"{CAMT_ACCOUNT}/bank:BATCH-7#2", 0),
    ]
    assert payments(ctx) == [
        (f"{CAMT_ACCOUNT}/bank:ENTRY-1", 3, "EUR", 300_000, 0, "wire", "2026-11-20"),
        (f"{CAMT_ACCOUNT}/bank:BATCH-7#1", None, "EUR", 10_000, 10_000, "ach", "2026-11-20"),
        (f"{CAMT_ACCOUNT}/bank:BATCH-7#2", None, "EUR", 5_000, 5_000, "ach", "2026-11-20"),
    ]
    assert rows(ctx, "SELECT open_cents FROM invoices WHERE number = 'INV-1005'") == [(0,)]
    assert rows(ctx, "SELECT remittance FROM payments WHERE bank_ref = ?", (f"{CAMT_ACCOUNT}/bank:ENTRY-1",)) == [
        ("Cobalt GmbH INV-1005 E2E-1",)  # issue 16: the end-to-end id too, for a reversal to find it
    ]
    assert load("camt053", "statement_camt053.xml").unchanged == 3


BOMB = """<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Ntry>
<Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>2026-11-20</Dt></BookgDt><AcctSvcrRef>&b;</AcctSvcrRef></Ntry></Stmt>
</BkToCstmrStmt></Document>
"""


def test_camt053_with_a_dtd_is_refused(ctx, load, book, tmp_path):
    path = tmp_path / "bomb.xml"
    path.write_text(BOMB)
    with pytest.raises(ImportFileError, match=r"bomb.xml:2: has a document type declaration"):
        load("camt053", path)
    assert payments(ctx) == []


def test_camt053_not_xml_or_another_message_is_refused(ctx, load, tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_text("<Document><BkToCstmrStmt>\n</Document>")
    with pytest.raises(ImportFileError, match=r"broken.xml:2: not well-formed XML"):
        load("camt053", broken)
    other = tmp_path / "pain.xml"
    other.write_text('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"/>')
    with pytest.raises(ImportFileError, match="not a camt.053 statement"):
        load("camt053", other)


def test_bai2_funds_availability_fields_do_not_shift_the_reference(ctx, load, book, tmp_path):
    path = tmp_path / "funds.bai2"
    path.write_text(
        "\n".join(
            [
                "01,121000358,ACMERECV,261121,0800,2,,,2/",
                "02,ACMERECV,121000358,1,261121,0800,USD,2/",
                "03,999,USD,/",
                "16,165,10000,V,261122,1200,REF-V,,INV-1002 part one/",
                "16,165,20000,D,2,0,15000,1,5000,REF-D,PO 9,INV-1002, part two/",
                "49,30000,4/",
                "98,30000,1,6/",
                "99,30000,1,8/",
            ]
        )
        + "\n"
    )
    report = load("bai2", path)
    assert [(r.bank_ref, r.amount_cents, r.applied_cents) for r in report.receipts] == [
        ("999/bank:REF-V", 10_000, 10_000),
        ("999/bank:REF-D", 20_000, 20_000),
    ]
    assert rows(ctx, "SELECT remittance, received_date FROM payments ORDER BY id") == [
        ("INV-1002 part one", "2026-11-21"),
        ("PO 9 INV-1002, part two", "2026-11-21"),
    ]
    assert rows(ctx, "SELECT open_cents FROM invoices WHERE number = 'INV-1002'") == [(220_050,)]


def test_camt053_batch_that_does_not_add_up_is_one_receipt_with_a_notice(ctx, load, book, tmp_path):
    # issue 11: the entry's booked amount is the cash; details that do not add up to it do not
    # split it (it was refused before) but are said in a notice
    path = tmp_path / "batch.xml"
    path.write_text(
        (DATA / "statement_camt053.xml").read_text().replace('<Amt Ccy="EUR">50.00</Amt>', '<Amt Ccy="EUR">40.00</Amt>')
    )
    report = load("camt053", path)
    assert report.rejected == []
    assert (
        f"{path}:28: statement STMT-1, entry 2: its transaction details say EUR 100.00, EUR 40.00, the entry booked "
        "EUR 150.00: imported as one receipt of the booked amount" in [str(n) for n in report.notices]
    )
    assert payments(ctx)[1:] == [(f"{CAMT_ACCOUNT}/bank:BATCH-7", None, "EUR", 15_000, 15_000, "ach", "2026-11-20")]


def camt(entries: str, *, version: str = "08", account: str = "<Id><IBAN>DE89370400440532013000</IBAN></Id>") -> str:
    """A camt.053 message with one statement of these entries and no balances."""
    return (
        f'<?xml version="1.0"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}">'
        f"<BkToCstmrStmt>\n<Stmt><Id>S-1</Id><Acct>{account}</Acct>\n{entries}</Stmt></BkToCstmrStmt></Document>\n"
    )


def camt_entry(amount: str, side: str = "CRDT", *, status: str = "BOOK", details: str = "", extra: str = "") -> str:
    return (
        f"<Ntry><Amt {amount}</Amt><CdtDbtInd>{side}</CdtDbtInd>{extra}<Sts><Cd>{status}</Cd></Sts>"
        f"<BookgDt><Dt>2026-11-20+01:00</Dt></BookgDt><NtryDtls>{details}</NtryDtls></Ntry>\n"
    )


def test_camt053_a_zero_detail_of_a_batch_is_skipped_not_refused(ctx, load, book, tmp_path):
    path = tmp_path / "zero.xml"
    details = "".join(f'<TxDtls><Amt Ccy="EUR">{a}</Amt></TxDtls>' for a in ("100.00", "0.00", "50"))
    path.write_text(camt(camt_entry('Ccy="EUR">150.00', details=details)))
    report = load("camt053", path)
    assert report.rejected == []
    assert payments(ctx) == [
        (f"{CAMT_ACCOUNT}/S-1/1#1", None, "EUR", 10_000, 10_000, "ach", "2026-11-20"),
        (f"{CAMT_ACCOUNT}/S-1/1#3", None, "EUR", 5_000, 5_000, "ach", "2026-11-20"),
    ]


def test_camt053_pending_credits_reversals_and_debits_are_not_receipts(ctx, load, book, tmp_path):
    path = tmp_path / "not-cash.xml"
    path.write_text(
        camt(
            camt_entry('Ccy="EUR">10.00', status="PDNG")
            + camt_entry('Ccy="EUR">20.00', extra="<RvslInd>true</RvslInd>")
            + camt_entry('Ccy="EUR">30.00', "DBIT", extra="<RvslInd>true</RvslInd><AcctSvcrRef>R-9</AcctSvcrRef>")
            + camt_entry('Ccy="EUR">40.00', "DBIT")
            + camt_entry('Ccy="CHF">5.00')
        )
    )
    report = load("camt053", path)
    assert report.rejected == []
    # the receipt's currency is the entry's, whatever the account's
    assert payments(ctx) == [(f"{CAMT_ACCOUNT}/S-1/5", None, "CHF", 500, 500, "ach", "2026-11-20")]
    notices = [n.message for n in report.notices]
    assert "statement S-1, entry 1: a credit of EUR 10.00 not booked (Sts PDNG); left out" in notices
    assert (
        "statement S-1, entry 2 is a reversal of a debit, EUR 20.00 (RvslInd): not a receipt, not imported" in notices
    )
    # issue 16: a reversal undoes the receipt it takes back; with none in the book, it says so
    assert (
        "statement S-1, entry 3 reverses EUR 30.00 (references R-9) but no receipt of account "
        "DE89370400440532013000 in the book matches it: nothing reversed" in notices
    )
    assert (
        "statement S-1 (account DE89370400440532013000) has no opening (OPBD or PRCD) and no closing (CLBD) "
        "balance: not reconciled" in notices
    )


@pytest.mark.parametrize(
    "amount, field, reason",
    [
        ('Ccy="EUR">-5.00', "amount", "the entry's Amt is '-5.00'; expected an amount such as 1234.56"),
        ('Ccy="EUR">1e3', "amount", "the entry's Amt is '1e3'; expected an amount such as 1234.56"),
        ('Ccy="EUR">1.005', "amount", "1.005 has more decimals than EUR has (2)"),
        ('Ccy="">1.00', "currency", "the amount has no currency (Ccy)"),
    ],
)
def test_camt053_a_bad_entry_amount_names_its_line_and_writes_nothing(ctx, load, book, tmp_path, amount, field, reason):
    path = tmp_path / "bad.xml"
    path.write_text(camt(camt_entry('Ccy="EUR">1.00') + camt_entry(amount)))
    report = load("camt053", path)
    assert [str(r) for r in report.rejected] == [f"{path}:5: {field}: {reason}"]
    assert payments(ctx) == []


def test_camt053_any_version_of_the_message_is_read_another_message_refused(ctx, load, book, tmp_path):
    later = tmp_path / "v13.xml"
    later.write_text(camt(camt_entry('Ccy="EUR">1.00'), version="13"))
    assert load("camt053", later).inserted == 1
    report = tmp_path / "camt052.xml"
    report.write_text(camt(camt_entry('Ccy="EUR">1.00')).replace("camt.053", "camt.052"))
    with pytest.raises(ImportFileError, match="not a camt.053 statement"):
        load("camt053", report)


def test_camt053_a_statement_without_an_account_is_refused(ctx, load, book, tmp_path):
    path = tmp_path / "no-account.xml"
    path.write_text(camt(camt_entry('Ccy="EUR">1.00'), account="<Ccy>EUR</Ccy>"))
    with pytest.raises(ImportFileError, match=r"no-account.xml:3: statement S-1 has no account"):
        load("camt053", path)
    assert payments(ctx) == []
