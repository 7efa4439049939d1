"""Issue 10, the input side of items 4, 8, 9 and 10, end to end: hostile or careless input
files given to the installed ``arctui`` script, in a process of its own, on real files.

Every attack ends the same way: exit 1, one line naming the file, the line and the field
(or the setting) and what was expected, no traceback, no raw control character on the
terminal, and not one row written (the tables are counted before and after). The
invisible duplicates are the exception that proves the rule: they are no attack to refuse
but the same invoice, so they import as "unchanged"."""

import re
import shutil
import subprocess
import time
from datetime import date

import openpyxl
import pytest

from arctui.domain.plans import equal_schedule
from arctui.services import credit_memos, disputes, plans, promises
from arctui.services.accounts import credit_hold, escalate
from arctui.services.cash import record_payment
from arctui.services.context import Context, fixed_clock
from arctui.services.errors import InvalidInput
from arctui.services.touchpoints import log_touchpoint
from arctui.store.connection import connect
from tests.proof.book import TODAY, make_book, script_env

ARCTUI = shutil.which("arctui")
HOSTILE = "ACME\x1b]0;pwned\x07\x1b[2J Ltd"  # retitles a colleague's terminal, then clears it
TABLES = ("customers", "contacts", "invoices", "payments", "payment_applications", "email_outbox", "audit")
# C0 but newline, DEL, C1 and the bidi overrides, as bytes on a terminal
RAW = re.compile(rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")
INVOICES = "number,account_no,issue_date,amount\n"


def arctui(*args, **env) -> subprocess.CompletedProcess:
    return subprocess.run([ARCTUI, *map(str, args)], capture_output=True, env=script_env(**env), timeout=120)


def counts(path) -> dict:
    db = connect(path)
    try:
        return {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}
    finally:
        db.close()


@pytest.fixture
def book(tmp_path):
    """A book with accounts A0001 and A0002 (a contact each) and the invoice INV-0001001,
    imported the way an ERP export lands."""
    path = make_book(tmp_path / "book.db", collectors=2, customers=2, invoices_per_customer=1)
    first = tmp_path / "first.csv"
    first.write_text(INVOICES + "INV-0001001,A0001,2026-10-01,1500.00\n")
    assert arctui("import", "invoices", first, "--db", path).returncode == 0
    return path


def refused(run, before: dict, path, where: str) -> str:
    """Check the one-line refusal; return its line. ``where`` is what the line starts with
    after ``rejected `` or ``Error: `` (the file, its line and field)."""
    assert run.returncode == 1, run.stdout + run.stderr
    assert b"Traceback" not in run.stderr
    assert not RAW.findall(run.stdout + run.stderr), "a raw control character reached the terminal"
    lines = [
        line
        for line in run.stderr.decode().splitlines()
        if line.startswith(("rejected ", "Error: ")) or "Error" in line or "error" in line
    ]
    assert len(lines) == 1, run.stderr.decode()
    assert lines[0].removeprefix("rejected ").removeprefix("Error: ").startswith(where), lines[0]
    assert counts(path) == before, "something was written"
    return lines[0]


# ---- item 4 (input side): control characters --------------------------------------------------


def test_a_customer_name_with_terminal_escapes_is_refused_in_one_line_and_nothing_lands(book, tmp_path):
    file = tmp_path / "customers.csv"
    file.write_text(f"account_no,name\nA0100,Fine Ltd\nA0101,{HOSTILE}\n")
    before = counts(book)
    line = refused(arctui("import", "customers", file, "--db", book), before, book, f"{file}:3: name: ")
    assert line.endswith(
        r"'ACME\x1b]0;pwned\x07\x1b[2J Ltd' has a control character U+001B (ESC) at character 5;"
        " expected one line of text with no control characters"
    )


def test_a_bidi_override_in_a_spreadsheet_is_refused_too(book, tmp_path):
    file = tmp_path / "customers.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["account_no", "name"])
    workbook.active.append(["A0100", "Invoice \u202egnp.exe"])
    workbook.save(file)
    before = counts(book)
    line = refused(arctui("import", "customers", file, "--db", book), before, book, f"{file}:2: name: ")
    assert "bidirectional override U+202E (RIGHT-TO-LEFT OVERRIDE) at character 9" in line


def test_an_escape_in_a_bank_statement_remittance_is_refused(book, tmp_path):
    file = tmp_path / "statement.bai2"
    file.write_text(
        "01,1,2,261120,0800,1,,,2/\n02,2,1,1,261120,0800,USD,2/\n03,123,USD/\n"
        "16,165,100,0,ACH1,,INV-0001001 \x1b[2J/\n49,100,3/\n98,100,1,5/\n99,100,1,7/\n",
        encoding="latin-1",
    )
    before = counts(book)
    line = refused(arctui("import", "bai2", file, "--db", book), before, book, f"{file}:4: remittance: ")
    assert "U+001B (ESC)" in line


def test_a_collector_name_with_escapes_is_refused_by_the_cli_as_by_the_forms(book):
    before = counts(book)
    run = arctui("team", "save", "w01", "--name", "Eve\x1b]0;pwned\x07", "--db", book)
    line = refused(run, before, book, "name: ")
    assert line.endswith(
        "has a control character U+001B (ESC) at character 4; expected one line of text with no control characters"
    )


def worked(path):
    db = connect(path)
    return db, Context(db, "w01", fixed_clock(TODAY))


@pytest.mark.parametrize(
    "action",
    [
        lambda ctx: log_touchpoint(ctx, 1, "call", "PTP", note="pay Friday\x1b[2J"),
        lambda ctx: promises.record_promise(ctx, 1, 1_000, date(2026, 11, 30), note="\x9b31m"),
        lambda ctx: disputes.open_dispute(ctx, 1, 1_000, "pricing", note="x\u202ey"),
        lambda ctx: credit_memos.prepare_memo(ctx, 1, 1_000, "PRICE", "4000", invoice_id=1, note="\x07"),
        lambda ctx: credit_memos.prepare_memo(ctx, 1, 1_000, "PRICE\x1b", "4000", invoice_id=1),
        lambda ctx: credit_hold(ctx, 1, 1, note="hold\x1b]0;x\x07"),
        lambda ctx: escalate(ctx, 1, "management", note="\x00", version=1),
        lambda ctx: record_payment(ctx, 1_000, TODAY, "ach", bank_ref="R\x1b1"),
        lambda ctx: record_payment(ctx, 1_000, TODAY, "ach", remittance="INV\x1b[2J"),
        lambda ctx: plans.create_plan(
            ctx, 1, 1_000, equal_schedule(1_000, 2, date(2026, 12, 1), "monthly"), "monthly", note="\x1b"
        ),
    ],
)
def test_every_service_text_field_refuses_control_characters(book, action):
    """The console's forms and the CLI call these services: what they refuse, every path refuses."""
    before = counts(book)
    db, ctx = worked(book)
    try:
        with pytest.raises(InvalidInput, match=r"control character|bidirectional override"):
            action(ctx)
    finally:
        db.close()
    assert counts(book) == before


def test_a_note_keeps_its_lines_and_tabs(book):
    db, ctx = worked(book)
    try:
        touchpoint = log_touchpoint(ctx, 1, "call", "PTP", note="  pay Friday\r\n\tby wire  ")
        assert db.execute("SELECT note FROM touchpoints WHERE id = ?", [touchpoint]).fetchone()[0] == (
            "pay Friday\n\tby wire"
        )
    finally:
        db.close()


def test_a_bank_reference_typed_with_an_invisible_character_is_the_imported_one(book, tmp_path):
    file = tmp_path / "payments.csv"
    file.write_text("bank_ref,amount,received_date,method\nWIRE-77,10.00,2026-11-20,wire\n")
    assert arctui("import", "payments", file, "--db", book).returncode == 0
    db, ctx = worked(book)
    try:
        with pytest.raises(InvalidInput, match="bank reference: WIRE-77 is already recorded"):
            record_payment(ctx, 1_000, TODAY, "wire", bank_ref="WIRE\u201177\u200b")
        assert db.execute("SELECT bank_ref FROM payments").fetchall() == [("WIRE-77",)]
    finally:
        db.close()


# ---- item 9: invisible duplicates -------------------------------------------------------------


@pytest.mark.parametrize(
    "number", ["INV-0001001\u200b", "INV\u20100001001", "INV-0001001\x00", "\ufeffINV-0001001", "INV\u20130001001"]
)
def test_an_invoice_number_with_an_invisible_difference_is_the_same_invoice(book, tmp_path, number):
    file = tmp_path / "again.csv"
    file.write_text(INVOICES + f"{number},A0001,2026-10-01,1500.00\n")
    before = counts(book)
    run = arctui("import", "invoices", file, "--db", book)
    assert run.returncode == 0, run.stderr
    assert b"1 accepted, 0 new, 0 updated, 1 unchanged" in run.stdout
    assert counts(book) == before
    db = connect(book)
    assert db.execute("SELECT number FROM invoices WHERE number LIKE 'INV-0001001%'").fetchall() == [("INV-0001001",)]
    db.close()


def test_two_lines_that_differ_invisibly_are_one_invoice_twice(book, tmp_path):
    file = tmp_path / "twice.csv"
    # issue 11: with the same values the second is the same record, taken once; with others, refused
    file.write_text(INVOICES + "INV-0002002,A0001,2026-10-01,1.00\nINV-0002002\u200b,A0001,2026-10-01,2.00\n")
    before = counts(book)
    line = refused(arctui("import", "invoices", file, "--db", book), before, book, f"{file}:3: number: ")
    assert line.endswith("INV-0002002 is also on line 2 with other values")


def test_an_account_number_typed_with_an_invisible_character_finds_the_account(book):
    run = arctui("email", "preview", "A0001\u200b", "first_reminder", "--db", book, "--today", TODAY)
    assert run.returncode == 0, run.stderr
    assert b"To: ap1@customer1.test" in run.stdout


# ---- item 8: one line, not a traceback --------------------------------------------------------


def test_an_amount_of_2_to_the_63_minor_units_is_one_line_with_the_bounds(book, tmp_path):
    file = tmp_path / "big.csv"
    file.write_text(INVOICES + f"INV-9,A0001,2026-10-01,{2**63}\n")
    before = counts(book)
    line = refused(arctui("import", "invoices", file, "--db", book), before, book, f"{file}:2: amount: ")
    assert line.endswith(
        "'9223372036854775808' is out of range; expected an amount between -9,999,999,999.99 and 9,999,999,999.99"
    )


def test_an_amount_of_2_to_the_63_in_a_bank_file_is_one_line_too(book, tmp_path):
    big = 2**63
    file = tmp_path / "big.bai2"
    file.write_text(
        "01,1,2,261120,0800,1,,,2/\n02,2,1,1,261120,0800,USD,2/\n03,123,USD/\n"
        f"16,165,{big},0,ACH1,,INV-0001001/\n49,{big},3/\n98,{big},1,5/\n99,{big},1,7/\n"
    )
    before = counts(book)
    refused(arctui("import", "bai2", file, "--db", book), before, book, f"{file}:4: amount: '{big}' is out of range")


def test_a_limit_of_2_to_the_63_typed_on_the_command_line_is_one_line(book):
    before = counts(book)
    line = refused(arctui("team", "target", "2026-11", str(2**63), "--db", book), before, book, "")
    assert "'9223372036854775808' is out of range" in line


def test_a_minified_statement_with_two_entries_sharing_a_reference_keeps_both_receipts(book, tmp_path):
    """Once an IntegrityError traceback; a reference two entries share is the payer's (or a
    careless bank's), not the key, so both are real cash (issue 11's keying rule)."""
    entry = (
        "<Ntry><Amt Ccy='USD'>{}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>"
        "<BookgDt><Dt>2026-11-20</Dt></BookgDt><AcctSvcrRef>SAME-REF</AcctSvcrRef>"
        "<NtryDtls><TxDtls><RmtInf><Ustrd>INV-0001001</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
    )
    file = tmp_path / "minified.xml"
    file.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">'
        "<BkToCstmrStmt><Stmt><Id>S-1</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id></Acct>"
        f"{entry.format('10.00')}{entry.format('20.00')}</Stmt></BkToCstmrStmt></Document>"
    )
    before = counts(book)
    for _ in range(2):  # and a second import of the same file adds nothing
        run = arctui("import", "camt053", file, "--db", book)
        assert run.returncode == 0, run.stderr
        assert b"Traceback" not in run.stderr
    assert counts(book)["payments"] == before["payments"] + 2
    db = connect(book)
    amounts = sorted(r[0] for r in db.execute("SELECT amount_cents FROM payments WHERE bank_ref LIKE 'DE89%'"))
    db.close()
    assert amounts == [1000, 2000]


