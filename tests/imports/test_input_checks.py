"""What every importer's fields pass through: control characters refused, identifiers matched
as they look, amounts and dates in range and in ASCII digits, invoices above zero unless the
mapping declares credit notes, one column per field, and only ASCII-compatible encodings."""

from dataclasses import replace
from datetime import date

import openpyxl
import pytest

from arctui.services.import_checks import Lookups
from arctui.services.imports import ImportFileError, Options, Record, load_mapping, run_import
from arctui.store.postgresql import is_postgresql

from .conftest import rows

INVOICES_HEADER = "number,account_no,issue_date,amount\n"
# a camt.053 statement names its account (issue 11: a receipt is keyed on it)
ACCOUNT = "<Id>S1</Id><Acct><Id><Othr><Id>123456789</Id></Othr></Id></Acct>"


@pytest.fixture
def customers(load):
    assert load("customers", "customers.csv").written


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding, newline="")
    return path


def rejected(report):
    return [(r.line, r.field, r.reason) for r in report.rejected]


# ---- control characters ---------------------------------------------------------------------


def test_a_name_with_terminal_escapes_is_refused_naming_file_line_field_and_character(ctx, load, tmp_path):
    path = write(tmp_path, "customers.csv", "account_no,name\nC1,Fine Ltd\nC2,ACME\x1b]0;pwned\x07\x1b[2J Ltd\n")
    report = load("customers", path)
    assert [(r.file, r.line, r.field) for r in report.rejected] == [(str(path), 3, "name")]
    assert report.rejected[0].reason == (
        r"'ACME\x1b]0;pwned\x07\x1b[2J Ltd' has a control character U+001B (ESC) at character 5;"
        " expected one line of text with no control characters"
    )
    assert "\x1b" not in str(report.rejected[0])  # the message shows it escaped, never raw
    assert rows(ctx, "SELECT count(*) FROM customers") == [(0,)]


@pytest.mark.parametrize(
    "field, value, problem",
    [
        ("region", "West\u202e", "bidirectional override U+202E"),
        ("name", "Bob\x00", "control character U+0000 (NUL)"),
        ("name", "C1 control \x9b2J", "control character U+009B (CSI)"),
        ("owner", "w01\x08", "control character U+0008 (BS)"),
    ],
)
def test_every_text_field_refuses_control_characters(load, tmp_path, field, value, problem):
    values = {"account_no": "C1", "name": "Fine Ltd", field: value}
    path = write(tmp_path, "c.csv", ",".join(values) + "\n" + ",".join(values.values()) + "\n")
    [refused] = load("customers", path).rejected
    assert (refused.line, refused.field) == (2, field)
    assert problem in refused.reason


def test_remittance_text_may_run_over_lines_but_carries_no_escape(ctx, load, customers, tmp_path):
    header = "bank_ref,amount,received_date,method,remittance\n"
    good = write(tmp_path, "p.csv", header + 'R1,10.00,2026-11-20,ach,"INV-1\tpaid\nthanks"\n')
    assert load("payments", good).written
    assert rows(ctx, "SELECT remittance FROM payments") == [("INV-1\tpaid\nthanks",)]
    bad = write(tmp_path, "q.csv", header + "R2,10.00,2026-11-20,ach,INV-1\x1b[31m\n")
    assert rejected(load("payments", bad))[0][:2] == (2, "remittance")


def test_a_bank_statement_goes_through_the_same_checks(ctx, load, customers, tmp_path):
    statement = write(
        tmp_path,
        "s.xml",
        '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>'
        f"<Stmt>{ACCOUNT}<Ntry><Amt Ccy='USD'>10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>"
        "<BookgDt><Dt>2026-11-20</Dt></BookgDt><AcctSvcrRef>R1</AcctSvcrRef><NtryDtls><TxDtls>"
        "<RmtInf><Ustrd>pay &#x9b;2J INV-1001</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry></Stmt>"
        "</BkToCstmrStmt></Document>",
    )
    [(line, field, reason)] = rejected(load("camt053", statement))
    assert (line, field) == (1, "remittance") and "U+009B (CSI)" in reason
    assert rows(ctx, "SELECT count(*) FROM payments") == [(0,)]


