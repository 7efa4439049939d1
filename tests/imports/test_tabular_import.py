"""CSV and XLSX imports: what lands in the database, all or nothing, and idempotency."""

from datetime import datetime

import openpyxl
import pytest

from arctui.services.imports import ImportFileError, Options, Rejected, load_mapping

from .conftest import DATA, rows


def test_customers_contacts_and_invoices_land_with_their_amounts_and_dates(ctx, load):
    assert load("customers", "customers.csv").inserted == 3
    assert load("contacts", "contacts.csv").inserted == 3
    report = load("invoices", "invoices.csv")

    assert (report.inserted, report.updated, report.rejected, report.written) == (6, 0, [], True)
    assert rows(
        ctx, "SELECT account_no, terms_days, currency, credit_limit_cents, status FROM customers ORDER BY id"
    ) == [
        ("C100", 30, "USD", 2_500_000, "active"),
        ("C200", 45, "USD", 1_000_000, "credit_hold"),
        ("C300", 30, "EUR", 500_000, "active"),
    ]
    assert rows(ctx, "SELECT name, email, is_primary FROM contacts ORDER BY id") == [
        ("Ann Able", "ann@acme.example", 1),
        ("Bob Baker", "bob@acme.example", 0),
        ("Cara Cole", None, 1),
    ]
    assert rows(
        ctx,
        "SELECT number, due_date, currency, amount_cents, open_cents, po_number, "
        "closed_date FROM invoices ORDER BY number",
    ) == [
        ("INV-1001", "2026-08-31", "USD", 120_000, 120_000, "PO-77", None),
        ("INV-1002", "2026-10-01", "USD", 250_050, 250_050, None, None),
        ("INV-1003", "2026-10-30", "USD", 80_000, 30_000, None, None),  # due = issue + 45 days
        ("INV-1004", "2026-10-31", "USD", 15_000, 15_000, None, None),
        ("INV-1005", "2026-11-09", "EUR", 300_000, 300_000, None, None),  # the account's currency
        ("INV-1006", "2026-07-31", "USD", 40_000, 0, None, "2026-11-23"),
    ]
    action, after = ctx.db.execute("SELECT action, after FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    assert action == "import.invoices" and '"inserted": 6' in after and "invoices.csv" in after


def test_a_second_import_changes_nothing_and_a_changed_open_amount_updates(ctx, load, tmp_path):
    load("customers", "customers.csv")
    load("invoices", "invoices.csv")
    audit_rows = rows(ctx, "SELECT count(*) FROM audit")

    again = load("invoices", "invoices.csv")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 6)
    assert rows(ctx, "SELECT count(*) FROM audit") == audit_rows  # nothing to record

    changed = tmp_path / "invoices.csv"
    changed.write_text((DATA / "invoices.csv").read_text().replace('"2,500.50","2,500.50"', '"2,500.50",0.00'))
    report = load("invoices", changed)
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 5)
    assert rows(ctx, "SELECT open_cents, closed_date, version, updated_by FROM invoices WHERE number = 'INV-1002'") == [
        (0, "2026-11-23", 2, "importer")
    ]
    before, after = ctx.db.execute("SELECT before, after FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    assert '"open_cents": 250050' in before and '"open_cents": 0' in after


def test_one_bad_line_rejects_the_file_and_every_bad_line_is_named(ctx, load):
    load("customers", "customers.csv")
    report = load("invoices", "invoices_bad.csv")

    file = str(DATA / "invoices_bad.csv")
    assert [(r.line, r.field) for r in report.rejected] == [
        (3, "issue_date"),
        (5, "account_no"),
        (6, "amount"),
        (7, "number"),
    ]
    assert all(r.file == file for r in report.rejected)
    assert "'2026-13-01' is not a date" in report.rejected[0].reason
    assert "no customer 'C999'" in report.rejected[1].reason
    assert "INV-2001 is also on line 2 with other values" in report.rejected[3].reason
    assert not report.written
    assert rows(ctx, "SELECT count(*) FROM invoices") == [(0,)]
    assert rows(ctx, "SELECT count(*) FROM audit WHERE action = 'import.invoices'") == [(0,)]


def test_dry_run_reports_what_would_happen_and_writes_nothing(ctx, load):
    load("customers", "customers.csv")
    report = load("invoices", "invoices.csv", dry_run=True)
    assert (report.inserted, report.rejected, report.written) == (6, [], False)
    assert rows(ctx, "SELECT count(*) FROM invoices") == [(0,)]


def test_utf8_with_bom_and_latin1_files_read_as_written(ctx, load):
    assert load("customers", "customers_latin1.csv").inserted == 2
    assert rows(ctx, "SELECT name, region FROM customers ORDER BY id") == [
        ("Müller & Söhne", "DACH"),
        ("Société Générale du Café", "FR"),
    ]
    load("customers", "customers.csv")
    report = load("invoices", "invoices_bom.csv")  # first header only matches without the BOM
    assert report.inserted == 1
    assert rows(ctx, "SELECT number, due_date, amount_cents FROM invoices") == [("INV-3001", "2026-10-31", 9_995)]


def test_a_mapping_file_reads_an_erp_export_without_code(ctx, load):
    load("customers", "customers.csv")
    report = load("invoices", "invoices_de.csv", load_mapping(DATA / "mapping_de.toml"))
    assert report.rejected == [] and report.inserted == 2
    assert rows(ctx, "SELECT number, issue_date, due_date, amount_cents, open_cents FROM invoices ORDER BY number") == [
        ("RE-5001", "2026-09-01", "2026-10-01", 123_456, 123_456),
        ("RE-5002", "2026-09-15", "2026-10-15", -9_990, 0),
    ]


def test_without_the_mapping_the_missing_columns_are_named(ctx, load):
    load("customers", "customers.csv")
    with pytest.raises(
        ImportFileError,
        match=r"invoices_de.csv:1: no column for number, "
        r"account_no, issue_date, amount .*--mapping",
    ):
        load("invoices", "invoices_de.csv")


def test_xlsx_with_typed_cells(ctx, load, tmp_path):
    load("customers", "customers.csv")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Invoice Number", "Customer", "Invoice Date", "Due", "Amount", "Balance"])
    sheet.append(["X-1", "C100", datetime(2026, 10, 1), datetime(2026, 10, 31), 1234.56, 1234.56])
    sheet.append(["X-2", "C200", datetime(2026, 10, 2), None, 80, 0.1])
    sheet.append([None, None, None, None, None, None])
    path = tmp_path / "open_items.xlsx"
    book.save(path)

    report = load("invoices", path)
    assert report.rejected == [] and report.inserted == 2
    assert rows(ctx, "SELECT number, issue_date, due_date, amount_cents, open_cents FROM invoices ORDER BY number") == [
        ("X-1", "2026-10-01", "2026-10-31", 123_456, 123_456),
        ("X-2", "2026-10-02", "2026-11-16", 8_000, 10),
    ]


def test_xlsx_bad_cell_names_its_row(ctx, load, tmp_path):
    load("customers", "customers.csv")
    book = openpyxl.Workbook()
    book.active.append(["number", "account_no", "issue_date", "amount"])
    book.active.append(["X-1", "C100", "2026-10-01", "12"])
    book.active.append(["X-2", "C100", "someday", "12"])
    path = tmp_path / "bad.xlsx"
    book.save(path)
    report = load("invoices", path)
    assert report.rejected == [Rejected(str(path), 3, "issue_date", "'someday' is not a date; expected YYYY-MM-DD")]


def test_payments_csv_lands_with_its_unapplied_cash(ctx, load):
    load("customers", "customers.csv")
    report = load("payments", "payments.csv")
    assert report.inserted == 2 and report.receipts == []  # an ERP's payments: no cash applied
    assert rows(
        ctx,
        "SELECT bank_ref, customer_id IS NOT NULL, amount_cents, unapplied_cents, "
        "method, remittance FROM payments ORDER BY id",
    ) == [
        ("LBX-1", 1, 100_000, 0, "check", "lockbox batch 12"),
        ("LBX-2", 0, 25_000, 25_000, "ach", "unknown payer"),
    ]


def test_options_currency_and_decimal_comma_apply_to_plain_amounts(ctx, load, tmp_path):
    path = tmp_path / "customers.csv"
    path.write_text("account_no;name;credit_limit\nK1;Kunde Eins;12.500,00\n")
    load("customers", path, Options(decimal_comma=True, currency="EUR"))
    assert rows(ctx, "SELECT credit_limit_cents FROM customers") == [(1_250_000,)]


def test_contacts_are_keyed_by_email_and_a_missing_column_is_never_cleared(ctx, load, tmp_path):
    load("customers", "customers.csv")
    load("contacts", "contacts.csv")
    changed = tmp_path / "contacts.csv"
    changed.write_text(
        "account_no,name,email\n"
        "C100,Ann Able-Smith,ANN@acme.example\n"  # same contact, renamed
        "C200,Dan Dale,dan@birch.example\n"
    )
    report = load("contacts", changed)
    assert (report.inserted, report.updated, report.unchanged) == (1, 1, 0)
    assert rows(ctx, "SELECT name, email, phone, role FROM contacts WHERE customer_id = 1 ORDER BY id") == [
        ("Ann Able-Smith", "ANN@acme.example", "555-0100", "AP clerk"),  # phone, role kept
        ("Bob Baker", "bob@acme.example", None, "Controller"),
    ]


def test_customer_fields_are_checked(ctx, load, tmp_path):
    path = tmp_path / "customers.csv"
    path.write_text(
        "account_no,name,status,owner,terms_days,currency\n"
        "K1,One,closed,,30,USD\n"
        "K2,Two,active,nobody,30,USD\n"
        "K3,Three,active,,net 30,USD\n"
        "K4,Four,active,,30,dollars\n"
        "K5,,active,,30,USD\n"
    )
    report = load("customers", path)
    assert [(r.line, r.field) for r in report.rejected] == [
        (2, "status"),
        (3, "owner"),
        (4, "terms_days"),
        (5, "currency"),
        (6, "name"),
    ]
    assert "'closed' is not one of active, credit_hold" in report.rejected[0].reason
    assert report.rejected[4].reason == "is required"
    assert rows(ctx, "SELECT count(*) FROM customers") == [(0,)]


def test_a_bad_mapping_file_is_refused_by_name(tmp_path):
    mapping = tmp_path / "m.toml"
    mapping.write_text("decimal_coma = true\n")
    with pytest.raises(
        ImportFileError,
        match=r"m.toml: unknown setting decimal_coma; expected "
        r"columns, credit_notes, currency",
    ):
        load_mapping(mapping)


def test_the_mapping_currency_is_new_customers_and_never_overwrites_an_account(ctx, load, tmp_path):
    load("customers", "customers.csv")
    mapping = tmp_path / "eur.toml"
    mapping.write_text('currency = "eur"\n')
    path = tmp_path / "new.csv"
    path.write_text('account_no,name,credit_limit\nK9,Neu GmbH,"€1,000.00"\n')
    load("customers", path, load_mapping(mapping))
    load("customers", "customers_latin1.csv")  # no currency column, no mapping: USD
    assert rows(
        ctx,
        "SELECT account_no, currency, credit_limit_cents FROM customers WHERE account_no IN ('K9', 'C400') ORDER BY id",
    ) == [("K9", "EUR", 100_000), ("C400", "USD", None)]
    assert load("customers", "customers.csv").unchanged == 3


def test_a_file_that_cannot_be_read_is_refused_by_name_and_a_failing_progress_display_is_not(ctx, load, tmp_path):
    gone = tmp_path / "gone.csv"
    with pytest.raises(ImportFileError, match=rf"^{gone}: cannot read: No such file or directory$"):
        load("customers", gone)

    def broken_display(line):
        raise BrokenPipeError(32, "Broken pipe")

    big = tmp_path / "big.csv"
    big.write_text("account_no,name\n" + "".join(f"K{i},Customer {i}\n" for i in range(10_000)))
    with pytest.raises(BrokenPipeError):  # the display's fault, not the file's
        load("customers", big, progress=broken_display)
    assert rows(ctx, "SELECT count(*) FROM customers") == [(0,)]


@pytest.mark.parametrize(
    "text, message",
    [
        ('[values]\nmethd = "ach"\n', r"values: 'methd' is not a field; expected one of account_no, "),
        ("[values]\nmethod = true\n", r"values: method = True; expected text, as a file's cell holds it"),
        ('[values]\nmethod = ["ach"]\n', r"values: method = \['ach'\]; expected text"),
        ('[columns]\nmethod = "Type"\n[values]\nmethod = "ach"\n', r"values: method is also named in \[columns\]"),
        ('values = "ach"\n', r"values: expected a \[values\] table of field = ..., got 'ach'"),
        ("[columns]\nnumber = 7\n", r"columns: number = 7 is not a header \(text\)"),
        ('date_formats = ["dd/mm/yyyy"]\n', r"date_formats: 'dd/mm/yyyy' is not a strptime format"),
    ],
)
def test_a_mapping_with_values_is_checked_when_read(tmp_path, text, message):
    mapping = tmp_path / "m.toml"
    mapping.write_text(text)
    with pytest.raises(ImportFileError, match=message):
        load_mapping(mapping)


def test_values_give_every_line_a_constant_and_win_over_a_usual_header(ctx, load, tmp_path):
    """issue 11: a file with no method column (and one whose "Type" is something else)."""
    mapping = tmp_path / "m.toml"
    mapping.write_text('[values]\nmethod = "ach"\ncurrency = "EUR"\nregion = "EMEA"\n')
    options = load_mapping(mapping)
    assert options.values_for("payments") == {"method": "ach", "currency": "EUR"}
    path = tmp_path / "p.csv"
    path.write_text("Reference,Amount,Received,Type\nR-1,10.00,2026-11-02,invoice\nR-2,5.00,2026-11-03,invoice\n")
    report = load("payments", path, options)
    assert report.rejected == [] and report.inserted == 2
    assert rows(ctx, "SELECT bank_ref, method, currency, amount_cents FROM payments ORDER BY 1") == [
        ("R-1", "ach", "EUR", 1_000),
        ("R-2", "ach", "EUR", 500),
    ]
    customers = tmp_path / "c.csv"
    customers.write_text("account_no,name\nK1,Kay\n")
    assert load("customers", customers, options).written
    assert rows(ctx, "SELECT region, currency FROM customers") == [("EMEA", "EUR")]

    # without the constant the missing column is named, with the way out
    with pytest.raises(
        ImportFileError, match=r"no column for method .*\[columns\] of a --mapping file, or .*\[values\]"
    ):
        load("payments", tmp_path / "p.csv", Options(columns={"type": "remittance"}))


def test_a_constant_is_checked_as_a_cell_is(ctx, load, tmp_path):
    mapping = tmp_path / "m.toml"
    mapping.write_text('[values]\nmethod = "pigeon"\n')
    path = tmp_path / "p.csv"
    path.write_text("bank_ref,amount,received_date\nR-1,10.00,2026-11-02\n")
    report = load("payments", path, load_mapping(mapping))
    assert [(r.line, r.field) for r in report.rejected] == [(2, "method")]
    assert "'pigeon' is not one of" in report.rejected[0].reason
