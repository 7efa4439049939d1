"""The one short line ``arctui status`` prints for a shell prompt or a tmux bar:
"3 promises due today · 2 broken · 1 call to make · $48k unapplied · 4 to approve". Only what is not zero is
said; amounts are rounded short, each in its own currency, never added across currencies."""

from arctui.domain.money import SYMBOLS, exponent

SEP = " · "
NOTHING = "nothing due"


def short_money(minor: int, currency: str) -> str:
    """``minor`` units of ``currency`` rounded for a glance: $950, $4.8k, $48k, $1.2M (integer
    arithmetic, half up)."""
    unit, magnitude = 10 ** exponent(currency), abs(minor)
    number = str((magnitude + unit // 2) // unit)
    for size, suffix in ((10**9, "B"), (10**6, "M"), (10**3, "k")):
        scale = size * unit
        if magnitude >= scale:
            tenths = (magnitude * 10 + scale // 2) // scale
            whole = (magnitude + scale // 2) // scale
            number = (f"{tenths // 10}.{tenths % 10}" if tenths < 100 and tenths % 10 else str(whole)) + suffix
            break
    sign = "-" if minor < 0 else ""
    symbol = SYMBOLS.get(currency)
    return f"{sign}{symbol}{number}" if symbol else f"{sign}{currency} {number}"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def status_line(due_today: int, broken: int, calls: int, unapplied: list[tuple[str, int]], to_approve: int) -> str:
    parts = []
    if due_today:
        parts.append(_count(due_today, "promise", "promises") + " due today")
    if broken:
        parts.append(f"{broken} broken")
    if calls:
        parts.append(_count(calls, "call", "calls") + " to make")
    if unapplied:
        parts.append(", ".join(short_money(cents, currency) for currency, cents in unapplied) + " unapplied")
    if to_approve:
        parts.append(f"{to_approve} to approve")
    return SEP.join(parts) or NOTHING
