"""Cash: receipts with unapplied money, a receipt by its bank reference, and the invoices a
remittance text names."""

from sqlite_utils import Database

from arctui.store.read import booked_receipt, first, owed_invoice, rows


def unapplied_payments(db: Database, customer_id: int) -> list[dict]:
    """The account's receipts with unapplied cash, oldest first."""
    return rows(
        db,
        f"SELECT * FROM payments p WHERE customer_id = ? AND unapplied_cents > 0 AND {booked_receipt()}"
        " ORDER BY received_date, id",
        [customer_id],
    )


def payment_by_ref(db: Database, bank_ref: str) -> dict | None:
    """id, amount_cents and currency of the receipt with this bank reference, or None."""
    return first(db, "SELECT id, amount_cents, currency FROM payments WHERE bank_ref = ?", [bank_ref])


def remittance(db: Database, payment_id: int) -> dict | None:
    """What cash application matches on: the receipt's remittance text, unapplied cash,
    account (None: payer unknown) and currency."""
    return first(
        db, "SELECT remittance, unapplied_cents, customer_id, currency FROM payments WHERE id = ?", [payment_id]
    )


def owed_invoice_named(db: Database, token: str) -> dict | None:
    """The invoice a remittance token names, as written or upper-cased (both through the
    unique index on number), while the customer still owes on it."""
    return first(
        db,
        "SELECT i.id, i.open_cents, i.customer_id, i.currency FROM invoices i"
        f" WHERE i.number IN (?, ?) AND {owed_invoice('i')}",
        [token, token.upper()],
    )


# --- the cash workbench (issue 11) -----------------------------------------------------

# a park holds while the receipt is as the park left it: the newest audit row on it is the
# park and its version is the one the park wrote (any later step on the receipt ends it)
_WORKBENCH = """SELECT p.*, c.account_no, c.name AS customer_name,
      (SELECT CASE WHEN a.action = 'payment.park' THEN json_object(
                'note', json_extract(a.after, '$."payments/' || p.id || '".park_note'),
                'by', a.actor, 'at', a.at,
                'version', json_extract(a.after, '$."payments/' || p.id || '".version')) END
         FROM audit a WHERE a.entity = 'payments' AND a.entity_id = CAST(p.id AS TEXT)
         ORDER BY a.id DESC LIMIT 1) AS last_step,
      (SELECT coalesce(sum(r.amount_cents), 0) FROM refund_requests r
         WHERE r.payment_id = p.id AND r.status = 'pending_approval') AS held_cents
    FROM payments p LEFT JOIN customers c ON c.id = p.customer_id"""


def workbench_receipts(db: Database) -> list[dict]:
    """Every receipt with unapplied cash, oldest first (payer known or not): the receipt,
    its account (account_no, customer_name; None while the payer is unknown), the newest
    audit row on it as JSON (``last_step``: note, by, at, version) when that row is a park, and
    ``held_cents``: what refund requests waiting for a decision hold of its unapplied cash."""
    return rows(db, f"{_WORKBENCH} WHERE p.unapplied_cents > 0 AND {booked_receipt()} ORDER BY p.received_date, p.id")


def workbench_receipt(db: Database, payment_id: int) -> dict | None:
    """One receipt as ``workbench_receipts`` shows it (with or without unapplied cash)."""
    return first(db, f"{_WORKBENCH} WHERE p.id = ?", [payment_id])


def owed_invoices(db: Database, currencies: list[str]) -> list[dict]:
    """Invoices still owed in ``currencies``: id, number, customer_id, currency, open_cents,
    due_date, oldest due first."""
    if not currencies:
        return []
    marks = ", ".join("?" for _ in currencies)
    return rows(
        db,
        "SELECT i.id, i.number, i.customer_id, i.currency, i.open_cents, i.due_date FROM invoices i"
        f" WHERE {owed_invoice('i')} AND i.currency IN ({marks}) ORDER BY i.due_date, i.id",
        list(currencies),
    )


def invoices_by_number(db: Database, numbers: list[str]) -> list[dict]:
    """id, number, customer_id, currency, open_cents of the invoices with these numbers."""
    if not numbers:
        return []
    marks = ", ".join("?" for _ in numbers)
    return rows(
        db,
        f"SELECT id, number, customer_id, currency, open_cents FROM invoices WHERE number IN ({marks})",
        list(numbers),
    )


