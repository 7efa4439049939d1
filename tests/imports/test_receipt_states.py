"""Receipts the bank has not booked yet, and receipts it took back (issue 16), through the
import service into a real book: an MT942 entry is pending (seen, never applied nor counted
as cash) until the end-of-day MT940 books it; a reversal (MT940 ``RC``, camt ``RvslInd``)
undoes the receipt it takes back in one audited action, and is never a receipt of its own."""

import subprocess

import pytest

from arctui.services import cash
from arctui.services.errors import InvalidInput
from arctui.store.read.timeline import timeline

from .conftest import TODAY, rows

ACCOUNT = "NL91ABNA0417164300"


@pytest.fixture
def book(load):
    load("customers", "customers.csv")
    load("invoices", "invoices.csv")  # INV-1005: EUR 3,000.00 open, account C300


def swift(path, *entries: str, balances: tuple[str, str] | None = ("C261119EUR0,", "C261120EUR1000,")) -> str:
    """An MT940 (with balances) or MT942 (``balances=None``) of these ``:61:``/``:86:`` lines."""
    head = f":20:STMT-{path.stem}\n:25:{ACCOUNT}\n:28C:7/1\n"
    if balances:
        text = head + f":60F:{balances[0]}\n" + "".join(entries) + f":62F:{balances[1]}\n-\n"
    else:
        text = head + ":34F:EUR0,\n:13D:2611201015+0100\n" + "".join(entries) + "-\n"
    path.write_text(text)
    return path


CREDIT = ":61:2611200320C1000,NTRFNONREF//BREF-0001\n:86:/NAME/COBALT GMBH/REMI/INV-1005/\n"


def invoice_1005(ctx):
    return rows(ctx, "SELECT open_cents, closed_date FROM invoices WHERE number = 'INV-1005'")[0]


def receipt(ctx):
    return rows(ctx, "SELECT state, amount_cents, unapplied_cents, customer_id FROM payments")


def test_an_intraday_receipt_is_not_cash_until_the_statement_books_it(ctx, load, book, tmp_path):
    report = load("mt942", swift(tmp_path / "intraday.sta", CREDIT, balances=None))

    assert report.rejected == [] and report.receipts[0].pending
    assert receipt(ctx) == [("pending", 100_000, 100_000, None)]
    assert invoice_1005(ctx) == (300_000, None)  # named by the remittance, not applied
    assert cash.unapplied_cash(ctx.db, TODAY) == [] and cash.unapplied_cash_aging(ctx.db, TODAY) == []
    payment_id = rows(ctx, "SELECT id FROM payments")[0][0]
    with pytest.raises(InvalidInput, match="is pending: not cash to apply"):
        cash.apply_payment(ctx, payment_id, [(5, 100_000)], 1)
    with pytest.raises(InvalidInput, match="is pending: not cash to apply, refund, assign or park"):
        cash.assign_payment(ctx, payment_id, "C300", 1)
    with pytest.raises(InvalidInput, match="is pending"):
        cash.park_payment(ctx, payment_id, "waiting for the statement", 1)

    booked = load("mt940", swift(tmp_path / "eod.sta", CREDIT))
    assert (booked.inserted, booked.updated) == (0, 1)
    assert receipt(ctx) == [("booked", 100_000, 0, 3)]  # one receipt, applied once, at its value date
    assert invoice_1005(ctx) == (200_000, None)
    assert rows(ctx, "SELECT amount_cents, applied_date FROM payment_applications") == [(100_000, "2026-11-20")]


