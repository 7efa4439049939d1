"""SWIFT MT940 (customer statement) and MT942 (interim transaction report): the receipts of a
statement, read with the mt-940 library (tags, ``:61:`` statement lines, the ``?20``-``?33``
sub-fields of a structured ``:86:``) and what it leaves to us read here:

- The file: UTF-8, else Latin-1 (code page 852 where it has bytes 0x80-0x9F, which Latin-1
  text has not), with CR LF, LF or bare CR line ends. SWIFT blocks around the text
  (``{1:..}{2:..}{3:..}{4:`` ... ``-}{5:..}``), control characters and a bank's header lines
  before a statement are not part of it. A statement begins at each ``:20:``; a file has one
  or more, and none is refused.
- Identity: ``:20:`` reference, ``:25:`` account (refused when missing), ``:28C:`` number.
- ``:61:`` marks: ``C`` a credit, a receipt in the statement's currency dated by its value
  date; ``D`` a debit, not a receipt; ``RD`` (a debit reversed: money back, no customer's
  payment) a Notice; ``RC`` (a credit the bank took back) reverses the receipt it takes back
  (``Reversal``: same account and amount, sharing its bank or customer reference), never a
  receipt; ``EC``/``ED`` (expected, MT942) are a pending receipt and nothing, and are not on
  an MT940's balance (an ``EC`` there is a Notice). A letter after the mark is the funds
  code. ``100,`` (no decimals) is 100. A value date of 30 February (German banks'
  interest-day convention) is the month's last day; any other date that does not exist, and
  a balance without its mark, date, currency and amount, refuse the file on its line.
- Remittance: the ``:61:`` customer reference and the ``:86:`` text; where the ``:86:`` is
  structured, the payer's name, purpose (``?20``-``?29``, ``SVWZ+``), end-to-end reference
  (``EREF+``) and the ``/NAME/``, ``/REMI/``, ``/EREF/`` fields are read instead of the raw
  text. An ``:86:`` after the closing balance is about the statement and is not read.
- MT940 balances: opening (``:60F:``/``:60M:``) + entries = closing (``:62F:``/``:62M:``); when
  not, the credits are still imported and a Notice names the difference. A statement
  without both balances is refused (an intraday report goes through ``mt942``).
- MT942 entries are pending receipts: seen, not cash until the end-of-day MT940 books them
  under the same key (the bank reference). ``:90D:``/``:90C:`` (number and sum of debit and
  credit entries) must be what the report holds, else the file is refused on that line.
- Keys (``receipt_key``): the account and the ``:61:`` bank reference (after ``//``) when no
  other credit of the statement has it, else the statement (reference, number, day, opening
  balance) and the entry's position.
"""

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import mt940

from arctui.api import ImportFileError, Notice, Options, Rejected, Reversal
from arctui_plugins.bank_amounts import minor, receipt_record, shown_amount
from arctui_plugins.bank_keys import receipt_key

