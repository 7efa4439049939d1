"""``arctui import`` as a collector runs it, and a team's own importer from a plugins folder."""

from pathlib import Path

from click.testing import CliRunner

from arctui.cli import cli

from .conftest import DATA, rows

TEAM_PLUGINS = Path(__file__).parents[2] / "examples" / "team-plugins"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_import_prints_counts_then_rejects_a_bad_file_naming_each_line(ctx, tmp_path):
    db = ctx.db.conn.execute("PRAGMA database_list").fetchone()[2]
    result = run("import", "customers", DATA / "customers.csv", "--db", db)
    assert result.exit_code == 0, result.output
    assert "imported: 3 accepted, 3 new, 0 updated, 0 unchanged" in result.stdout

    result = run("import", "invoices", DATA / "invoices_bad.csv", "--db", db)
    assert result.exit_code == 1
    assert f"rejected {DATA / 'invoices_bad.csv'}:3: issue_date: '2026-13-01' is not a date" in result.stderr
    assert "4 lines rejected; nothing written" in result.stdout
    assert rows(ctx, "SELECT count(*) FROM invoices") == [(0,)]


def test_import_dry_run_and_receipts(ctx, tmp_path):
    db = ctx.db.conn.execute("PRAGMA database_list").fetchone()[2]
    run("import", "customers", DATA / "customers.csv", "--db", db)
    result = run("import", "invoices", DATA / "invoices.csv", "--db", db, "--dry-run")
    assert "dry run, nothing written: 6 accepted, 6 new" in result.stdout
    assert rows(ctx, "SELECT count(*) FROM invoices") == [(0,)]

    run("import", "invoices", DATA / "invoices.csv", "--db", db)
    result = run("import", "bai2", DATA / "statement.bai2", "--db", db)
    assert result.exit_code == 0, result.output
    assert "receipt WIRE001: $1,200.00 applied $1,200.00" in result.stdout
    assert "receipt ACH0002: $500.00 applied $300.00, $200.00 unapplied" in result.stdout
    assert "receipt CHK0003: $750.00 unapplied, left for a collector" in result.stdout


def test_an_unknown_kind_lists_the_known_ones(ctx):
    db = ctx.db.conn.execute("PRAGMA database_list").fetchone()[2]
    result = run("import", "orders", DATA / "invoices.csv", "--db", db)
    assert result.exit_code == 2
    assert "no importer 'orders'; known:" in result.output
    assert "  camt053        *.xml                    receipts from an ISO 20022 camt.053" in result.output
    for kind in ("bai2", "contacts", "customers", "invoices", "payments"):
        assert f"\n  {kind} " in result.output


def acme_line(account, number, issue, due, amount, open_amount, currency="USD"):
    return f"D {account:<10}{number:<12}{issue} {due} {amount:>14} {open_amount:>14}  {currency}"


def test_a_team_importer_from_a_plugins_folder_needs_no_change_to_the_core(ctx, tmp_path):
    db = ctx.db.conn.execute("PRAGMA database_list").fetchone()[2]
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
