"""What a statement run reads: the accounts that get a statement, and the run of a period."""

from sqlite_utils import Database

from arctui.store.read import booked_receipt, first, open_invoice, rows


def statement_accounts(db: Database) -> list[dict]:
    """id, account_no and name of every account with an open item or unapplied cash, but those
    with outside collections (the agency speaks to them), by account number."""
    return rows(
        db,
        "SELECT id, account_no, name FROM customers c WHERE c.status <> 'outside_collections'"
        f" AND (EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = c.id AND {open_invoice('i')})"
        " OR EXISTS (SELECT 1 FROM payments p WHERE p.customer_id = c.id AND p.unapplied_cents > 0"
        f" AND {booked_receipt('p')}))"
        " ORDER BY account_no",
    )


def statement_run(db: Database, period: str) -> dict | None:
    """The statement run of ``period`` ('YYYY-MM'), if there was one."""
    return first(db, "SELECT * FROM statement_runs WHERE period = ?", [period])
