"""Money on a bank statement: an amount as written (a ``Decimal``) in whole minor units of
its currency, as notices show it, and as a receipt record the core checks."""

from decimal import Decimal

from arctui.api import Record, Rejected, exponent


def minor(amount: Decimal, currency: str) -> int | None:
    """Whole minor units of the currency, or None when the amount has digits it has not."""
    try:
        scaled = amount.scaleb(exponent(currency))
    except ValueError:  # a currency code that is no code: the core names it on its line
        return None
    return int(scaled) if scaled == scaled.to_integral_value() else None


def shown_amount(amount: Decimal, currency: str) -> str:
    """'EUR 1,234.50': at least the currency's places, more only where the file wrote them."""
    try:
        places = Decimal(1).scaleb(-exponent(currency))
    except ValueError:
        return f"{currency} {amount}"
    rounded = amount.quantize(places)
    return f"{currency} {rounded if rounded == amount else amount:,}"


def receipt_record(name: str, line: int, currency: str, amount: Decimal, values: dict):
    """A receipt of ``amount`` in ``currency`` with ``values``; Rejected when the amount has
    more decimals than the currency, or no currency. An unknown code goes to the core, which
    names it on its line."""
    units = minor(amount, currency)
    if units is None:
        if currency:
            try:
                exponent(currency)
            except ValueError:
                return Record(name, line, dict(values, amount=str(amount)))  # the core names the currency
            return Rejected(
                name, line, "amount", f"{amount} has more decimals than {currency} has ({exponent(currency)})"
            )
        return Rejected(name, line, "currency", "the amount has no currency (Ccy)")
    return Record(name, line, dict(values, amount=units))