def customer_names(db: Database) -> list[dict]:
    """id, account_no and name of every account."""
    return rows(db, "SELECT id, account_no, name FROM customers ORDER BY id")


def customer_by_account(db: Database, account_no: str) -> dict | None:
    """id, account_no, name of the account with this number."""
    return first(db, "SELECT id, account_no, name FROM customers WHERE account_no = ?", [account_no])


def past_payers(db: Database, limit: int = 20000) -> list[dict]:
    """Who paid for which account before: distinct (customer_id, remittance) of the newest
    receipts whose account is known."""
    return rows(
        db,
        """SELECT customer_id, remittance, max(received_date) AS last_received FROM payments
            WHERE customer_id IS NOT NULL AND remittance IS NOT NULL
            GROUP BY customer_id, remittance ORDER BY last_received DESC LIMIT ?""",
        [limit],
    )


def refund_authority(db: Database, user: str) -> dict | None:
    """id, role and memo_limit_cents of ``user`` when an active collector; None otherwise."""
    return first(db, "SELECT id, role, memo_limit_cents FROM collectors WHERE id = ? AND active <> 0", [user])


def unapplied_aging(db: Database, today: str, as_of: bool = False) -> list[dict]:
    """Unapplied cash by currency and whether the payer is known, in buckets of days since
    received (0-30, 31-60, 61-90, 90+): currency, payer_known, receipts, the buckets, total
    and oldest (received date). Receipts dated after ``today`` are left out. ``as_of``: the
    cash unapplied at the end of ``today`` (received by then, less what was applied or
    refunded by then, by the applications' value dates); the payer is as known now."""
    cents = (
        "p.amount_cents - coalesce((SELECT sum(a.amount_cents) FROM payment_applications a"
        " WHERE a.payment_id = p.id AND a.applied_date <= :today), 0)"
        if as_of
        else "p.unapplied_cents"
    )
    return rows(
        db,
        f"""SELECT currency, customer_id IS NOT NULL AS payer_known, count(*) AS receipts,
                  sum(CASE WHEN days <= 30 THEN cents ELSE 0 END) AS [0-30],
                  sum(CASE WHEN days BETWEEN 31 AND 60 THEN cents ELSE 0 END) AS [31-60],
                  sum(CASE WHEN days BETWEEN 61 AND 90 THEN cents ELSE 0 END) AS [61-90],
                  sum(CASE WHEN days > 90 THEN cents ELSE 0 END) AS [90+],
                  sum(cents) AS total, min(received_date) AS oldest
             FROM (SELECT p.currency, p.customer_id, p.received_date, {cents} AS cents,
                          CAST(julianday(:today) - julianday(p.received_date) AS INTEGER) AS days
                     FROM payments p WHERE p.received_date <= :today AND {booked_receipt()}
                       {"" if as_of else " AND p.unapplied_cents > 0"})
            WHERE cents > 0
            GROUP BY currency, payer_known ORDER BY currency, payer_known""",
        {"today": today},
    )


def receipts_keyed_on(db: Database, account: str, currency: str, amount_cents: int) -> list[dict]:
    """id, bank_ref, remittance, state of the receipts keyed on bank ``account`` (see
    plugins/bank_keys.py) of this amount and currency, any state, oldest first."""
    # the keys that start with "ACCOUNT/": a range of the unique index on bank_ref ('0' follows '/')
    return rows(
        db,
        "SELECT id, bank_ref, remittance, state FROM payments WHERE bank_ref >= :start AND bank_ref < :end"
        " AND currency = :currency AND amount_cents = :cents ORDER BY id",
        {"start": f"{account}/", "end": f"{account}0", "currency": currency, "cents": amount_cents},
    )


def applications_of(db: Database, payment_id: int) -> list[dict]:
    """id, invoice_id, amount_cents of the receipt's applications to invoices (not refunds)."""
    return rows(
        db,
        "SELECT id, invoice_id, amount_cents FROM payment_applications WHERE payment_id = ? AND kind = 'apply'"
        " ORDER BY id",
        [payment_id],
    )


def pending_receipts(db: Database) -> list[dict]:
    """Receipts an intraday report gave that no statement has booked yet, oldest first: id,
    received_date, currency, amount_cents, bank_ref, remittance."""
    return rows(
        db,
        "SELECT id, received_date, currency, amount_cents, bank_ref, remittance FROM payments"
        " WHERE state = 'pending' ORDER BY received_date, id",
    )
