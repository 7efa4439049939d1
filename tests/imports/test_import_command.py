"""``arctui import`` as a collector runs it, and a team's own importer from a plugins folder."""

from pathlib import Path

from click.testing import CliRunner

from arctui.cli import cli
from arctui.store.read.book import path_of

from .conftest import DATA, rows

TEAM_PLUGINS = Path(__file__).parents[2] / "examples" / "team-plugins"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_import_prints_counts_then_rejects_a_bad_file_naming_each_line(ctx, tmp_path):
    db = path_of(ctx.db)
    result = run("import", "customers", DATA / "customers.csv", "--db", db)
    assert result.exit_code == 0, result.output
    assert "imported: 3 accepted, 3 new, 0 updated, 0 unchanged" in result.stdout

    result = run("import", "invoices", DATA / "invoices_bad.csv", "--db", db)
    assert result.exit_code == 1
    assert f"rejected {DATA / 'invoices_bad.csv'}:3: issue_date: '2026-13-01' is not a date" in result.stderr
    assert "4 lines rejected; nothing written" in result.stdout
    assert rows(ctx, "SELECT count(*) FROM invoices") == [(0,)]


def test_import_dry_run_and_receipts(ctx, tmp_path):
    db = path_of(ctx.db)
    run("import", "customers", DATA / "customers.csv", "--db", db)
    result = run("import", "invoices", DATA / "invoices.csv", "--db", db, "--dry-run")
    assert "dry run, nothing written: 6 accepted, 6 new" in result.stdout
    assert rows(ctx, "SELECT count(*) FROM invoices") == [(0,)]

    run("import", "invoices", DATA / "invoices.csv", "--db", db)
    result = run("import", "bai2", DATA / "statement.bai2", "--db", db)
    assert result.exit_code == 0, result.output
    assert "receipt 123456789/bank:WIRE001: $1,200.00 applied $1,200.00" in result.stdout
    assert "receipt 123456789/bank:ACH0002: $500.00 applied $300.00, $200.00 unapplied" in result.stdout
    assert "receipt 123456789/bank:CHK0003: $750.00 unapplied, left for a collector" in result.stdout


def test_an_unknown_kind_lists_the_known_ones(ctx):
    db = path_of(ctx.db)
    result = run("import", "orders", DATA / "invoices.csv", "--db", db)
    assert result.exit_code == 2
    assert "no importer 'orders'; known:" in result.output
    assert "  camt053        *.xml                    receipts from an ISO 20022 camt.053" in result.output
    for kind in ("bai2", "contacts", "customers", "invoices", "payments"):
        assert f"\n  {kind} " in result.output


def acme_line(account, number, issue, due, amount, open_amount, currency="USD"):
    return f"D {account:<10}{number:<12}{issue} {due} {amount:>14} {open_amount:>14}  {currency}"


def test_a_team_importer_from_a_plugins_folder_needs_no_change_to_the_core(ctx, tmp_path):
    db = path_of(ctx.db)
    run("import", "customers", DATA / "customers.csv", "--db", db)
    export = tmp_path / "OPITEMS.TXT"
    export.write_text(
        "\n".join(
            [
                "H ACME-ERP OPITEMS 20261120",
                acme_line("C100", "AC-000123", "01092026", "01102026", "1234.56", "1234.56"),
                acme_line("C300", "AC-000124", "15092026", "15102026", "200.00-", "200.00-", "   "),
                "T 000002",
            ]
        )
        + "\n",
        encoding="latin-1",
    )

    # the export carries credit notes as negative lines: refused until the mapping says so
    result = run("--plugins-dir", TEAM_PLUGINS, "import", "acme-invoices", export, "--db", db)
    assert result.exit_code == 1
    assert f"{export}:3: amount: -€200.00 is negative; expected more than zero" in result.stderr
    mapping = tmp_path / "acme.toml"
    mapping.write_text("credit_notes = true\n")
    result = run("--plugins-dir", TEAM_PLUGINS, "import", "acme-invoices", export, "--db", db, "--mapping", mapping)
    assert result.exit_code == 0, result.output
    assert "imported: 2 accepted, 2 new" in result.stdout
    assert rows(
        ctx, "SELECT number, issue_date, due_date, currency, amount_cents, open_cents FROM invoices ORDER BY number"
    ) == [
        ("AC-000123", "2026-09-01", "2026-10-01", "USD", 123_456, 123_456),
        ("AC-000124", "2026-09-15", "2026-10-15", "EUR", -20_000, -20_000),
    ]

    export.write_text(export.read_text().replace("01092026", "31022026").replace("T 000002", "T 000002\nX stray line"))
    result = run("--plugins-dir", TEAM_PLUGINS, "import", "acme-invoices", export, "--db", db, "--mapping", mapping)
    assert result.exit_code == 1
    assert f"{export}:2: issue_date: '2026-02-31' is not a date" in result.stderr
    assert f"{export}:5: line: record type 'X'; expected H, D or T" in result.stderr


