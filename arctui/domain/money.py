"""Money as integer minor units of an ISO 4217 currency.

Amounts typed by collectors or exported by ERPs are parsed with Decimal and never pass
through float; formatting and parsing round-trip exactly.
"""

import functools
import re
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, ROUND_HALF_EVEN, Context, Decimal

from babel.numbers import get_currency_precision, list_currencies

# ISO 4217's minor units where CLDR (babel) gives fewer display digits, in some release: bank
# files and ERPs write these currencies with ISO's decimals (100.50 AFN, 1.250 IQD). CLDR 47
# (babel 2.19) dropped HUF's, COP's and IDR's to 0, their cash use; amounts already kept in
# a book are in ISO's minor units whatever babel a machine has.
_ISO_MINOR_UNITS = {
    "IQD": 3,
    **dict.fromkeys(
        ("AFN", "ALL", "COP", "HUF", "IDR", "IRR", "KPW", "LAK", "LBP", "MGA", "MMK", "RSD", "SOS", "SYP", "YER"), 2
    ),
}
NOT_MONEY = frozenset(
    ("XXX", "XTS", "XAU", "XAG", "XPD", "XPT", "XBA", "XBB", "XBC", "XBD", "XDR", "XSU", "XUA")
    + ("XEU", "XFO", "XFU", "XRE")
)
"""ISO 4217 codes that are not money an invoice or receipt can be in: "no currency" (XXX),
the testing code (XTS), precious metals, bond-market units and the like."""
CURRENCY_EXPONENTS: dict[str, int] = {
    code: _ISO_MINOR_UNITS.get(code, get_currency_precision(code)) for code in list_currencies() - NOT_MONEY
}
"""Every ISO 4217 currency (CLDR's list, current and historic), with its minor-unit exponent."""

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}

# Scaling by a power of ten must never round, however long the amount.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
_CODE_AT_START = re.compile(r"^([A-Za-z]{3})(?![A-Za-z])")
_CODE_AT_END = re.compile(r"(?<![A-Za-z])([A-Za-z]{3})$")
_SYMBOL_CHARS = "".join(SYMBOLS.values())
_GROUP_CHARS = " '\u00a0\u202f"  # space, apostrophe (Swiss), no-break spaces


MAX_MINOR_UNITS = 10**12 - 1
"""The largest amount, in minor units, anything may hold: 9,999,999,999.99 in a currency of
two decimals. Far above any invoice, and low enough that a million of them still add up
inside SQLite's 64-bit integers (an amount of 2**63 cannot even be stored)."""


class MoneyError(ValueError):
    """An amount or currency that cannot be read."""


@functools.lru_cache(maxsize=64)
def exponent(currency: str) -> int:
    """Number of decimal places of `currency` (case-insensitive)."""
    code = currency.upper()
    if (places := CURRENCY_EXPONENTS.get(code)) is not None:
        return places
    if code in NOT_MONEY:
        raise MoneyError(
            f"currency {shown(currency)} is not money (ISO 4217 keeps it for other uses); expected a currency like USD"
        )
    if not re.fullmatch("[A-Z]{3}", code):
        raise MoneyError(f"currency {shown(currency)} is not a 3-letter ISO 4217 code")
    raise MoneyError(f"currency {shown(currency)} is not an ISO 4217 currency code")


def _number_pattern(point: str, group: str) -> re.Pattern[str]:
    groups = re.escape(group + _GROUP_CHARS)
    point = re.escape(point)
    return re.compile(rf"([0-9]{{1,3}}(?:[{groups}][0-9]{{3}})+|[0-9]+)(?:{point}([0-9]*))?|{point}([0-9]+)")


_NUMBER = {False: _number_pattern(".", ","), True: _number_pattern(",", ".")}


def _peel(text: str, currency: str) -> tuple[bool, str]:
    """Strip currency codes, symbols and negative markers from both ends of `text`.

    Returns (negative, the bare number). Accepts them in any order, so "-$5", "$-5",
    "(USD 5)", "USD (5)" and "5.00-" (trailing minus, as some ERPs export) all work.
    """
    negative = False
    rest = text.strip()
    while True:
        before = rest
        for pattern in (_CODE_AT_START, _CODE_AT_END):
            if match := pattern.search(rest):
                if (code := match[1].upper()) != currency.upper():
                    raise MoneyError(f"{text!r} is in {code}, expected {currency.upper()}")
                rest = pattern.sub("", rest).strip()
        rest = rest.strip(_SYMBOL_CHARS).strip()
        if rest.startswith("(") and rest.endswith(")"):
            marker, rest = True, rest[1:-1].strip()
        elif rest.startswith("-") or rest.endswith("-"):
            marker, rest = True, rest.removeprefix("-").removesuffix("-").strip()
        else:
            marker = False
        if marker and negative:
            raise MoneyError(f"{text!r} is negated twice; expected one '-' or one pair of ( )")
        negative = negative or marker
        if rest == before:
            return negative, rest


