"""Issue 11, ERP exports: hostile or careless mappings and files given to the installed
``arctui`` script, in a process of its own, on real files.

A constant from a mapping is checked as a cell is; a payment cannot name its way onto another
account's invoice, an invoice in another currency or an invoice that is not there; loading the
same receipts again applies nothing twice; a hostile value in a summarised message reaches the
terminal escaped; a mapping that is not what it should be is refused when read. Each refusal is
exit 1, one line per cause, no traceback, no raw control character, nothing written."""

import shutil
import subprocess

import pytest

from arctui.store.connection import connect
from tests.proof.book import make_book, script_env
from tests.proof.test_security_inputs import RAW, counts

ARCTUI = shutil.which("arctui")


def arctui(*args) -> subprocess.CompletedProcess:
    return subprocess.run([ARCTUI, *map(str, args)], capture_output=True, env=script_env(), timeout=120)


def said(run) -> list[str]:
    """What the import said on stderr, without its progress bar."""
    return [line for line in run.stderr.decode().splitlines() if not line.startswith("importing ")]


@pytest.fixture
def book(tmp_path, book_target):
    """Accounts A0001 and A0002 (USD), each with one open invoice of the book's own."""
    path = make_book(book_target, collectors=2, customers=2, invoices_per_customer=1)
    (tmp_path / "i.csv").write_text(
        "number,account_no,issue_date,amount\nINV-1,A0001,2026-10-01,1500.00\nINV-2,A0002,2026-10-01,700.00\n"
    )
    assert arctui("import", "invoices", tmp_path / "i.csv", "--db", path).returncode == 0
    return path


def refused(run, before, path) -> list[str]:
    assert run.returncode == 1, run.stdout + run.stderr
    assert b"Traceback" not in run.stderr
    assert not RAW.findall(run.stdout + run.stderr), "a raw control character reached the terminal"
    assert counts(path) == before, "something was written"
    return said(run)


def test_a_hostile_constant_is_refused_on_every_line_and_said_once_escaped(book, tmp_path):
    before = counts(book)
    mapping = tmp_path / "m.toml"
    mapping.write_text('[values]\nremittance = "paid \\u001b]0;pwned\\u0007\\u001b[2J"\nmethod = "ach"\n')
    receipts = tmp_path / "r.csv"
    receipts.write_text("bank_ref,amount,received_date\n" + "".join(f"R{n},1.00,2026-11-02\n" for n in range(50)))
    [line] = refused(arctui("import", "payments", receipts, "--db", book, "--mapping", mapping), before, book)
    assert line.startswith(f"rejected {receipts}: 50 lines: remittance ")
    assert "\\x1b" in line and line.endswith("(lines 2, 3, 4, 5, 6 and 45 more)")


@pytest.mark.parametrize(
    "line, why",
    [
        ("R1,A0001,INV-2,2026-11-02,10.00,ach", "'INV-2' is another account's invoice than 'A0001'"),
        ("R1,A0001,INV-404,2026-11-02,10.00,ach", "no invoice 'INV-404'; import the invoices first"),
        ("R1,,INV-1\u200b\x1b[2J,2026-11-02,10.00,ach", "has a control character U+001B (ESC)"),
    ],
)
def test_a_payment_cannot_name_its_way_onto_an_invoice_it_does_not_pay(book, tmp_path, line, why):
    before = counts(book)
    receipts = tmp_path / "r.csv"
    receipts.write_text("bank_ref,account_no,invoice_no,received_date,amount,method\n" + line + "\n")
    [message] = refused(arctui("import", "payments", receipts, "--db", book), before, book)
    assert message.startswith(f"rejected {receipts}:2: invoice_no: ") and why in message


def test_an_invoice_in_another_currency_is_not_paid_by_a_dollar_receipt(book, tmp_path):
    before = counts(book)
    receipts = tmp_path / "r.csv"
    receipts.write_text("bank_ref,invoice_no,received_date,amount,method,currency\nR1,INV-1,2026-11-02,10.00,ach,EUR\n")
    [message] = refused(arctui("import", "payments", receipts, "--db", book), before, book)
    assert message == f"rejected {receipts}:2: invoice_no: 'INV-1' is in USD, the payment in EUR"


def test_the_same_receipts_loaded_twice_are_applied_once_at_their_dates(book, tmp_path):
    receipts = tmp_path / "r.csv"
    receipts.write_text(
        "bank_ref,invoice_no,received_date,amount,method\n"
        "R1,INV-1,2026-11-02,1000.00,ach\nR2,INV-1,2026-11-09,900.00,ach\n"
        "R1,INV-1,2026-11-02,1000.00,ach\n"  # the same line twice in the export: taken once
    )
    first = arctui("import", "payments", receipts, "--db", book)
    assert first.returncode == 0, first.stderr
    assert b"1 repeated lines taken once" in first.stdout
    again = arctui("import", "payments", receipts, "--db", book)
    assert again.returncode == 0 and b"0 new, 0 updated, 2 unchanged" in again.stdout
    db = connect(book)
    try:
        assert db.execute(
            "SELECT p.bank_ref, a.amount_cents, a.applied_date FROM payment_applications a"
            " JOIN payments p ON p.id = a.payment_id ORDER BY 1"
        ).fetchall() == [("R1", 100_000, "2026-11-02"), ("R2", 50_000, "2026-11-09")]
        assert db.execute("SELECT open_cents, closed_date FROM invoices WHERE number = 'INV-1'").fetchall() == [
            (0, "2026-11-09")
        ]
        assert db.execute("SELECT unapplied_cents FROM payments WHERE bank_ref = 'R2'").fetchall() == [(40_000,)]
    finally:
        db.close()


@pytest.mark.parametrize(
    "text, why",
    [
        ('[values]\nmethod = ["ach", "wire"]\n', "values: method = ['ach', 'wire']; expected text"),
        ('[columns]\nmethod = "Type"\n[values]\nmethod = "ach"\n', "values: method is also named in [columns]"),
        ("[values]\nowner_login = 'root'\n", "values: 'owner_login' is not a field"),
        ("[columns]\nnumber = { evil = 1 }\n", "columns: number = {'evil': 1} is not a header (text)"),
    ],
)
def test_a_mapping_that_is_not_what_it_should_be_is_refused_when_read(book, tmp_path, text, why):
    before = counts(book)
    mapping = tmp_path / "m.toml"
    mapping.write_text(text)
    receipts = tmp_path / "r.csv"
    receipts.write_text("bank_ref,amount,received_date,method\nR1,1.00,2026-11-02,ach\n")
    run = arctui("import", "payments", receipts, "--db", book, "--mapping", mapping)
    assert run.returncode == 1 and b"Traceback" not in run.stderr
    assert counts(book) == before
    [line] = [line for line in said(run) if line.startswith("Error: ")]
    assert line == f"Error: {mapping}: {why}" or line.startswith(f"Error: {mapping}: {why}"), line