@pytest.mark.parametrize("code", ["XXX", "XTS", "ABC"])
def test_a_currency_that_is_not_money_is_refused_by_a_file_and_a_statement(ctx, load, customers, tmp_path, code):
    payments = write(
        tmp_path,
        "p.csv",
        f"bank_ref,account_no,received_date,amount,currency,method\nB1,C100,2026-11-20,5.00,{code},ach\n",
    )
    [(line, field, reason)] = rejected(load("payments", payments))
    assert (line, field) == (2, "currency") and f"'{code}'" in reason and "ISO 4217" in reason
    statement = write(
        tmp_path,
        "s.xml",
        '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>'
        f"<Stmt>{ACCOUNT}<Ntry><Amt Ccy='{code}'>10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>"
        "<BookgDt><Dt>2026-11-20</Dt></BookgDt><AcctSvcrRef>R1</AcctSvcrRef></Ntry></Stmt>"
        "</BkToCstmrStmt></Document>",
    )
    [(line, field, reason)] = rejected(load("camt053", statement))
    assert (line, field) == (1, "currency") and f"'{code}'" in reason
    assert rows(ctx, "SELECT count(*) FROM payments") == [(0,)]


def test_an_invoice_in_another_currency_than_its_account_is_refused(ctx, load, customers, tmp_path):
    path = write(
        tmp_path, "i.csv", INVOICES_HEADER.replace("amount", "amount,currency") + "INV-1,C100,2026-11-01,5.00,EUR\n"
    )
    [(line, field, reason)] = rejected(load("invoices", path))
    assert (line, field) == (2, "currency")
    assert reason.startswith("EUR on an account billed in USD; expected USD")
    assert rows(ctx, "SELECT count(*) FROM invoices") == [(0,)]


def test_receipts_recorded_by_hand_without_a_bank_reference_do_not_stop_an_import(ctx, load, customers, tmp_path):
    from arctui.services.cash import record_payment

    for amount in (100, 200):  # two, so no key of theirs can stand for the other
        record_payment(ctx, amount, date(2026, 11, 2), "check")
    path = write(tmp_path, "p.csv", "bank_ref,account_no,received_date,amount,method\nB1,C100,2026-11-20,5.00,ach\n")
    report = load("payments", path)
    assert not report.rejected and report.inserted == 1
    assert rows(ctx, "SELECT count(*), count(bank_ref) FROM payments") == [(3, 1)]


# ---- invisible duplicates -------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    ["INV-0001001\u200b", "INV\u20100001001", "INV-0001001\x00", "\ufeffINV-0001001", "INV\u20130001001"],
)
def test_an_invoice_number_that_looks_the_same_is_the_same_invoice(ctx, load, customers, tmp_path, number):
    first = write(tmp_path, "a.csv", INVOICES_HEADER + "INV-0001001,C100,2026-11-01,100.00\n")
    assert load("invoices", first).inserted == 1
    again = write(tmp_path, "b.csv", INVOICES_HEADER + f"{number},C100,2026-11-01,100.00\n")
    report = load("invoices", again)
    assert (report.inserted, report.unchanged, report.rejected) == (0, 1, [])
    changed = write(tmp_path, "c.csv", INVOICES_HEADER + f"{number},C100,2026-11-01,120.00\n")
    assert load("invoices", changed).updated == 1
    assert rows(ctx, "SELECT number, amount_cents FROM invoices") == [("INV-0001001", 12_000)]


def test_two_lines_that_look_the_same_are_one_invoice_twice(ctx, load, customers, tmp_path):
    # issue 11: the same invoice twice with the same values is taken once; with other values, refused
    path = write(
        tmp_path, "a.csv", INVOICES_HEADER + "INV-1,C100,2026-11-01,1.00\nINV\u20111\u200b,C100,2026-11-01,2.00\n"
    )
    assert rejected(load("invoices", path)) == [(3, "number", "INV-1 is also on line 2 with other values")]
    same = write(
        tmp_path, "b.csv", INVOICES_HEADER + "INV-1,C100,2026-11-01,1.00\nINV\u20111\u200b,C100,2026-11-01,1.00\n"
    )
    report = load("invoices", same)
    assert (report.accepted, report.inserted, report.repeated, report.rejected) == (1, 1, 1, [])
    assert rows(ctx, "SELECT number, amount_cents FROM invoices") == [("INV-1", 100)]


