"""Issue 11, BAI2 end to end: real and hostile bank files given to the installed ``arctui``
script in a process of its own.

A file the specification refuses (a wrong control total or record count, records run
together, a record broken across lines, a second file smuggled after the trailer, a record
hidden in a detail's text) ends the same way: exit 1, one line naming the file and the line,
no traceback, no raw control character on the terminal, not one row written. A valid real
file lands in its account's currency, printed in it, and a second run changes nothing."""

import json
from pathlib import Path

import pytest

from tests.proof.book import make_book
from tests.proof.test_security_inputs import RAW, arctui, counts, refused

REAL = Path(__file__).parents[1] / "imports" / "data" / "real"
EXPECTED = json.loads((REAL / "expected.json").read_text())
REFUSED = sorted(name for name, facts in EXPECTED.items() if name.startswith("bai2/") and not facts["valid"])


@pytest.fixture
def book(tmp_path, book_target):
    return make_book(book_target, collectors=2, customers=2, invoices_per_customer=1)


@pytest.mark.parametrize("name", REFUSED)
def test_a_real_file_the_specification_refuses_is_one_line_and_nothing_lands(book, name):
    before = counts(book)
    where = f"{REAL / name}:{EXPECTED[name]['refuse_line']}: "
    refused(arctui("import", "bai2", REAL / name, "--db", book), before, book, where)


GOOD = (REAL / "bai2" / "vh-svb-daily-crlf.bai2").read_text()


@pytest.mark.parametrize(
    "text, line",
    [
        # a second file after the trailer: its cash would be read by nobody, or twice
        (GOOD + "\n" + GOOD, 9),
        # a record hidden after the '/' that ends another one
        (GOOD.replace("49,25001,4/", "49,25001,4/ 16,165,99999,,X,,/"), 6),
        # a record hidden in a detail's text
        (GOOD.replace("16,174,25001,Z,,50848,/", "16,174,25001,Z,,50848,PAID/ 16,165,99999,,X,,/"), 4),
        # a detail broken across lines without an 88
        (GOOD.replace("16,174,25001,Z,,50848,/", "16,174,25001,Z,,50848,PAID\nINV 1/"), 5),
        # terminal escapes where a record code belongs
        (GOOD.replace("88,SAMPLE", "\x1b]0;pwned\x07SAMPLE"), 5),
    ],
)
def test_a_hostile_bai2_file_is_refused_in_one_line(book, tmp_path, text, line):
    file = tmp_path / "hostile.bai2"
    file.write_text(text, encoding="latin-1")
    before = counts(book)
    refused(arctui("import", "bai2", file, "--db", book), before, book, f"{file}:{line}: ")


def test_a_real_gbp_file_lands_in_gbp_and_twice_is_once(book):
    file = REAL / "bai2" / "moj-natwest-gbp.bai2"
    before = counts(book)
    first = arctui("import", "bai2", file, "--db", book)
    assert first.returncode == 0 and b"Traceback" not in first.stderr
    assert not RAW.findall(first.stdout + first.stderr)
    assert "£0.89 unapplied" in first.stdout.decode() and "$" not in first.stdout.decode()
    after = counts(book)
    assert after["payments"] == before["payments"] + 1
    again = arctui("import", "bai2", file, "--db", book)
    assert again.returncode == 0 and "0 new" in again.stdout.decode() and "1 unchanged" in again.stdout.decode()
    assert counts(book)["payments"] == after["payments"]
