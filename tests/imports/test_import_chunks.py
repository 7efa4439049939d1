"""A file is checked a chunk of lines at a time, its keys looked up in the book per chunk and
kept as hashes: a key repeated or changed thousands of lines apart, or stored before keys
were normalised, is found all the same."""

from arctui.services import imports
from arctui.store.writing import write

from .conftest import rows

LINES = imports._CHUNK * 2 + 500  # three chunks


def invoices(path, lines):
    path.write_text("number,account_no,issue_date,amount\n" + "".join(f"{line}\n" for line in lines))
    return path


def line(n, cents=None):
    cents = n % 900 + 100 if cents is None else cents
    return f"B-{n:06d},C100,2026-10-01,{cents}.00"


def test_keys_repeated_changed_or_in_the_book_chunks_apart(ctx, load, tmp_path):
    load("customers", "customers.csv")
    assert load("invoices", invoices(tmp_path / "a.csv", [line(n) for n in range(LINES)])).inserted == LINES
    # again: the first lines as they are, the last chunk changed, new lines, line 1 repeated at the end
    again = [line(n) for n in range(LINES - 100)] + [line(n, 5) for n in range(LINES - 100, LINES)]
    again += [line(n) for n in range(LINES, LINES + 50)] + [line(0)]
    report = load("invoices", invoices(tmp_path / "b.csv", again))
    assert (report.written, report.unchanged, report.updated, report.inserted, report.repeated) == (
        True,
        LINES - 100,
        100,
        50,
        1,
    )
    assert rows(ctx, "SELECT count(*), sum(amount_cents = 500) FROM invoices") == [(LINES + 50, 100)]


def test_a_key_with_other_values_chunks_later_names_its_first_line(ctx, load, tmp_path):
    load("customers", "customers.csv")
    lines = [line(n) for n in range(LINES)] + [line(7, 1)]
    report = load("invoices", invoices(tmp_path / "a.csv", lines))
    assert [(r.line, r.field, r.reason) for r in report.rejected] == [
        (LINES + 2, "number", "B-000007 is also on line 9 with other values")
    ]
    assert rows(ctx, "SELECT count(*) FROM invoices") == [(0,)]


def test_a_key_stored_before_keys_were_normalised_is_found_in_a_large_file(ctx, load, tmp_path):
    load("customers", "customers.csv")
    with write(ctx.db):  # as an older arctui stored it: a Unicode hyphen and a zero-width space
        ctx.db.execute(
            "INSERT INTO invoices (customer_id, number, issue_date, due_date, amount_cents, open_cents)"
            " VALUES (1, 'B\u2011000123\u200b', '2026-10-01', '2026-10-31', 100, 100)"
        )
    report = load("invoices", invoices(tmp_path / "a.csv", [line(n) for n in range(LINES)]))
    assert (report.written, report.inserted, report.updated) == (True, LINES - 1, 1)
    assert rows(ctx, "SELECT number, amount_cents FROM invoices WHERE id = 1") == [("B\u2011000123\u200b", 22300)]