def test_utf7_in_a_mapping_file_is_one_line_naming_the_accepted_encodings(book, tmp_path):
    file = tmp_path / "invoices.csv"
    file.write_text(INVOICES + "INV-9,A0001,2026-10-01,1.00\n")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('encoding = "utf-7"\n')
    before = counts(book)
    line = refused(arctui("import", "invoices", file, "--db", book, "--mapping", mapping), before, book, f"{mapping}: ")
    assert line.endswith(
        "encoding 'utf-7' is not an ASCII-compatible encoding; expected one of "
        "utf-8, utf-8-sig, ascii, latin-1, iso-8859-15, cp1252, cp850, mac-roman"
    )


def test_utf7_in_an_xml_declaration_is_one_line(book, tmp_path):
    file = tmp_path / "statement.xml"
    file.write_text(
        '<?xml version="1.0" encoding="utf-7"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"/>\n'
    )
    before = counts(book)
    refused(arctui("import", "camt053", file, "--db", book), before, book, f"{file}:1: encoding 'utf-7' is not")


@pytest.mark.parametrize(
    "body, says",
    [
        ("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}", "still rendering after 2"),
        ("{{ 'x' * 10**10 }}", "would be 10,000,000,000 characters long"),
        ("{% for i in range(99999) %}{{ customer.name * 100 }}{% endfor %}", "the body renders more than 200,000"),
        (
            "{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
            "namespace",
        ),
    ],
)
def test_a_template_that_loops_without_end_or_builds_a_huge_string_is_one_line(book, tmp_path, body, says):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "first_reminder.j2").write_text(f"Reminder\n{body}\n")
    before = counts(book)
    started = time.monotonic()
    run = arctui(
        "email", "preview", "A0001", "first_reminder", "--db", book, "--today", TODAY, ARCTUI_TEMPLATES_DIR=folder
    )
    assert time.monotonic() - started < 30
    line = refused(run, before, book, f"{folder / 'first_reminder.j2'}: ")
    assert says in line


