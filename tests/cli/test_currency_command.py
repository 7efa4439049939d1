"""``arctui currency show`` and ``set``, and ``arctui import ecb`` feeding them."""

from pathlib import Path

from click.testing import CliRunner

from arctui.cli import cli
from arctui.store.connection import connect
from tests.enrol import enrol
from tests.services.conftest import seed

DAILY_XML = Path(__file__).parents[1] / "imports" / "data" / "real" / "rates" / "ecb-eurofxref-daily-2017-03-08.xml"


def book(tmp_path):
    path = tmp_path / "fx.db"
    db = connect(path, create=True)
    enrol(db, "mia", "Mia Manager", role="manager")
    enrol(db, "alice", "Alice Archer")
    enrol(db, "bob", "Bob Baker")
    seed(db)
    db.close()
    return str(path)


def run(path, user, *args):
    return CliRunner().invoke(cli, ["--user", user, *map(str, args), "--db", path])


def test_show_names_the_book_currency_and_what_the_rates_cover(tmp_path):
    path = book(tmp_path)
    empty = run(path, "alice", "currency", "show")
    assert empty.exit_code == 0, empty.output
    assert empty.output.splitlines() == [
        "book currency: USD (not set: the currency most accounts are billed in;"
        " a manager sets it with `arctui currency set CODE`)",
        "no exchange rates: import them with `arctui import ecb FILE` or `arctui import rates FILE`",
    ]
    imported = run(path, "alice", "import", "ecb", DAILY_XML)
    assert imported.exit_code == 0, imported.output
    assert "imported: 31 accepted, 31 new, 0 updated, 0 unchanged" in imported.output
    lines = run(path, "alice", "currency", "show").output.splitlines()
    assert lines[1].split() == ["base", "currency", "first", "day", "last", "day", "rates"]
    assert lines[3].split() == ["EUR", "AUD", "2017-03-08", "2017-03-08", "1"]
    assert len(lines) == 1 + 2 + 31 + 1
    assert lines[-1] == "a rate covers the day it is for and up to 10 days after"


def test_a_manager_sets_the_book_currency_and_a_collector_cannot(tmp_path):
    path = book(tmp_path)
    refused = run(path, "alice", "currency", "set", "EUR")
    assert refused.exit_code == 1
    assert refused.output == "Error: alice is not a manager: only a manager sets the book currency\n"
    not_money = run(path, "mia", "currency", "set", "XXX")
    assert not_money.exit_code == 1
    assert not_money.output.startswith("Error: book currency: currency 'XXX' is not money")
    done = run(path, "mia", "currency", "set", "eur")
    assert (done.exit_code, done.output) == (0, "book currency: EUR\n")
    assert run(path, "alice", "currency", "show").output.splitlines()[0] == "book currency: EUR"