def parse_money(text: str, currency: str = "USD", *, decimal_comma: bool = False) -> int:
    """Parse "$1,234.56", "USD 1,234.50", "(1,234.56)" or "1.234,56" into minor units.

    Extra decimal places are refused unless they are zeros ("1.230" is 123 cents).
    """
    places = exponent(currency)
    if not text.strip():
        raise MoneyError("empty amount; expected a number like 1,234.56")
    if not text.isascii() and (digit := next((c for c in text if c.isdigit() and not c.isascii()), None)):
        raise MoneyError(f"{shown(text)} has the non-ASCII digit {digit!r}; expected the digits 0-9")
    if not re.search("[0-9]", text):
        raise MoneyError(f"{shown(text)} is not an amount; expected a number like 1,234.56")
    negative, number = _peel(text, currency)
    match = _NUMBER[decimal_comma].fullmatch(number)
    if not match:
        example = "1.234,56" if decimal_comma else "1,234.56"
        raise MoneyError(f"{shown(text)} is not an amount; expected a number like {example}")
    whole, fraction = match[1] or "0", match[2] or match[3] or ""
    digits = re.sub("[^0-9]", "", whole).lstrip("0")
    if len(digits) > len(str(MAX_MINOR_UNITS)):  # out of range whatever the places: say so cheaply
        raise _out_of_range(currency, text)
    minor = Decimal(f"{digits}.{fraction or 0}").scaleb(places, _EXACT)
    if minor != minor.to_integral_value():
        number = number if len(number) <= 40 else shown(number)
        raise MoneyError(f"{number} has more than {places} decimal places for {currency.upper()}")
    return check_bounds(-int(minor) if negative else int(minor), currency, text)


def check_bounds(minor: int, currency: str = "USD", text: str | None = None) -> int:
    """``minor`` when it is within ±MAX_MINOR_UNITS; MoneyError naming the bounds otherwise
    (and ``text``, the amount as it was written, when there is one)."""
    if -MAX_MINOR_UNITS <= minor <= MAX_MINOR_UNITS:
        return minor
    raise _out_of_range(currency, text if text is not None else str(minor))


def _out_of_range(currency: str, text: str) -> MoneyError:
    largest = format_money(MAX_MINOR_UNITS, currency, symbol=False)
    return MoneyError(f"{shown(text)} is out of range; expected an amount between -{largest} and {largest}")


def shown(text: str, limit: int = 40) -> str:
    """``text`` quoted for a message (escapes and all), cut short when it is long."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + f"... ({len(text):,} characters)"


def format_money(cents: int, currency: str = "USD", symbol: bool = True) -> str:
    """Render minor units: "$1,234.56", "-$12.00", "¥1,235", "KWD 1.234", or bare "1,234.56"."""
    places = exponent(currency)
    whole, minor = divmod(abs(cents), 10**places)
    number = f"{whole:,}" + (f".{minor:0{places}d}" if places else "")
    sign = "-" if cents < 0 else ""
    if not symbol:
        return sign + number
    code = currency.upper()
    return f"{sign}{SYMBOLS[code]}{number}" if code in SYMBOLS else f"{sign}{code} {number}"


def to_decimal(cents: int, currency: str) -> Decimal:
    """Minor units as an exact Decimal in major units (12345 USD -> Decimal("123.45"))."""
    return Decimal(cents).scaleb(-exponent(currency), _EXACT)


def convert(cents: int, source: str, target: str, rate: Decimal) -> int:
    """``cents`` minor units of ``source`` in minor units of ``target`` at ``rate`` (units of
    ``target`` per 1 ``source``), computed exactly and rounded half to even once, at the end
    (1.25 EUR at 0.5 is 0.62 USD, 1.35 EUR is 0.68 USD; 100 JPY at 0.0091 is 0.91 USD)."""
    if not rate > 0:
        raise MoneyError(f"rate {rate} from {source.upper()} to {target.upper()}; expected a rate above zero")
    minor = _EXACT.multiply(to_decimal(cents, source), rate).scaleb(exponent(target), _EXACT)
    return int(minor.quantize(Decimal(1), rounding=ROUND_HALF_EVEN, context=_EXACT))
