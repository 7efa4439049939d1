"""Control characters in text arctui shows: which ones are dangerous, and how to show them.

A customer name may carry terminal escape sequences (``ACME\\x1b]0;pwned\\x07\\x1b[2J Ltd``
sets a colleague's window title and clears their screen), bytes a spreadsheet refuses, or
bidirectional overrides that make text read differently from what it is ("Trojan Source").
Such a name may already be in a book (written before imports cleaned their input, or by
another tool), so every output shows it through ``visible``: the terminal, the console and
every report format. The characters are C0 (U+0000–U+001F), DEL, C1 (U+0080–U+009F) and the
bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069).

``visible`` writes each as a backslash escape a reader can see and an auditor can search
for: ``\\t``, ``\\n``, ``\\r``, ``\\x1b`` (C0, DEL, C1), ``\\u202e`` (bidi). Escaping twice
changes nothing. A backslash already in the text is left as it is, so the text
``C:\\x1b`` and a name holding the ESC character look alike: the point is that no output
carries the character itself.
"""

import re

# one character class for every output (and for input checks that want the same set)
CONTROL_CHARS = "\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[{CONTROL_CHARS}]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(char: str) -> str:
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def visible(text: str, keep: str = "") -> str:
    """``text`` with every control character written as a visible escape (ESC as ``\\x1b``,
    U+202E as ``\\u202e``); the characters in ``keep`` (e.g. ``"\\n"`` where the output lays
    out lines itself) stay as they are."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: m.group() if m.group() in keep else _escape(m.group()), text)


def has_control_chars(text: str) -> bool:
    return _CONTROL.search(text) is not None


def without_control_chars(text: str) -> str:
    """``text`` with the control characters removed: for a last line of defence whose layout
    is already made (they take no cells on a terminal, so removing them moves nothing)."""
    return _CONTROL.sub("", text)