_LIBRARY = mt940.Options(
    unbounded_details=True,
    non_swift_free_text=True,
    merge_keeps_values=True,
    case_insensitive_marks=True,
    applicant_iban=True,
    strip_bom=True,
    timezone_offset=True,
)
_TAG = re.compile(r":(\d{2}[A-Z]?|NS):")
_KNOWN = {str(k) for k in mt940.tags.TAG_BY_ID}
_SWIFT_HEADER = re.compile(r"\{[1-3]:(?:[^{}]|\{[^{}]*\})*\}")
_SWIFT_TRAILER = re.compile(r"^-\}.*$|\{5:.*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_NONE = {"", "NONREF", "NOTPROVIDED"}
_SWIFT_FIELDS = re.compile(r"/(NAME|REMI|EREF|TRTP|IBAN|BIC|ORDP|BENM|CSID|MARF|ADDR|ISDT|ULTC|ULTD|PURP|SVCL)/")
_GVC = re.compile(r"(EREF|SVWZ|KREF|MREF|CRED|ABWA|IBAN|BIC )\+")
_CLOSING = ("62F", "62M", "62")
_MONEY_IN = ("C", "RD", "EC")  # a credit, a debit reversed, an expected credit (MT942)
_EXPECTED = ("EC", "ED")
_BALANCE_FORM = "expected C or D, the date (YYMMDD), the currency and the amount"
_EXPECTED_FORM = {
    "61": "expected the value date (YYMMDD, a real date), the entry date (MMDD), C, D, RC or RD, the amount "
    "(1234,56), the type (N + 3 characters) and the reference",
    "60": _BALANCE_FORM,
    "62": _BALANCE_FORM,
}
_INTERIM = ("13", "34")  # :13D: and :34F:, which only an MT942 carries
_BALANCES = ("60", "62", "64", "65")
_BALANCE = re.compile(r"[CD]\d{6}[A-Z]{3}\d[\d,]*$")
_WIDE_REFERENCE = {61: mt940.tags.StatementASNB()}
_UNREADABLE = (RuntimeError, ValueError, ArithmeticError, KeyError)
# the library logs what it cannot match; the file's refusal says it once, on its line
logging.getLogger("mt940").addHandler(logging.NullHandler())


@dataclass
class _Tag:
    tag: str
    line: int
    text: str


@dataclass
class _Statement:
    """One statement of the file: its tags, with the line each starts on."""

    tags: list[_Tag] = field(default_factory=list)

    def first(self, *names: str) -> _Tag | None:
        return next((t for t in self.tags if t.tag in names), None)


def read_lines(path: Path) -> list[str]:
    """The file's lines without SWIFT blocks or control characters, one per line of the file."""
    data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # bytes 0x80-0x9F are no Latin-1 text: the DOS code page of Central European banks
        text = data.decode("cp852" if re.search(rb"[\x80-\x9f]", data) else "latin-1")
    lines = []
    for line in re.split(r"\r\n|\r|\n", text):
        line = _CONTROL.sub("", _SWIFT_HEADER.sub("", line)).replace("{4:", "")
        lines.append("-" if _SWIFT_TRAILER.match(line) else line.rstrip())
    return lines


def statements(path: Path) -> list[_Statement]:
    """The statements of the file, each from its ``:20:`` to the next (the tags the library knows)."""
    found: list[_Statement] = []
    current = None
    for number, line in enumerate(read_lines(path), 1):
        match = _TAG.match(line)
        if match and (match[1] in _KNOWN or match[1][:2] in _KNOWN):
            if match[1] == "20":
                current = _Statement()
                found.append(current)
            if current is not None:
                current.tags.append(_Tag(match[1], number, line[match.end() :]))
        elif line == "-":
            current = None  # the message ends; a bank's header lines may follow until the next :20:
        elif current is not None and line:
            current.tags[-1].text += "\n" + line
    if not found:
        raise ImportFileError(path, 1, "has no statement (no :20: tag); expected a SWIFT MT940 or MT942 file")
    return found


def _parsed(path: Path, statement: _Statement):
    """The library's reading of one statement; a tag it cannot read refuses the file on its line.
    A ``:61:`` customer reference longer than its 16 characters (an IBAN, as ASN Bank sends) is
    read with the library's wider ``:61:`` when the standard one cannot read the statement."""
    kept, closed = [], False
    for tag in statement.tags:
        closed = closed or tag.tag in _CLOSING
        if not (closed and tag.tag == "86"):  # information on the statement, not on its last entry
            kept.append(tag)
    text = "\n".join(f":{t.tag}:{t.text}" for t in kept)
    for tags in (None, _WIDE_REFERENCE):
        transactions = mt940.models.Transactions(tags=tags, options=_LIBRARY)
        try:
            transactions.parse(text)
            return transactions
        except _UNREADABLE:
            continue
    for tag in kept:
        library_tag = transactions.tags.get(tag.tag) or transactions.tags[int(tag.tag[:2])]
        try:
            library_tag(transactions, library_tag.parse(transactions, tag.text.strip()))
        except _UNREADABLE:
            value = tag.text.strip().split("\n")[0][:40]
            form = _EXPECTED_FORM.get(tag.tag[:2])
            raise ImportFileError(
                path, tag.line, f":{tag.tag}: {value!r} cannot be read{f': {form}' if form else ''}"
            ) from None
    raise ImportFileError(path, statement.tags[0].line, "statement cannot be read")


def _ref(value) -> str:
    value = (value or "").strip()
    return "" if value.upper() in _NONE else value


def _swift_fields(text: str) -> dict[str, str]:
    """``/CODE/value`` fields of an ``:86:`` (SEPA statements of Dutch and other banks)."""
    found = {}
    marks = list(_SWIFT_FIELDS.finditer(text))
    for mark, following in zip(marks, marks[1:] + [None]):
        value = text[mark.end() : following.start() if following else len(text)]
        found.setdefault(mark[1], value.strip("/ "))
    return found


def _gvc_fields(text: str) -> dict[str, str]:
    """``EREF+``/``SVWZ+`` fields of an unstructured ``:86:`` (German SEPA wording)."""
    marks = list(_GVC.finditer(text))
    return {m[1]: text[m.end() : n.start() if n else len(text)].strip() for m, n in zip(marks, marks[1:] + [None])}


def remittance(data: dict) -> str:
    """What the payer said: see the module's docstring."""
    raw = " ".join((data.get("transaction_details") or "").split())
    structured = "posting_text" in data  # the library read its ?00-?63 sub-fields
    codes = {} if structured else _swift_fields(raw) or _gvc_fields(raw)
    parts = [_ref(data.get("customer_reference"))]
    if structured:
        parts += [data.get(k) for k in ("applicant_name", "purpose", "end_to_end_reference", "additional_purpose")]
    elif codes:
        parts += [codes.get(k) for k in ("NAME", "REMI", "SVWZ", "EREF", "KREF")]
    else:
        parts.append(raw)
    parts.append(data.get("extra_details"))
    return " ".join(dict.fromkeys(p.strip() for p in parts if p and _ref(p)))


def _day(data: dict, closing) -> str:
    """The day a statement reports (its closing balance's), or an MT942's time (:13D:)."""
    return closing.date.isoformat() if closing else str(data.get("date") or "")[:16].replace(" ", "T")


def _statement_id(data: dict, number: str, opening, closing) -> str:
    """What tells a statement from another where an entry has no bank reference: its :20:
    reference, :28C: number, day and opening balance: pages of one day under one reference
    differ by their opening."""
    start = f"{opening.status}{opening.amount.amount.copy_abs().normalize():f}" if opening else ""
    return "/".join(p for p in (_ref(data.get("transaction_reference")), number, _day(data, closing), start) if p)


def _balance(data: dict, kind: str):
    """The statement's final, intermediate or plain ``kind`` (opening, closing) balance, or None."""
    return next(
        (data[k] for k in (f"final_{kind}_balance", f"intermediate_{kind}_balance", f"{kind}_balance") if k in data),
        None,
    )


def _label(data: dict, number: str, closing, account: str) -> str:
    """'statement 940S130101/3/1 of 2013-01-08 (account NL71…)': how notices name a statement."""
    name = "/".join(p for p in (_ref(data.get("transaction_reference")), number) if p)
    return f"statement {name} of {_day(data, closing)} (account {account})"


class _Reader:
    """Reads one file's statements as MT940 (``interim`` False) or MT942 (True)."""

    def __init__(self, path: Path, interim: bool):
        self.path, self.name, self.interim = path, str(path), interim

    def read(self):
        for statement in statements(self.path):
            yield from self.statement(statement, _parsed(self.path, statement))

    def statement(self, statement: _Statement, parsed):
        data, head = parsed.data, statement.tags[0]
        account = _ref(data.get("account_identification"))
        if not account:
            raise ImportFileError(self.path, head.line, "statement has no account (:25:)")
        opening, closing = _balance(data, "opening"), _balance(data, "closing")
        self.check_kind(statement, opening, closing)
        number = "/".join(str(data[k]) for k in ("statement_number", "sequence_number") if data.get(k))
        statement_id = _statement_id(data, number, opening, closing)
        currency = (parsed.currency or "").upper()
        lines = [t.line for t in statement.tags if t.tag == "61"]
        entries = [t.data for t in parsed.transactions if t.data.get("status")]
        if len(entries) != len(lines):
            raise ImportFileError(self.path, head.line, f"statement has {len(lines)} :61: lines, {len(entries)} read")
        # a bank reference keys a receipt where no other receipt of the statement has it (its
        # reversal, an RC, often repeats it)
        bank_refs = Counter(_ref(e.get("bank_reference")) for e in entries if e["status"].upper() in ("C", "EC"))
        label = _label(data, number, closing, account)
        moved = {"C": [0, Decimal(0)], "D": [0, Decimal(0)]}
        for position, (entry, line) in enumerate(zip(entries, lines), 1):
            mark, amount = entry["status"].upper(), abs(entry["amount"].amount)
            if self.interim or mark not in _EXPECTED:  # an expected entry is not on an MT940's balance
                side = moved["C" if mark in _MONEY_IN else "D"]
                side[0], side[1] = side[0] + 1, side[1] + amount
            bank_ref = _ref(entry.get("bank_reference"))
            key = receipt_key(account, bank_ref if bank_refs[bank_ref] == 1 else None, statement_id, position)
            yield from self.entry(entry, line, mark, amount, currency, key, account, f"{label}, entry {position}")
        if self.interim:
            self.check_control_totals(statement, parsed, moved, currency)
        else:
            yield from self.reconcile(statement, opening, closing, moved, label)

    def entry(self, entry: dict, line: int, mark: str, amount: Decimal, currency: str, key: str, account, where):
        """What one ``:61:`` is: a receipt, a reversal, a notice, or nothing (a debit)."""
        shown = shown_amount(amount, currency)
        if mark == "C" or (mark == "EC" and self.interim):
            if amount:
                yield receipt_record(
                    self.name,
                    line,
                    currency,
                    amount,
                    {
                        "bank_ref": key,
                        "received_date": entry["date"].isoformat(),
                        "method": "check" if "CHK" in (entry.get("id") or "").upper() else "ach",
                        "currency": currency,
                        "remittance": remittance(entry),
                        "state": "pending" if self.interim else "booked",
                    },
                )
        elif mark == "EC":
            yield Notice(self.name, line, f"{where} is an expected credit, {shown} (EC): not booked, not imported")
        elif mark == "RD":
            yield Notice(
                self.name, line, f"{where} is a reversal of a debit, {shown} (RD): not a receipt, not imported"
            )
        elif mark == "RC":
            yield self.reversal(entry, line, account, currency, amount, where)

    def check_kind(self, statement: _Statement, opening, closing) -> None:
        """Refuse a balance that is not one, an MT940 without both balances and, as MT942, an
        end-of-day statement."""
        for tag in statement.tags:
            value = tag.text.strip().split("\n")[0]  # a bank's trailer may follow the last balance
            if tag.tag[:2] in _BALANCES and not _BALANCE.match(value):
                raise ImportFileError(
                    self.path,
                    tag.line,
                    f":{tag.tag}: {value[:30]!r} is not a balance: {_BALANCE_FORM}",
                )
        line = statement.tags[0].line
        interim = any(t.tag[:2] in _INTERIM for t in statement.tags)
        if self.interim and (opening or closing) and not interim:
            raise ImportFileError(
                self.path,
                line,
                "is an end-of-day statement (:60a:/:62a: balances, no :13D: or :34F:): import it as mt940",
            )
        if not self.interim and not (opening and closing):
            missing = " and ".join(
                w for w, b in (("opening (:60F:/:60M:)", opening), ("closing (:62F:/:62M:)", closing)) if not b
            )
            raise ImportFileError(
                self.path,
                line,
                f"statement has no {missing} balance, which an MT940 has; an intraday report (MT942) "
                "is imported as mt942",
            )

    def reversal(self, entry: dict, line: int, account: str, currency: str, amount: Decimal, where: str):
        units = minor(amount, currency)
        if units is None:
            return Rejected(self.name, line, "amount", f"{amount} is not an amount in {currency or 'no currency'}")
        references = tuple(
            r
            for r in (
                _ref(entry.get("bank_reference")),
                _ref(entry.get("customer_reference")),
                _ref(entry.get("end_to_end_reference")),
            )
            if r
        )
        return Reversal(self.name, line, account, currency, units, references, f"{where} (RC)")

    def reconcile(self, statement: _Statement, opening, closing, moved: dict, label: str):
        currency = opening.amount.currency
        line = statement.first(*_CLOSING).line
        if currency != closing.amount.currency:
            yield Notice(
                self.name,
                line,
                f"{label}: opening balance in {currency}, closing in {closing.amount.currency}: not reconciled",
            )
            return
        start, end = opening.amount.amount, closing.amount.amount  # signed: D is negative
        computed = start + moved["C"][1] - moved["D"][1]
        if computed != end:
            yield Notice(
                self.name,
                line,
                f"{label} does not reconcile: opening {shown_amount(start, currency)} + entries "
                f"{shown_amount(computed - start, currency)} = {shown_amount(computed, currency)}, the closing balance "
                f"says {shown_amount(end, currency)} (difference {shown_amount(end - computed, currency)}); "
                "its credits are imported",
            )

    def check_control_totals(self, statement: _Statement, parsed, moved: dict, currency: str) -> None:
        """``:90D:``/``:90C:`` against the report's entries: wrong refuses the file."""
        for tag, side, words in (("90D", "D", "debit"), ("90C", "C", "credit")):
            stated = parsed.data.get(f"sum_{words}_entries")
            where = statement.first(tag)
            if stated is None or where is None:
                continue
            count, amount = moved[side]
            if int(stated.number or 0) != count or abs(stated.amount) != amount:
                raise ImportFileError(
                    self.path,
                    where.line,
                    f":{tag}: says {stated.number or 0} {words} entries of "
                    f"{shown_amount(abs(stated.amount), currency)}, "
                    f"the report has {count} of {shown_amount(amount, currency)}",
                )


def parse_mt940(path: Path, options: Options):
    yield from _Reader(Path(path), interim=False).read()


def parse_mt942(path: Path, options: Options):
    yield from _Reader(Path(path), interim=True).read()
