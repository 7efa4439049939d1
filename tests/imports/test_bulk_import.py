"""A large import sets the table's indexes aside and builds them again, all or nothing."""

from arctui.services.imports import BULK_ROWS
from arctui.store.postgresql import is_postgresql

from .conftest import rows


def indexes(ctx):
    """The invoices' indexes, as the engine's catalog declares them."""
    if is_postgresql(ctx.db):
        return rows(ctx, "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'invoices' ORDER BY 1")
    return rows(ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'invoices' ORDER BY 1")


def write_invoices(path, count, last_line=None):
    lines = ["number,account_no,issue_date,amount"]
    lines += [f"B-{n:06d},C100,2026-10-01,{n % 900 + 100}.00" for n in range(count)]
    if last_line:
        lines.append(last_line)
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_bulk_load_keeps_every_index(ctx, load, tmp_path):
    load("customers", "customers.csv")
    before = indexes(ctx)
    report = load("invoices", write_invoices(tmp_path / "big.csv", BULK_ROWS + 5_000))
    assert report.inserted == BULK_ROWS + 5_000
    assert indexes(ctx) == before
    assert rows(
        ctx, "SELECT count(*), sum(amount_cents) FROM invoices INDEXED BY invoices_customer WHERE customer_id = 1"
    ) == [(BULK_ROWS + 5_000, sum((n % 900 + 100) * 100 for n in range(BULK_ROWS + 5_000)))]


def test_a_bad_last_line_of_a_bulk_load_writes_nothing(ctx, load, tmp_path):
    load("customers", "customers.csv")
    before = indexes(ctx)
    report = load(
        "invoices", write_invoices(tmp_path / "big.csv", BULK_ROWS + 5_000, "B-LAST,C100,2026-10-01,ten dollars")
    )
    assert [(r.line, r.field) for r in report.rejected] == [(BULK_ROWS + 5_002, "amount")]
    assert rows(ctx, "SELECT count(*) FROM invoices") == [(0,)]
    assert indexes(ctx) == before