def test_a_reversal_of_a_credit_undoes_the_receipt_once(ctx, load, book, tmp_path):
    load("mt940", swift(tmp_path / "day1.sta", CREDIT))
    assert receipt(ctx) == [("booked", 100_000, 0, 3)] and invoice_1005(ctx) == (200_000, None)

    taken_back = ":61:2611210321RC1000,NRTINONREF//BREF-0001\n:86:RETURN AC04\n"
    day2 = swift(tmp_path / "day2.sta", taken_back, balances=("C261120EUR1000,", "C261121EUR0,"))
    report = load("mt940", day2)

    assert report.rejected == [] and report.reversed == 1 and report.receipts == []
    assert [n.message for n in report.notices] == [
        f"statement STMT-day2/7/1 of 2026-11-21 (account {ACCOUNT}), entry 1 (RC) reverses receipt "
        f"{ACCOUNT}/bank:BREF-0001 (EUR 1,000.00): reversed, its applications undone"
    ]
    assert receipt(ctx) == [("reversed", 100_000, 0, 3)]
    assert invoice_1005(ctx) == (300_000, None)
    assert rows(ctx, "SELECT count(*) FROM payment_applications") == [(0,)]
    assert rows(ctx, "SELECT action FROM audit WHERE action = 'payment.reverse'") == [("payment.reverse",)]
    payment = next(e for e in timeline(ctx.db, 3) if e.kind == "payment")  # the account's history says so
    assert payment.summary == f"Payment by ach ref {ACCOUNT}/bank:BREF-0001 (reversed by the bank)"

    audit_rows = rows(ctx, "SELECT count(*) FROM audit")
    again = load("mt940", day2)
    assert again.reversed == 0 and again.notices == [] and rows(ctx, "SELECT count(*) FROM audit") == audit_rows


def camt054(path, entry: str) -> str:
    path.write_text(
        '<?xml version="1.0"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">'
        f"<BkToCstmrDbtCdtNtfctn><Ntfctn><Id>N-{path.stem}</Id><Acct><Id><IBAN>{ACCOUNT}</IBAN></Id></Acct>\n"
        f"{entry}</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>\n"
    )
    return path


def notified(side: str, ref: str, reversal: str = "false") -> str:
    return (
        f'<Ntry><Amt Ccy="EUR">250.00</Amt><CdtDbtInd>{side}</CdtDbtInd><RvslInd>{reversal}</RvslInd>'
        f"<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-11-20</Dt></BookgDt><AcctSvcrRef>{ref}</AcctSvcrRef>"
        "<NtryDtls><TxDtls><Refs><EndToEndId>E2E-77-A</EndToEndId></Refs>"
        "<RmtInf><Strd><CdtrRefInf><Ref>RF18INV1005</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>\n"
    )


def test_a_camt054_reversal_finds_the_receipt_by_its_end_to_end_id(ctx, load, book, tmp_path):
    credit = load("camt054", camt054(tmp_path / "in.xml", notified("CRDT", "BANK-1")))
    assert [r.applied_cents for r in credit.receipts] == [0]  # RF18INV1005 carries INV1005, no invoice of ours
    assert rows(ctx, "SELECT remittance FROM payments") == [("RF18INV1005 INV1005 E2E-77-A",)]

    report = load("camt054", camt054(tmp_path / "back.xml", notified("DBIT", "BANK-2", "true")))
    assert report.reversed == 1 and report.inserted == 0
    assert rows(ctx, "SELECT state, unapplied_cents FROM payments") == [("reversed", 0)]


def test_a_reversal_matching_two_receipts_reverses_none(ctx, load, book, tmp_path):
    load("camt054", camt054(tmp_path / "a.xml", notified("CRDT", "BANK-1") + notified("CRDT", "BANK-3")))
    report = load("camt054", camt054(tmp_path / "back.xml", notified("DBIT", "BANK-2", "true")))
    assert report.reversed == 0
    assert "2 receipts match it" in report.notices[0].message
    assert rows(ctx, "SELECT state FROM payments") == [("booked",), ("booked",)]


def test_an_intraday_reversal_takes_back_the_pending_receipt_for_good(ctx, load, book, tmp_path):
    """An MT942 with balances and :13D: is still an intraday report; its RC reverses the
    pending credit, and the statement booking both later adds no cash."""
    taken_back = ":61:2611200320RC1000,NRTINONREF//BREF-0002\n:86:RETURN AC04\n"
    credit = CREDIT.replace("BREF-0001", "BREF-0002")
    intraday = tmp_path / "intraday.sta"
    intraday.write_text(
        f":20:INTRA-1\n:25:{ACCOUNT}\n:28C:7/1\n:13D:2611201015+0100\n:60F:C261119EUR0,\n"
        f"{credit}{taken_back}:62M:C261120EUR0,\n-\n"
    )
    report = load("mt942", intraday)
    assert report.rejected == [] and report.reversed == 1
    assert receipt(ctx) == [("reversed", 100_000, 0, None)]

    booked = load("mt940", swift(tmp_path / "eod.sta", credit, taken_back, balances=("C261119EUR0,", "C261120EUR0,")))
    assert (booked.inserted, booked.updated, booked.reversed) == (0, 0, 0) and booked.notices == []
    assert receipt(ctx) == [("reversed", 100_000, 0, None)] and invoice_1005(ctx) == (300_000, None)


