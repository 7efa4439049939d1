"""Text as people type it and exports write it: what may be stored, and identifiers as keys.

Two rules, used at every input boundary (imports, forms, the CLI):

- **Text** (names, notes, references, emails) is stored as given, but a character a terminal
  or a spreadsheet would act on is refused: C0 and C1 control characters (ESC, BEL, NUL,
  DEL, the 8-bit CSI ...) and the bidirectional overrides and isolates that reorder what a
  reader sees. A note may keep tab and newline.
- **Identifiers** (invoice numbers, account numbers, bank references) are keys: two that
  look the same must be the same. ``normalise_identifier`` folds compatibility forms (NFKC:
  fullwidth letters, no-break spaces), drops what cannot be seen (zero-width characters, the
  byte-order mark, soft hyphens, bidi marks, NUL and every other control character), writes
  every Unicode hyphen or dash as ``-`` and trims and collapses white space.
"""

import re
import unicodedata

from arctui.domain.control_chars import CONTROL_CHARS

# The characters refused in stored text are those every output escapes (CONTROL_CHARS: C0,
# DEL, C1 and the bidi embeddings, overrides and isolates that reorder what a reader sees,
# "Trojan Source"); the bidi marks (LRM, RLM, ALM) only nudge neutral characters and stay.
# One line of text also refuses the Unicode line and paragraph separators; a note keeps them,
# with tab and newline.
_LINE_SEPARATORS = "\u2028\u2029"
_UNSAFE = {
    False: re.compile(f"[{CONTROL_CHARS}{_LINE_SEPARATORS}]"),
    True: re.compile(f"(?![\t\n])[{CONTROL_CHARS}]"),
}
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Zero-width characters an identifier may hide (all of category Cf, which identifiers drop).
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
MINUS_SIGN = "\u2212"

_C0_NAMES = (
    "NUL SOH STX ETX EOT ENQ ACK BEL BS TAB LF VT FF CR SO SI "
    "DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US"
).split()
_C1_NAMES = {0x85: "NEL", 0x90: "DCS", 0x9B: "CSI", 0x9C: "ST", 0x9D: "OSC"}


class TextError(ValueError):
    """Text holding a character that may not be stored; the message says which and where."""


def describe(char: str) -> str:
    """``U+001B (ESC)``: a character named so a person can find it."""
    code = ord(char)
    if code < 0x20:
        name = _C0_NAMES[code]
    elif code == 0x7F:
        name = "DEL"
    elif 0x80 <= code < 0xA0:
        name = _C1_NAMES.get(code, "C1 control")
    else:
        name = unicodedata.name(char, "")
    return f"U+{code:04X} ({name})" if name else f"U+{code:04X}"


def unsafe_character(text: str, *, multiline: bool = False) -> str | None:
    """What is wrong with ``text`` as stored text, or None: the first control character or
    bidi override in it, named, with its position (1-based). ``multiline`` allows tab,
    newline and the Unicode line separators (a note)."""
    if text.isascii() and text.isprintable():
        return None
    found = _UNSAFE[multiline].search(text)
    if found is None:
        return None
    char = found.group()
    what = "bidirectional override" if char in BIDI_CONTROLS else "control character"
    return f"{what} {describe(char)} at character {found.start() + 1}"


def check_text(text: str, *, multiline: bool = False) -> str:
    """``text`` unchanged when it may be stored (a carriage return before a newline is
    dropped in multi-line text); TextError naming the first character that may not."""
    if multiline and "\r" in text:
        text = text.replace("\r\n", "\n")
    problem = unsafe_character(text, multiline=multiline)
    if problem:
        raise TextError(f"has a {problem}; {_expected(multiline)}")
    return text


def _expected(multiline: bool) -> str:
    if multiline:
        return "expected text with no control characters other than tab and newline"
    return "expected one line of text with no control characters"


def _invisible(char: str) -> bool:
    """Dropped from identifiers: controls, format characters (zero-width, BOM, soft hyphen,
    bidi marks and overrides) and lone surrogates."""
    return unicodedata.category(char) in ("Cc", "Cf", "Cs")


def _dash(char: str) -> bool:
    return char == MINUS_SIGN or unicodedata.category(char) == "Pd"


def normalise_identifier(text: str) -> str:
    """An identifier as a key: what looks the same is the same (see the module's docstring).

    Idempotent, and never returns a control character."""
    if text.isascii() and text.isprintable() and "  " not in text and text == text.strip():
        return text  # the common case, as cheap as a key can be
    visible = "".join(c for c in text if not _invisible(c))
    folded = unicodedata.normalize("NFKC", visible)
    folded = "".join("-" if _dash(c) else c for c in folded if not _invisible(c))
    return " ".join(folded.split())


def identifier(text: str) -> str:
    """``text`` as a stored identifier: its invisible padding (NUL, zero-width characters,
    format characters, surrounding white space) dropped and normalised; a control character
    that would act on a terminal (ESC, BEL, CR, a tab inside ...) is refused (TextError)."""
    if text.isascii() and text.isprintable():  # the common case: nothing to drop or refuse
        return normalise_identifier(text.strip())
    visible = "".join(c for c in text if c != "\x00" and unicodedata.category(c) != "Cf").strip()
    problem = unsafe_character(visible)
    if problem:
        raise TextError(f"has a {problem}; expected letters, digits and punctuation")
    return normalise_identifier(visible)
