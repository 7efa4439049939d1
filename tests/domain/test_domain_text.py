"""Text that may be stored, and identifiers as keys: what looks the same is the same."""

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arctui.domain.text import TextError, check_text, identifier, normalise_identifier, unsafe_character

CONTROLS = [chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))]
BIDI = list("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\x00"]
DASHES = ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\ufe63", "\uff0d"]

# text as an attacker or a careless export writes it: letters, digits, dashes, spaces, and
# every kind of character a terminal or a reader could be fooled by
tricky_text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(CONTROLS + BIDI + INVISIBLE + DASHES + [" ", "\u00a0", "\u3000", "\u0301", "\uff29"]),
    ),
    max_size=30,
)


@settings(max_examples=1500)
@given(tricky_text)
def test_normalising_an_identifier_is_idempotent_and_leaves_no_control_character(text):
    key = normalise_identifier(text)
    assert normalise_identifier(key) == key
    assert unsafe_character(key) is None
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in key)
    assert key == key.strip() and "  " not in key


@settings(max_examples=500)
@given(tricky_text)
def test_an_accepted_identifier_is_its_own_key(text):
    try:
        stored = identifier(text)
    except TextError:
        return
    assert identifier(stored) == stored == normalise_identifier(stored)


@pytest.mark.parametrize(
    "written",
    [
        "INV-0001001\u200b",  # zero-width space
        "INV\u20100001001",  # Unicode hyphen
        "INV\u20130001001",  # en dash
        "INV\u22120001001",  # minus sign
        "INV-0001001\x00",  # trailing NUL, as C exports pad
        "\ufeffINV-0001001",  # a byte-order mark left at the start
        "INV-\u20600001001",  # word joiner
        " INV-0001001 ",
        "\uff29\uff2e\uff36-0001001",  # fullwidth letters
        "INV\u00ad-0001001",  # soft hyphen
        "INV-000\u202e1001",  # a bidi override inside
    ],
)
def test_what_looks_like_an_invoice_number_is_that_invoice_number(written):
    assert identifier(written) == normalise_identifier(written) == "INV-0001001"


@pytest.mark.parametrize(
    "written, problem",
    [
        ("INV\x1b[2J1", "U+001B (ESC) at character 4"),
        ("INV\x071", "U+0007 (BEL) at character 4"),
        ("INV\t1", "U+0009 (TAB) at character 4"),
        ("INV\r\n1", "U+000D (CR) at character 4"),
        ("INV\x9b1", "U+009B (CSI) at character 4"),
    ],
)
def test_an_identifier_with_a_control_that_acts_on_a_terminal_is_refused(written, problem):
    with pytest.raises(TextError, match=re.escape(f"has a control character {problem}")):
        identifier(written)


@pytest.mark.parametrize(
    "text, problem",
    [
        ("ACME\x1b]0;pwned\x07\x1b[2J Ltd", "control character U+001B (ESC) at character 5"),
        ("Bob\x00", "control character U+0000 (NUL) at character 4"),
        ("abc\u202edcba", "bidirectional override U+202E (RIGHT-TO-LEFT OVERRIDE) at character 4"),
        ("two\nlines", "control character U+000A (LF) at character 4"),
        ("x\x7f", "control character U+007F (DEL) at character 2"),
        ("line\u2028break", "control character U+2028 (LINE SEPARATOR) at character 5"),
    ],
)
def test_text_with_a_control_character_is_refused_naming_it(text, problem):
    assert unsafe_character(text) == problem
    with pytest.raises(TextError, match="expected one line of text with no control characters"):
        check_text(text)


def test_a_note_keeps_tab_and_newline_but_nothing_else():
    assert check_text("called\tAP\r\nwill pay Friday", multiline=True) == "called\tAP\nwill pay Friday"
    with pytest.raises(TextError, match=re.escape("U+001B (ESC)")):
        check_text("called\n\x1b[2J", multiline=True)
    with pytest.raises(TextError, match=re.escape("U+000D (CR)")):
        check_text("overwrite\rme", multiline=True)


def test_ordinary_text_in_any_script_is_kept_as_written():
    for text in ("Müller & Söhne", "Société Générale", "株式会社", "שלום\u200f", "क्\u200dष", "👩\u200d💻"):
        assert check_text(text) == text