def test_account_numbers_and_bank_references_match_as_they_look(ctx, load, customers, tmp_path):
    path = write(tmp_path, "i.csv", INVOICES_HEADER + "INV-9,C100\u200b\x00,2026-11-01,1.00\n")
    assert load("invoices", path).written
    assert rows(ctx, "SELECT customer_id FROM invoices") == [(1,)]
    header = "bank_ref,amount,received_date,method\n"
    assert load("payments", write(tmp_path, "p.csv", header + "REF\u20131,5.00,2026-11-20,ach\n")).inserted == 1
    again = load("payments", write(tmp_path, "q.csv", header + "REF-1\ufeff,5.00,2026-11-20,ach\n"))
    assert (again.inserted, again.unchanged) == (0, 1)
    assert rows(ctx, "SELECT bank_ref FROM payments") == [("REF-1",)]


def test_a_key_stored_before_normalisation_is_matched_and_left_as_it_is(ctx, load, customers, tmp_path):
    ctx.db["invoices"].insert(
        {
            "number": "INV-7\u200b",
            "customer_id": 1,
            "issue_date": "2026-11-01",
            "due_date": "2026-12-01",
            "currency": "USD",
            "amount_cents": 100,
            "open_cents": 100,
        }
    )
    report = load("invoices", write(tmp_path, "a.csv", INVOICES_HEADER + "INV-7,C100,2026-11-01,1.00\n"))
    assert (report.inserted, report.unchanged) == (0, 1)
    assert rows(ctx, "SELECT count(*) FROM invoices") == [(1,)]


def test_an_identifier_with_an_escape_is_refused(load, customers, tmp_path):
    path = write(tmp_path, "a.csv", INVOICES_HEADER + "INV\x1b[2J1,C100,2026-11-01,1.00\n")
    [(line, field, reason)] = rejected(load("invoices", path))
    assert (line, field) == (2, "number") and "U+001B (ESC) at character 4" in reason


# ---- amounts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", ["9223372036854775808", "92233720368547758.08", "10000000000.00", "1" + "0" * 400])
def test_an_amount_out_of_range_is_refused_with_the_bounds(ctx, load, customers, tmp_path, amount):
    path = write(tmp_path, "a.csv", INVOICES_HEADER + f"INV-1,C100,2026-11-01,{amount}\n")
    [(line, field, reason)] = rejected(load("invoices", path))
    assert (line, field) == (2, "amount")
    assert "is out of range; expected an amount between -9,999,999,999.99 and 9,999,999,999.99" in reason
    assert rows(ctx, "SELECT count(*) FROM invoices") == [(0,)]


def test_a_bai2_amount_out_of_range_is_refused(ctx, load, customers, tmp_path):
    big = 2**63
    path = write(
        tmp_path,
        "s.bai2",
        "01,1,2,261120,0800,1,,,2/\n02,2,1,1,261120,0800,USD,2/\n03,123,USD,010,0,,/\n"
        f"16,195,{big},0,WIRE1,,INV-1001/\n49,{big},3/\n98,{big},1,5/\n99,{big},1,7/\n",
    )
    [(line, field, reason)] = rejected(load("bai2", path))
    assert (line, field) == (4, "amount") and "'9223372036854775808' is out of range" in reason


@pytest.mark.parametrize(
    "amount, digit",
    [("\u0661\u0660\u0660", "\u0661"), ("\uff11\uff10.00", "\uff11"), ("1\u0966.00", "\u0966")],
)
def test_non_ascii_digits_in_an_amount_are_refused(load, customers, tmp_path, amount, digit):
    path = write(tmp_path, "a.csv", INVOICES_HEADER + f"INV-1,C100,2026-11-01,{amount}\n")
    [(line, field, reason)] = rejected(load("invoices", path))
    assert (line, field) == (2, "amount") and f"has the non-ASCII digit {digit!r}" in reason