# ---- item 10: amounts, dates, digits and columns ----------------------------------------------


@pytest.mark.parametrize(
    "amount, says",
    [
        ("0.00", "is zero; expected the invoice's amount, more than zero"),
        ("-250.00", "-$250.00 is negative; expected more than zero (a file of credit notes says so"),
        ("\u0661\u0665\u0660\u0660", "has the non-ASCII digit '\u0661'; expected the digits 0-9"),
        ("\uff11\uff15\uff10\uff10.00", "has the non-ASCII digit '\uff11'; expected the digits 0-9"),
    ],
)
def test_a_zero_negative_or_non_ascii_amount_is_refused(book, tmp_path, amount, says):
    file = tmp_path / "invoices.csv"
    file.write_text(INVOICES + "INV-0003003,A0001,2026-10-01,10.00\n" + f"INV-0003004,A0002,2026-10-01,{amount}\n")
    before = counts(book)
    line = refused(arctui("import", "invoices", file, "--db", book), before, book, f"{file}:3: amount: ")
    assert says in line


def test_credit_notes_are_taken_where_the_mapping_declares_them_and_booked_as_such(book, tmp_path):
    file = tmp_path / "invoices.csv"
    file.write_text(INVOICES + "INV-0003003,A0001,2026-10-01,10.00\nCN-0003004,A0001,2026-10-02,(250.00)\n")
    mapping = tmp_path / "credit_notes.toml"
    mapping.write_text("credit_notes = true\n")
    run = arctui("import", "invoices", file, "--db", book, "--mapping", mapping)
    assert run.returncode == 0, run.stderr
    assert b"imported: 2 accepted, 2 new, 0 updated, 0 unchanged; 1 of them credit notes" in run.stdout
    db = connect(book)
    try:
        assert db.execute("SELECT amount_cents, open_cents FROM invoices WHERE number = 'CN-0003004'").fetchall() == [
            (-25_000, -25_000)
        ]
    finally:
        db.close()