def said(result):
    """What the import said on stderr, without its progress bar."""
    return [line for line in result.stderr.splitlines() if not line.startswith("importing ")]


def test_one_wrong_date_format_over_2466_lines_is_said_once_with_the_setting_that_reads_them(ctx, tmp_path):
    """issue 11: the importer's messages are summarised by cause, with the first line numbers."""
    db = path_of(ctx.db)
    run("import", "customers", DATA / "customers.csv", "--db", db)
    export = tmp_path / "ar.csv"
    lines = [f"INV-{n},C100,{1 + n % 12}/{1 + n % 28}/2013,10.00" for n in range(2466)]
    export.write_text("number,account_no,issue_date,amount\n" + "\n".join(lines) + "\n")

    result = run("import", "invoices", export, "--db", db)
    assert result.exit_code == 1
    assert said(result) == [
        f"rejected {export}: 2,466 lines: issue_date '1/1/2013' is not a date; set date_formats = ['%m/%d/%Y'] "
        "(lines 2, 3, 4, 5, 6 and 2,461 more)"
    ]
    assert f"{export}: 2,466 lines rejected; nothing written" in result.stdout
    assert rows(ctx, "SELECT count(*) FROM invoices") == [(0,)]

    mapping = tmp_path / "m.toml"
    mapping.write_text("date_formats = ['%m/%d/%Y']\n")
    result = run("import", "invoices", export, "--db", db, "--mapping", mapping)
    assert result.exit_code == 0, result.output
    assert "imported: 2466 accepted, 2466 new" in result.stdout


def test_causes_are_said_apart_and_a_cause_of_one_line_as_before(ctx, tmp_path):
    db = path_of(ctx.db)
    run("import", "customers", DATA / "customers.csv", "--db", db)
    export = tmp_path / "ar.csv"
    export.write_text(
        "number,account_no,issue_date,amount\n"
        "INV-1,C100,1/2/2013,10.00\n"
        "INV-2,C999,2013-01-02,10.00\n"
        "INV-3,C100,3/4/2013,10.00\n"
        "INV-4,C998,2013-01-02,10.00\n"
        "INV-5,C100,2013-01-02,1.2.3\n"
    )
    result = run("import", "invoices", export, "--db", db)
    assert result.exit_code == 1
    assert said(result) == [
        # 1/2/2013 and 3/4/2013 read either way: both settings named, the collector says which
        f"rejected {export}: 2 lines: issue_date '1/2/2013' is not a date; set date_formats = ['%m/%d/%Y'] "
        "(the dates read as '%m/%d/%Y' or '%d/%m/%Y': say which) (lines 2, 4)",
        f"rejected {export}: 2 lines: account_no no customer 'C999'; import the customers first (lines 3, 5)",
        f"rejected {export}:6: amount: " + result.stderr.split(f"{export}:6: amount: ")[1].splitlines()[0],
    ]


def test_a_customer_listed_once_per_invoice_is_taken_once(ctx, tmp_path):
    db = path_of(ctx.db)
    export = tmp_path / "ar.csv"
    export.write_text("account_no,name\n" + "C1,Acme Ltd\n" * 50 + "C2,Bolt plc\n" * 50)
    result = run("import", "customers", export, "--db", db)
    assert result.exit_code == 0, result.output
    assert "imported: 2 accepted, 2 new, 0 updated, 0 unchanged; 98 repeated lines taken once" in result.stdout

    export.write_text("account_no,name\nC3,Cog Ltd\nC3,Cog Limited\n")
    result = run("import", "customers", export, "--db", db)
    assert result.exit_code == 1
    assert f"rejected {export}:3: account_no: C3 is also on line 2 with other values" in result.stderr