def test_zero_and_negative_invoices_are_refused_unless_the_mapping_declares_credit_notes(
    ctx, load, customers, tmp_path
):
    path = write(
        tmp_path,
        "a.csv",
        INVOICES_HEADER + "INV-1,C100,2026-11-01,100.00\nINV-2,C100,2026-11-01,0.00\nCN-3,C100,2026-11-02,(40.00)\n",
    )
    assert rejected(load("invoices", path)) == [
        (3, "amount", "is zero; expected the invoice's amount, more than zero"),
        (
            4,
            "amount",
            "-$40.00 is negative; expected more than zero "
            "(a file of credit notes says so with credit_notes = true in its --mapping file)",
        ),
    ]
    mapping = write(tmp_path, "m.toml", "credit_notes = true\n")
    report = load("invoices", path, load_mapping(mapping))
    assert [r[:2] for r in rejected(report)] == [(3, "amount")]  # zero is still no invoice
    path.write_text(INVOICES_HEADER + "INV-1,C100,2026-11-01,100.00\nCN-3,C100,2026-11-02,(40.00)\n")
    report = load("invoices", path, load_mapping(mapping))
    assert (report.written, report.inserted, report.credit_notes) == (True, 2, 1)
    # booked as a credit note: negative amount and open balance, never counted as owed
    assert rows(ctx, "SELECT number, amount_cents, open_cents, closed_date FROM invoices ORDER BY id") == [
        ("INV-1", 10_000, 10_000, None),
        ("CN-3", -4_000, -4_000, None),
    ]


def test_a_mapping_says_credit_notes_with_true_or_false(tmp_path):
    mapping = write(tmp_path, "m.toml", 'credit_notes = "yes"\n')
    with pytest.raises(ImportFileError, match=r"m.toml: credit_notes: 'yes' is not true or false"):
        load_mapping(mapping)


# ---- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize("issued", ["1899-12-31", "2101-01-01", "0001-01-01", "9999-12-31"])
def test_dates_before_1900_or_after_2100_are_refused(load, customers, tmp_path, issued):
    path = write(tmp_path, "a.csv", INVOICES_HEADER + f"INV-1,C100,{issued},1.00\n")
    assert rejected(load("invoices", path)) == [
        (2, "issue_date", f"{issued} is out of range; expected a date from 1900-01-01 to 2100-12-31")
    ]


def test_the_range_holds_for_configured_formats_and_spreadsheet_dates(load, customers, tmp_path):
    options = Options(date_formats=("%d/%m/%Y",))
    path = write(
        tmp_path, "a.csv", "number,account_no,issue_date,due_date,amount\nINV-1,C100,01/01/2026,31/12/2100,1\n"
    )
    assert load("invoices", path, options).written
    path.write_text("number,account_no,issue_date,due_date,amount\nINV-2,C100,01/01/2026,01/01/2101,1\n")
    assert [r[:2] for r in rejected(load("invoices", path, options))] == [(2, "due_date")]
    book = openpyxl.Workbook()
    book.active.append(["number", "account_no", "issue_date", "amount"])
    book.active.append(["INV-3", "C100", date(1899, 12, 30), 5])
    book.save(tmp_path / "a.xlsx")
    assert [r[:2] for r in rejected(load("invoices", tmp_path / "a.xlsx"))] == [(2, "issue_date")]


@pytest.mark.parametrize("issued", ["\u0660\u0661/\u0660\u0662/\u0662\u0660\u0662\u0666", "\uff10\uff11/02/2026"])
def test_non_ascii_digits_in_a_date_are_refused(load, customers, tmp_path, issued):
    # strptime's %d reads any Unicode digit: the check comes first
    path = write(tmp_path, "a.csv", INVOICES_HEADER + f"INV-1,C100,{issued},1.00\n")
    [(line, field, reason)] = rejected(load("invoices", path, Options(date_formats=("%d/%m/%Y",))))
    assert (line, field) == (2, "issue_date") and "non-ASCII digit" in reason and "expected the digits 0-9" in reason


# ---- columns ----------------------------------------------------------------------------------