def test_an_expected_credit_is_pending_intraday_and_not_booked_at_the_end_of_day(ctx, load, book, tmp_path):
    expected = ":61:2611220320EC75,NTRFNONREF//BREF-0003\n"
    load("mt942", swift(tmp_path / "intraday.sta", expected, balances=None))
    assert receipt(ctx) == [("pending", 7_500, 7_500, None)]
    report = load("mt940", swift(tmp_path / "eod.sta", expected, balances=("C261119EUR0,", "C261120EUR0,")))
    assert [n.message for n in report.notices] == [
        f"statement STMT-eod/7/1 of 2026-11-20 (account {ACCOUNT}), entry 1 is an expected credit, EUR 75.00 (EC): "
        "not booked, not imported"
    ]
    assert receipt(ctx) == [("pending", 7_500, 7_500, None)]


def test_the_statement_books_an_intraday_receipt_whose_value_date_moved(ctx, load, book, tmp_path):
    load("mt942", swift(tmp_path / "intraday.sta", CREDIT, balances=None))
    later = CREDIT.replace(":61:2611200320C", ":61:2611210321C")  # value date 21 November in the statement
    booked = load("mt940", swift(tmp_path / "eod.sta", later))
    assert booked.rejected == [] and booked.updated == 1
    assert rows(ctx, "SELECT state, received_date FROM payments") == [("booked", "2026-11-20")]
    # a booked receipt seen with another value date is another payment's key: refused as before
    again = load("mt940", swift(tmp_path / "eod2.sta", later))
    assert again.rejected and "received_date" in again.rejected[0].reason


def test_pending_receipts_are_listed_apart_from_unapplied_cash(tmp_path):
    """Through the real command: the intraday receipt is listed as pending, not as cash."""
    db = str(tmp_path / "cli.db")
    subprocess.run(["arctui", "migrate", "--create", "--db", db], check=True, capture_output=True)
    report = swift(tmp_path / "intraday.sta", CREDIT, balances=None)
    subprocess.run(["arctui", "import", "mt942", str(report), "--db", db], check=True, capture_output=True)

    unapplied = subprocess.run(["arctui", "cash", "unapplied", "--db", db], capture_output=True, text=True, check=True)
    pending = subprocess.run(["arctui", "cash", "pending", "--db", db], capture_output=True, text=True, check=True)

    assert unapplied.stdout.splitlines() == [
        "1 receipt; pending €1,000.00 EUR: intraday, not cash until booked (arctui cash pending)",
        "No receipt has unapplied money.",
    ]
    assert f"{ACCOUNT}/bank:BREF-0001" in pending.stdout and "COBALT GMBH INV-1005" in pending.stdout
    assert pending.stdout.splitlines()[-1] == "1 receipt; pending €1,000.00 EUR"


@pytest.mark.parametrize(
    "reference, remittance",
    [
        ("210000000003139471430009017", "210000000003139471430009017 21000000000313947143000901 E2E-77-A"),
        ("000000000000000000000010056", "000000000000000000000010056 1005 E2E-77-A"),  # QR: zero-padded, check digit
        ("RF18 5390 0754 7034", "RF18539007547034 539007547034 E2E-77-A"),  # ISO 11649, as printed
        ("INV-1005", "INV-1005 E2E-77-A"),
    ],
)
def test_a_structured_creditor_reference_reaches_the_remittance(ctx, load, tmp_path, reference, remittance):
    entry = notified("CRDT", "BANK-1").replace("RF18INV1005", reference)
    load("camt054", camt054(tmp_path / "in.xml", entry))
    assert rows(ctx, "SELECT remittance FROM payments") == [(remittance,)]


def test_a_notification_is_applied_by_its_structured_reference(ctx, load, book, tmp_path):
    entry = notified("CRDT", "BANK-1").replace("RF18INV1005", "INV-1005")
    report = load("camt054", camt054(tmp_path / "in.xml", entry))
    assert [r.applied_cents for r in report.receipts] == [25_000]
    assert invoice_1005(ctx) == (275_000, None)
