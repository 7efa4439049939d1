"""How a bank receipt is keyed, the same for every statement format.

The key must be the same whenever the same bank transaction is seen again (the intraday and
the end-of-day file, a re-sent statement) and different for two transactions, even when the
payer used the same reference for both. So:

- the bank's own reference for the transaction (BAI2 bank reference, camt ``AcctSvcrRef``)
  identifies it on that account: ``ACCOUNT/bank:REF``;
- without one, its place on the statement does: ``ACCOUNT/STATEMENT/SEQUENCE`` (a camt or
  MT940 statement's own id and the entry's position; BAI2 files have no statement id, so
  the account's as-of date and the n-th credit of that type code and amount that day);
- a batch entry's transaction details add their position: ``…#2``.

The payer's own reference (customer reference, end-to-end id) is never the key: payers
reuse references, and a second payment under the same one is real cash.
"""


def receipt_key(
    account: str, bank_ref: str | None, statement: str, sequence: int | str, detail: int | None = None
) -> str:
    """The key of one receipt (see the module's docstring)."""
    where = f"{account}/bank:{bank_ref}" if bank_ref else f"{account}/{statement}/{sequence}"
    return f"{where}#{detail}" if detail is not None else where