def test_two_columns_of_the_same_name_are_refused_naming_both(load, customers, tmp_path):
    path = write(tmp_path, "a.csv", "number,account_no,issue_date,amount,Amount\nINV-1,C100,2026-11-01,1.00,100.00\n")
    with pytest.raises(ImportFileError) as refused:
        load("invoices", path)
    assert str(refused.value) == (
        f"{path}:1: columns 'amount' (column 4) and 'Amount' (column 5) both hold amount; "
        "rename one, or name the one to import in a --mapping file"
    )


def test_two_usual_headers_of_one_field_are_refused_until_the_mapping_chooses(ctx, load, customers, tmp_path):
    path = write(
        tmp_path, "a.csv", "Invoice No,Account,Invoice Date,Date,Total\nINV-1,C100,2026-11-01,2026-11-05,1.00\n"
    )
    with pytest.raises(ImportFileError, match="columns 'Invoice Date' \\(column 3\\) and 'Date' \\(column 4\\) both"):
        load("invoices", path)
    mapping = write(tmp_path, "m.toml", '[columns]\nissue_date = "Invoice Date"\n')
    assert load("invoices", path, load_mapping(mapping)).written
    assert rows(ctx, "SELECT issue_date FROM invoices") == [("2026-11-01",)]


def test_a_field_own_name_wins_over_a_usual_header(ctx, load, customers, tmp_path):
    path = write(tmp_path, "a.csv", "number,account_no,issue_date,Total,amount\nINV-1,C100,2026-11-01,9.00,1.00\n")
    assert load("invoices", path).written
    assert rows(ctx, "SELECT amount_cents FROM invoices") == [(100,)]


def test_a_spreadsheet_names_the_header_row_it_found(load, customers, tmp_path):
    book = openpyxl.Workbook()
    book.active.append([])
    book.active.append([])
    book.active.append(["number", "number", "account_no", "issue_date", "amount"])
    book.save(tmp_path / "a.xlsx")
    with pytest.raises(ImportFileError, match=r"a.xlsx:3: columns 'number' \(column 1\) and 'number' \(column 2\)"):
        load("invoices", tmp_path / "a.xlsx")


# ---- encodings --------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-7", "utf-16", "utf-32", "UTF7", "cp037"])
def test_a_mapping_naming_an_encoding_that_is_not_ascii_compatible_is_refused(tmp_path, encoding):
    mapping = write(tmp_path, "m.toml", f'encoding = "{encoding}"\n')
    with pytest.raises(ImportFileError) as refused:
        load_mapping(mapping)
    assert str(refused.value) == (
        f"{mapping}: encoding {encoding!r} is not an ASCII-compatible encoding; expected one of "
        "utf-8, utf-8-sig, ascii, latin-1, iso-8859-15, cp1252, cp850, mac-roman"
    )


def test_an_unknown_encoding_is_refused_too(tmp_path):
    with pytest.raises(ImportFileError, match="encoding 'klingon' is not an encoding Python knows; expected one of"):
        load_mapping(write(tmp_path, "m.toml", 'encoding = "klingon"\n'))


def test_an_accepted_encoding_reads_the_file(ctx, load, customers, tmp_path):
    path = write(tmp_path, "a.csv", INVOICES_HEADER + "INV-\u00e9,C100,2026-11-01,1.00\n", encoding="cp1252")
    assert load("invoices", path, load_mapping(write(tmp_path, "m.toml", 'encoding = "windows-1252"\n'))).written
    assert rows(ctx, "SELECT number FROM invoices") == [("INV-\u00e9",)]


@pytest.mark.parametrize(
    "declaration, content_encoding",
    [
        ('<?xml version="1.0" encoding="utf-7"?>', "ascii"),
        ("<?xml version='1.0' encoding='UTF-16'?>", "utf-16"),
        ('<?xml version="1.0"?>', "utf-16"),  # no declaration needed: the bytes say UTF-16
    ],
)
def test_a_statement_in_an_encoding_that_is_not_ascii_compatible_is_refused(
    load, tmp_path, declaration, content_encoding
):
    path = tmp_path / "s.xml"
    path.write_bytes(
        f'{declaration}\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"/>\n'.encode(content_encoding)
    )
    with pytest.raises(ImportFileError, match=r"s.xml:1: encoding '(utf-7|UTF-16|utf-16)' is not an ASCII-compatible"):
        load("camt053", path)


