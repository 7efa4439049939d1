"""``arctui init --db PATH``: the quick path to an empty book, and the error that points to it."""

from click.testing import CliRunner

from arctui.cli import cli
from arctui.store.connection import connect
from arctui.store.migrations import LATEST, schema_version


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_init_without_a_manager_creates_an_empty_book_and_says_what_next(tmp_path):
    path = tmp_path / "my book.db"
    missing = run("queue", "--db", path)
    assert missing.exit_code == 1
    assert missing.output.strip() == (
        f"Error: {path}: no such database file; `arctui init --db '{path}'` creates an empty book"
    )

    result = run("init", "--db", path)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        f"{path}: an empty book (created); load it with `arctui import customers FILE --db '{path}'` "
        f"(docs/importing.md), start its team with `arctui init --db '{path}' --manager LOGIN`"
    )
    db = connect(path)
    assert schema_version(db) == LATEST and db["customers"].count == 0 and db["collectors"].count == 0
    db.close()

    again = run("init", "--db", path)
    assert again.exit_code == 0 and "already a book; nothing changed" in again.output


def test_init_refuses_a_file_that_is_no_book_and_manager_options_without_a_manager(tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database, but it is here\n")
    result = run("init", "--db", junk)
    assert result.exit_code == 1 and "not an arctui database" in result.output
    assert junk.read_text() == "not a database, but it is here\n"

    result = run("init", "--db", tmp_path / "b.db", "--limit", "5.00")
    assert result.exit_code == 2 and "name them with --manager LOGIN" in result.output
    assert not (tmp_path / "b.db").exists()
