"""``arctui sample URL``: the sample book generated straight into an empty PostgreSQL database
is the book ``arctui sample FILE`` makes with the same arguments (the same queues, aging and
audit chain); a database that has tables, or ``--force`` at a URL, is refused in one line and
nothing is written."""

import pytest
from click.testing import CliRunner

from arctui.cli import cli
from arctui.store import audit
from arctui.store.connection import connect
from arctui.store.read.book import ledger_totals, row_counts

ARGS = ["--customers", "30", "--invoices", "300", "--seed", "11", "--today", "2026-11-23"]
SEEN = [
    ["queue", "--collector", "all", "--limit", "200"],
    ["queue", "--collector", "alice"],
    ["report", "aging"],
    ["report", "promises"],
]


def arctui(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def books(tmp_path_factory, pg_server):
    """(the sample at a file, the sample at a URL whose password the server does not need)."""
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    url = pg_server.create_database("sample").replace("postgres@", "postgres:s3cret@")
    assert arctui("sample", str(path), *ARGS).exit_code == 0
    made = arctui("sample", url, *ARGS)
    assert made.exit_code == 0, made.output
    assert made.output.startswith(url.replace("s3cret", "***") + ": 30 customers, 300 invoices,")
    return path, url


@pytest.mark.parametrize("seen", SEEN, ids=[" ".join(s[:2]) for s in SEEN])
def test_the_book_at_a_url_shows_what_the_book_at_a_file_does(books, seen):
    path, url = books
    at_file, at_url = (arctui(*seen, "--db", str(book), "--today", "2026-11-23") for book in (path, url))
    assert at_file.exit_code == at_url.exit_code == 0, at_url.output
    assert at_url.output == at_file.output
    assert len(at_file.output.splitlines()) > 5  # a real listing, not two empty answers


def test_the_same_rows_totals_and_audit_chain(books):
    file, server = (connect(book) for book in books)
    counts = row_counts(file)
    assert {table: n for table, n in row_counts(server).items() if table in counts} == counts
    assert ledger_totals(server) == ledger_totals(file)
    assert audit.head(server) == audit.head(file)
    assert audit.verify(server)[1] is None


def test_a_database_with_tables_is_refused_and_kept(books):
    _, url = books
    before = row_counts(connect(url))
    again = arctui("sample", url, "--customers", "5", "--invoices", "20", "--seed", "12")
    assert again.exit_code == 1
    (line,) = again.output.splitlines()
    assert line.startswith(f"Error: {url.replace('s3cret', '***')}: not an empty database (")
    assert line.endswith("tables, e.g. account_events); a book moves into an empty one only")
    assert row_counts(connect(url)) == before


def test_force_at_a_url_is_refused_without_touching_it(pg_server):
    url = pg_server.create_database("forced")
    forced = arctui("sample", url, *ARGS, "--force")
    assert forced.exit_code == 1
    assert "--force replaces a file only" in forced.output
    assert pg_server.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", url.rsplit("/", 1)[1]) == [
        (0,)
    ]
