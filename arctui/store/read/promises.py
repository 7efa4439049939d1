"""Promises to pay: those to judge, and the cash received that judges them."""

from sqlite_utils import Database

from arctui.store.read import booked_receipt, rows


def _accounts_with_open_promises(customer_id: int | None) -> str:
    """SELECT text of the accounts with an open promise (``:customer`` only, when given)."""
    only = "AND customer_id = :customer" if customer_id is not None else ""
    return f"SELECT DISTINCT customer_id FROM promises WHERE status = 'open' {only}"


def promises_to_judge(db: Database, customer_id: int | None = None) -> list[dict]:
    """Every promise but the cancelled ones of the accounts with an open promise (one
    account's, or the whole book's): the open ones are judged, the others hold on to the
    cash they were judged with."""
    return rows(
        db,
        f"""
        SELECT id, customer_id, amount_cents, promised_date, grace_days, created_at, status, paid_cents
        FROM promises
        WHERE status != 'cancelled' AND customer_id IN ({_accounts_with_open_promises(customer_id)})
        ORDER BY customer_id, id
        """,
        {"customer": customer_id},
    )


def receipts_by_account(db: Database, customer_id: int | None = None) -> dict[int, list[dict]]:
    """Cash received from each account with an open promise (``customer_id`` only, when
    given), in the account's currency, since the day its earliest promise (cancelled aside)
    was made: {id, received_date, amount_cents, refunds: [(applied_date, cents), ...]} per
    payment, oldest first."""
    found = rows(
        db,
        f"""
        WITH since AS (
          SELECT customer_id, min(substr(created_at, 1, 10)) AS day FROM promises
          WHERE status != 'cancelled' AND customer_id IN ({_accounts_with_open_promises(customer_id)})
          GROUP BY customer_id
        )
        SELECT pay.id, pay.customer_id, pay.received_date, pay.amount_cents,
               r.applied_date AS refund_date, r.amount_cents AS refund_cents
        FROM since s JOIN customers c ON c.id = s.customer_id
        JOIN payments pay ON pay.customer_id = s.customer_id AND pay.received_date >= s.day
          AND pay.currency = c.currency AND {booked_receipt("pay")}
        LEFT JOIN payment_applications r ON r.payment_id = pay.id AND r.kind = 'refund'
        ORDER BY pay.customer_id, pay.received_date, pay.id, r.id
        """,
        {"customer": customer_id},
    )
    accounts: dict[int, list[dict]] = {}
    payments: dict[int, dict] = {}
    for row in found:
        payment = payments.get(row["id"])
        if payment is None:
            payment = payments[row["id"]] = {
                "id": row["id"],
                "received_date": row["received_date"],
                "amount_cents": row["amount_cents"],
                "refunds": [],
            }
            accounts.setdefault(row["customer_id"], []).append(payment)
        if row["refund_date"] is not None:
            payment["refunds"].append((row["refund_date"], row["refund_cents"]))
    return accounts
