"""``arctui backup DEST``: consistent while three collectors write, group-shared, never over
an existing file unless asked, and a copy that arctui opens as it was."""

import stat
import time

from click.testing import CliRunner

from arctui.cli import cli
from arctui.store.connection import connect
from tests.proof.book import audit_chain, integrity, ledger_mismatches, make_book
from tests.proof.collector_run import problems, run_collectors


def backup(*args):
    return CliRunner().invoke(cli, ["backup", *map(str, args)])


def test_a_backup_taken_while_collectors_write_is_consistent(tmp_path):
    book = make_book(tmp_path / "book.db", collectors=3)
    copies = [tmp_path / f"copy{n}.db" for n in range(3)]
    outputs = []

    def take_backups():
        for copy in copies:
            outputs.append(backup(copy, "--db", book))
            time.sleep(0.3)

    run = run_collectors(book, tmp_path, 3, 2.0, meanwhile=take_backups)

    assert problems(book, run) == []
    for copy, result in zip(copies, outputs):
        assert result.exit_code == 0, result.output
        assert f"{copy}: " in result.output and "integrity ok" in result.output
        assert integrity(copy) == "ok"
        assert stat.S_IMODE(copy.stat().st_mode) == 0o660
        db = connect(copy)  # an arctui database at the current schema
        assert ledger_mismatches(db) == []
        checked, bad_row, _ = audit_chain(db)
        assert bad_row is None and checked > 0
        db.close()
    sizes = [connect(c).execute("SELECT count(*) FROM audit").fetchone()[0] for c in copies]
    assert sizes == sorted(sizes) and sizes[-1] > sizes[0], "each copy is a later snapshot"


def test_backup_refuses_to_overwrite_unless_forced(tmp_path):
    book = make_book(tmp_path / "book.db", collectors=2, customers=3)
    dest = tmp_path / "copy.db"
    dest.write_text("last week's backup")

    refused = backup(dest, "--db", book)
    assert refused.exit_code == 1
    assert "already exists; add --force to replace it" in refused.output
    assert dest.read_text() == "last week's backup"

    forced = backup(dest, "--db", book, "--force")
    assert forced.exit_code == 0, forced.output
    assert integrity(dest) == "ok"
    assert connect(dest).execute("SELECT count(*) FROM customers").fetchone()[0] == 3


def test_backup_of_what_is_not_a_database_says_so_and_leaves_nothing(tmp_path):
    not_a_db = tmp_path / "notes.db"
    not_a_db.write_text("hello, this is text" * 100)
    dest = tmp_path / "copy.db"

    result = backup(dest, "--db", not_a_db)
    assert result.exit_code == 1
    assert "cannot be copied (file is not a database)" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]

    missing = backup(dest, "--db", tmp_path / "nowhere.db")
    assert missing.exit_code == 1 and "no such database file" in missing.output


def test_backup_refuses_to_copy_the_database_onto_itself(tmp_path):
    book = make_book(tmp_path / "book.db", collectors=2, customers=2)
    result = backup(book, "--db", book, "--force")
    assert result.exit_code == 1 and "is the database itself" in result.output
    assert integrity(book) == "ok"


def test_a_postgresql_book_is_sent_to_its_servers_backups(tmp_path):
    """`arctui backup` copies a SQLite file; on a PostgreSQL URL it says where that book's
    backups are made (the server's base backup and WAL archive), and writes nothing."""
    result = backup(tmp_path / "copy.db", "--db", "postgresql://collector@db.example/book")
    assert result.exit_code == 1
    assert result.output.startswith(
        "Error: a PostgreSQL book is backed up on its server: a base backup (pg_basebackup)"
    )
    assert list(tmp_path.iterdir()) == []