# ---- a minified statement -------------------------------------------------------------------


def test_two_entries_sharing_a_reference_on_one_line_are_two_receipts_not_a_database_error(
    ctx, load, customers, tmp_path
):
    # issue 11: a bank reference shared by two entries does not key them (bank_keys.receipt_key)
    entry = (
        "<Ntry><Amt Ccy='USD'>{}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>"
        "<BookgDt><Dt>2026-11-20</Dt></BookgDt><AcctSvcrRef>SAME-REF</AcctSvcrRef></Ntry>"
    )
    path = write(
        tmp_path,
        "s.xml",
        '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">'
        f"<BkToCstmrStmt><Stmt>{ACCOUNT}{entry.format('10.00')}{entry.format('20.00')}</Stmt></BkToCstmrStmt>"
        "</Document>",
    )
    assert rejected(load("camt053", path)) == []
    assert rows(ctx, "SELECT amount_cents FROM payments ORDER BY id") == [(1_000,), (2_000,)]


def test_two_records_of_one_line_under_one_key_are_named_not_a_database_error(ctx, importers, tmp_path):
    def parse(path, options):
        yield Record(
            str(path), 1, {"bank_ref": "R1", "amount": "10.00", "received_date": "2026-11-20", "method": "ach"}
        )
        yield Record(
            str(path), 1, {"bank_ref": "R1", "amount": "20.00", "received_date": "2026-11-20", "method": "ach"}
        )
        yield Record(str(path), 1, {"bank_ref": "R2", "amount": "5.00", "received_date": "2026-11-20", "method": "ach"})
        yield Record(str(path), 1, {"bank_ref": "R2", "amount": "5.00", "received_date": "2026-11-20", "method": "ach"})

    report = run_import(ctx, replace(importers["payments"], parse=parse), tmp_path / "x.xml")
    assert [(r.line, r.field, r.reason) for r in report.rejected] == [
        (1, "bank_ref", "R1 is also earlier on this line with other values")
    ]
    assert report.repeated == 1  # R2 twice, the same: taken once
    assert rows(ctx, "SELECT count(*) FROM payments") == [(0,)]


@pytest.mark.parametrize("terms", ["9223372036854775808", "3651", "\u0663\u0660"])
def test_payment_terms_are_a_number_of_days_that_fits_a_date(ctx, load, tmp_path, terms):
    path = write(tmp_path, "c.csv", f"account_no,name,terms_days\nC1,Fine Ltd,{terms}\n")
    [(line, field, reason)] = rejected(load("customers", path))
    assert (line, field) == (2, "terms_days") and reason.endswith("is not a whole number of days from 0 to 3650")
    assert rows(ctx, "SELECT count(*) FROM customers") == [(0,)]


def test_a_value_the_database_refuses_after_all_is_one_line_and_writes_nothing(ctx, importers, tmp_path, monkeypatch):
    """A last line of defence: should an importer hand over a value the checks let through
    and SQLite refuses, the file is refused in one line, not with a traceback."""

    def parse(path, options):
        yield Record(str(path), 1, {"account_no": "C1", "name": "Fine Ltd"})
        yield Record(str(path), 2, {"account_no": "C2", "name": "Also Fine", "owner": "nobody"})

    original = Lookups.__init__

    def lenient(self, ctx):  # the checks believe in a collector the database does not hold
        original(self, ctx)
        self.collectors = {"nobody"}

    monkeypatch.setattr(Lookups, "__init__", lenient)
    if not is_postgresql(ctx.db):  # PostgreSQL always checks them
        ctx.db.execute("PRAGMA foreign_keys = ON")
    refused = (
        r"x.csv: refused by the database \((FOREIGN KEY constraint failed|.* violates foreign key constraint .*)\)"
    )
    with pytest.raises(ImportFileError, match=refused):
        run_import(ctx, replace(importers["customers"], parse=parse), tmp_path / "x.csv")
    assert rows(ctx, "SELECT count(*) FROM customers") == [(0,)]