@pytest.mark.parametrize(
    "issued, says",
    [
        ("1899-12-31", "1899-12-31 is out of range; expected a date from 1900-01-01 to 2100-12-31"),
        ("2101-01-01", "2101-01-01 is out of range; expected a date from 1900-01-01 to 2100-12-31"),
        ("\u0662\u0660\u0662\u0666-10-01", "has the non-ASCII digit '\u0662'; expected the digits 0-9"),
    ],
)
def test_a_date_out_of_range_or_in_other_digits_is_refused(book, tmp_path, issued, says):
    file = tmp_path / "invoices.csv"
    file.write_text(INVOICES + f"INV-0003003,A0001,{issued},10.00\n")
    before = counts(book)
    line = refused(arctui("import", "invoices", file, "--db", book), before, book, f"{file}:2: issue_date: ")
    assert says in line


def test_a_file_with_two_columns_of_the_same_name_is_refused_naming_both(book, tmp_path):
    file = tmp_path / "invoices.csv"
    file.write_text("number,account_no,issue_date,amount,amount\nINV-0003003,A0001,2026-10-01,10.00,1000.00\n")
    before = counts(book)
    line = refused(arctui("import", "invoices", file, "--db", book), before, book, f"{file}:1: ")
    assert line.endswith(
        "columns 'amount' (column 4) and 'amount' (column 5) both hold amount; "
        "rename one, or name the one to import in a --mapping file"
    )
