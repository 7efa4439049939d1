"""Rejected lines said once per cause: "2,466 lines: issue_date '1/2/2013' is not a date; set
date_formats = ['%m/%d/%Y'] (lines 2, 3, 4, ...)" instead of 2,466 lines of the same words.

Lines share a cause when they are refused in the same file, for the same field, with the same
words once the values in them (quoted text, numbers, keys) are set aside. A cause of one line is
said as before (``file:line: field: reason``). Dates refused for their format get the
``date_formats`` that read every one of them, when one does.
"""

import ast
import re
from collections.abc import Iterable
from datetime import datetime

# the values inside a reason: quoted text (as shown() quotes it), then anything with a digit
_VALUES = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[\w.,/:-]*\d[\w.,/:-]*")
_NOT_A_DATE = re.compile(r"^('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\") is not a date; expected .*$")
# formats ERPs and spreadsheets write dates in, most usual first
DATE_FORMATS = (
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%d-%m-%Y",
    "%m-%d-%Y",
    "%m/%d/%y",
    "%d/%m/%y",
    "%d.%m.%y",
    "%Y%m%d",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%d %b %Y",
    "%b %d, %Y",
    "%d %B %Y",
    "%B %d, %Y",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%d/%m/%Y %H:%M",
    "%d.%m.%Y %H:%M",
)
SHOWN_LINES = 5


def summarise(rejected: Iterable) -> list[str]:
    """One message per cause, in the order each cause first appears. ``rejected`` holds
    ``Rejected(file, line, field, reason)``."""
    groups: dict[tuple, list] = {}
    for r in rejected:
        groups.setdefault((r.file, r.field, _VALUES.sub("…", r.reason)), []).append(r)
    return [str(group[0]) if len(group) == 1 else _said_once(group) for group in groups.values()]


def _said_once(group: list) -> str:
    first = group[0]
    reason = first.reason
    dates = [_date_value(r.reason) for r in group]
    if None not in dates:
        fits = date_formats_for(dates)
        if fits:
            hint = f"set date_formats = [{fits[0]!r}]"
            if len(fits) > 1:
                hint += f" (the dates read as {' or '.join(map(repr, fits))}: say which)"
            reason = f"{reason.split('; expected', 1)[0]}; {hint}"
    lines = sorted({r.line for r in group if r.line})
    where = ", ".join(map(str, lines[:SHOWN_LINES]))
    if len(lines) > SHOWN_LINES:
        where += f" and {len(lines) - SHOWN_LINES:,} more"
    return f"{first.file}: {len(group):,} lines: {first.field} {reason} (lines {where})"


def _date_value(reason: str) -> str | None:
    match = _NOT_A_DATE.match(reason)
    if match is None:
        return None
    try:
        return ast.literal_eval(match.group(1))
    except (ValueError, SyntaxError):
        return None


def date_formats_for(values: list[str]) -> list[str]:
    """The DATE_FORMATS that read every one of ``values``, most usual first: several when the
    dates fit more than one (only days up to 12: 1/2/2013), none when no one format reads all."""
    distinct = list(dict.fromkeys(v.strip() for v in values))
    fits = []
    for fmt in DATE_FORMATS:
        try:
            for value in distinct:
                datetime.strptime(value, fmt)
        except ValueError:
            continue
        fits.append(fmt)
    return fits
