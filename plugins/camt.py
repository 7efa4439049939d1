"""ISO 20022 camt.053 (bank-to-customer statement), camt.052 (account report) and camt.054
(debit/credit notification): the receipts of their statements, reports and notifications.

Read as ISO 20022 defines camt.053.001.02 to .08, camt.052 and camt.054 from .01 (and any
later ``.001.NN`` with the same structure) and as banks' implementation guides use them,
not as one sample does. The three carry the same entries; what differs is named in
``_MESSAGES``:

- A message holds one or more statements (``Stmt``; ``Rpt``, ``Ntfctn``), 1..n; a file
  without one is refused. Version 01 names the message ``…V01`` and may give the account as
  ``PrtryAcct``; a Document whose elements are outside the namespace is known by its message.
- The cash is the entry: its booked ``Amt`` and currency are what reached the account. The
  transaction details (``TxDtls``) split a batch entry into one receipt each only when every
  detail has an amount in the entry's currency and they add up to the entry's amount;
  otherwise the entry is one receipt and a Notice says the details disagree. A detail of 0
  adds nothing and is skipped.
- Only booked credits are receipts (``Sts`` BOOK). ``Sts`` is mandatory in every version,
  yet some banks leave it out of camt.053; a statement reports booked entries, so such an
  entry is taken as booked and a Notice says so (cash is never dropped silently). Pending
  and informational entries are left out with a Notice.
- A reversal (``RvslInd`` true) is not a receipt: a credit that reverses a debit is left out
  with a Notice; a booked debit that takes back a credit is a ``Reversal`` of the receipt
  that shares one of its references (the bank's, a detail's end-to-end, instruction or
  transaction id), which the core undoes.
- The remittance of a receipt: the payer's name, unstructured text, referred document
  numbers, the structured creditor reference (with the creditor's reference an ISO 11649
  ``RF`` or a Swiss QR/ESR reference carries) and the end-to-end id.
- Dates are ISO dates or date-times, with or without a zone offset (``2017-04-11+02:00``,
  ``2014-12-31T13:15:00+01:00``): the receipt's date is the date as written.
- Each receipt is keyed by ``receipt_key``: the account (IBAN or other id), the bank's own
  reference for the entry (``AcctSvcrRef``, or the one detail's) when no other entry of the
  statement has it, else the statement's id and the entry's ``NtryRef`` (when unique) or its
  position; a batch detail adds its position. The payer's ``EndToEndId`` is remittance.
- Each statement's balances are checked: opening (OPBD, else PRCD) + booked credits − booked
  debits in the balance currency must equal the closing balance (CLBD); when they do not, its
  booked entries are still imported and a Notice names the statement and the difference; a
  report or notification need not carry both balances. A copy or duplicate (``CpyDplctInd``) is said in a Notice.

The XML is read safely (no external entities, no entity expansion) in an ASCII-compatible
encoding.
"""

import codecs
import re
import xml.etree.ElementTree as ET
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple
from xml.parsers import expat

from arctui.api import ImportFileError, Notice, Options, Rejected, Reversal, text_encoding
from arctui_plugins.bank_amounts import minor, receipt_record, shown_amount
from arctui_plugins.bank_keys import receipt_key

_DOCUMENT = re.compile(r"\{urn:iso:std:iso:20022:tech:xsd:camt\.(05[234])\.001\.(\d{2,})\}Document")


class _Message(NamedTuple):
    """What one camt message calls its parts."""

    root: str  # the message element under Document
    part: str  # its statements (1..n)
    word: str  # what notices call one
    balances: bool  # must carry opening and closing balances (else said in a notice)


_MESSAGES = {
    "053": _Message("BkToCstmrStmt", "Stmt", "statement", True),
    "052": _Message("BkToCstmrAcctRpt", "Rpt", "report", False),
    "054": _Message("BkToCstmrDbtCdtNtfctn", "Ntfctn", "notification", False),
}
_NOT_PROVIDED = {"", "NOTPROVIDED", "NONREF"}
_RF_REFERENCE = re.compile(r"RF\d{2}[0-9A-Za-z]{1,21}")
_QR_REFERENCE = re.compile(r"\d{27}")
_REVERSAL_REFS = ("EndToEndId", "TxId", "InstrId", "AcctSvcrRef")
_DECIMAL = re.compile(r"\+?(\d+(?:\.\d*)?|\.\d+)")
_ISO_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})(?:$|[T+\-Z])")
_COPY = {"COPY": "a copy", "DUPL": "a duplicate", "CODU": "a copy and duplicate"}
_DECLARED_ENCODING = re.compile(rb"(?:\xef\xbb\xbf)?<\?xml[^>]*?\sencoding\s*=\s*[\"']([^\"']*)[\"']")
# how a document in UTF-16 or UTF-32 starts: a byte-order mark, or "<?" with zero bytes
_WIDE_STARTS = {
    codecs.BOM_UTF32_LE: "utf-32",
    codecs.BOM_UTF32_BE: "utf-32",
    codecs.BOM_UTF16_LE: "utf-16",
    codecs.BOM_UTF16_BE: "utf-16",
    b"<\x00?\x00": "utf-16",
    b"\x00<\x00?": "utf-16",
}


def _check_encoding(path: Path, head: bytes) -> None:
    """Refuse a document that is not in an ASCII-compatible encoding (the core's list),
    as its bytes or its XML declaration say: expat reads no multi-byte encoding but its
    own, and in those the bytes of one character can stand for markup."""
    wide = next((name for start, name in _WIDE_STARTS.items() if head.startswith(start)), None)
    if wide is not None:
        text_encoding(path, 1, wide)
    declared = _DECLARED_ENCODING.match(head)
    if declared is not None:
        text_encoding(path, 1, declared[1].decode("latin-1"))


def read_xml(path: Path):
    """The document's root and the line each element starts on.

    A document type declaration is refused outright: a bank statement has none, and a DTD
    is how entity-expansion bombs and external-entity reads get into an XML parser.
    """
    builder = ET.TreeBuilder()
    lines: dict = {}
    parser = expat.ParserCreate(namespace_separator=" ")

    def qualified(tag: str) -> str:
        namespace, _, local = tag.rpartition(" ")
        return f"{{{namespace}}}{local}" if namespace else local

    def start(tag, attrs):
        element = builder.start(qualified(tag), {qualified(k): v for k, v in attrs.items()})
        lines[element] = parser.CurrentLineNumber

    def refuse(*_):
        raise ImportFileError(
            path, parser.CurrentLineNumber, "has a document type declaration (DTD); refused, a bank statement has none"
        )

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: builder.end(qualified(tag))
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        with open(path, "rb") as f:
            _check_encoding(path, f.read(200))
            f.seek(0)
            parser.ParseFile(f)
    except expat.ExpatError as exc:
        raise ImportFileError(path, exc.lineno, f"not well-formed XML: {expat.ErrorString(exc.code)}") from None
    except (LookupError, ValueError) as exc:  # an encoding expat cannot read after all
        raise ImportFileError(path, 1, f"declares an encoding that cannot be read ({exc})") from None
    return builder.close(), lines


def _text(element, path: str) -> str:
    found = element.find(path) if element is not None else None
    return (found.text or "").strip() if found is not None else ""


def _ref(element, path: str) -> str:
    """A reference, or "" where the bank wrote that none was provided."""
    value = _text(element, path)
    return "" if value.upper() in _NOT_PROVIDED else value


def _decimal(text: str) -> Decimal | None:
    """An xs:decimal amount (ISO 20022 amounts are never negative), or None."""
    return Decimal(text) if _DECIMAL.fullmatch(text) else None


def _amount(element) -> tuple[Decimal | None, str]:
    """(amount, currency) of an ``Amt Ccy=".."`` element; amount None when unreadable."""
    if element is None:
        return None, ""
    return _decimal((element.text or "").strip()), element.get("Ccy", "").strip().upper()


def _day(text: str) -> str:
    """The date of an ISO date or date-time, with or without a zone offset, as written."""
    match = _ISO_DAY.match(text)
    return match[1] if match else text


def _entry_day(entry) -> str:
    for path in ("{*}BookgDt/{*}Dt", "{*}BookgDt/{*}DtTm", "{*}ValDt/{*}Dt", "{*}ValDt/{*}DtTm"):
        if value := _text(entry, path):
            return _day(value)
    return ""


def _statement_day(statement, message) -> str:
    """The day a statement reports: its period's end, its closing balance's date, or when it
    (or the message) was made; for an entry that gives neither booking nor value date."""
    closing = next((b for b in statement.findall("{*}Bal") if _text(b, "{*}Tp/{*}CdOrPrtry/{*}Cd") == "CLBD"), None)
    for element, path in (
        (statement, "{*}FrToDt/{*}ToDtTm"),
        (closing, "{*}Dt/{*}Dt"),
        (closing, "{*}Dt/{*}DtTm"),
        (statement, "{*}CreDtTm"),
        (message, "{*}GrpHdr/{*}CreDtTm"),
    ):
        if value := _text(element, path):
            return _day(value)
    return ""


def _camt_method(entry) -> str:
    family = _text(entry, "{*}BkTxCd/{*}Domn/{*}Fmly/{*}Cd")
    sub = _text(entry, "{*}BkTxCd/{*}Domn/{*}Fmly/{*}SubFmlyCd")
    if "CHQ" in family or "CHQ" in sub:
        return "check"
    return "wire" if sub == "XBCT" else "ach"


def _remittance(tx) -> str:
    """The payer's name, unstructured text, referred documents' numbers, the creditor's
    reference (with what an RF or QR/ESR reference carries inside) and the end-to-end id."""
    parts = [_text(tx, "{*}RltdPties/{*}Dbtr/{*}Nm") or _text(tx, "{*}RltdPties/{*}Dbtr/{*}Pty/{*}Nm")]
    info = tx.find("{*}RmtInf") if tx is not None else None
    if info is not None:
        parts += [(u.text or "").strip() for u in info.findall("{*}Ustrd")]
        for structured in info.findall("{*}Strd"):
            parts += [(n.text or "").strip() for n in structured.findall("{*}RfrdDocInf/{*}Nb")]
            parts += _creditor_reference(_text(structured, "{*}CdtrRefInf/{*}Ref"))
    if tx is not None:
        parts.append(_ref(tx, "{*}Refs/{*}EndToEndId"))
    return " ".join(dict.fromkeys(p for p in parts if p))


def _creditor_reference(ref: str) -> list[str]:
    """A structured creditor reference as written, and the creditor's own reference inside it:
    an ISO 11649 ``RFnn…`` reference carries it after its check digits; a Swiss QR / ESR
    reference (27 digits) is it, zero-padded, followed by a check digit."""
    ref = ref.replace(" ", "")
    if _RF_REFERENCE.fullmatch(ref):
        return [ref, ref[4:]]
    if _QR_REFERENCE.fullmatch(ref) and ref[:-1].lstrip("0"):
        return [ref, ref[:-1].lstrip("0")]
    return [ref]


def _status(entry) -> str:
    return _text(entry, "{*}Sts/{*}Cd") or _text(entry, "{*}Sts/{*}Prtry") or _text(entry, "{*}Sts")


def _detail_amount(tx) -> tuple[Decimal | None, str]:
    """The amount a transaction detail says it moved: ``Amt`` (from version 03), else
    ``AmtDtls/TxAmt``; (None, "") when it says none."""
    element = tx.find("{*}Amt")
    if element is None:
        element = tx.find("{*}AmtDtls/{*}TxAmt/{*}Amt")
    return _amount(element)


class _Statement:
    """One ``Stmt`` (``Rpt``, ``Ntfctn``): what identifies it and what its entries add up to."""

    def __init__(self, element, position: int, message, kind: _Message):
        self.element, self.kind = element, kind
        message_id = _text(message, "{*}GrpHdr/{*}MsgId")
        self.id = _text(element, "{*}Id") or f"{message_id or kind.word}#{position}"
        self.day = _statement_day(element, message)
        self.account = next(  # PrtryAcct: version 01's other account id
            (
                a
                for p in ("IBAN", "Othr/{*}Id", "PrtryAcct/{*}Id")
                if (a := _text(element, f"{{*}}Acct/{{*}}Id/{{*}}{p}"))
            ),
            "",
        )
        self.entries = element.findall("{*}Ntry")
        # a reference several entries share identifies none of them
        self.bank_refs = Counter(_entry_bank_ref(e) for e in self.entries)
        self.entry_refs = Counter(_text(e, "{*}NtryRef") for e in self.entries)
        self.booked: dict[str, Decimal] = {}  # signed, per currency
        self.unstated = 0  # entries without a status, taken as booked
        self.undated = 0  # receipts without a booking or value date, dated by the statement
        self.sides = {"CRDT": [0, Decimal(0)], "DBIT": [0, Decimal(0)]}  # entries and their sum, as TxsSummry

    def bank_ref(self, entry) -> str | None:
        ref = _entry_bank_ref(entry)
        return ref if ref and self.bank_refs[ref] == 1 else None

    def sequence(self, entry, position: int) -> str | int:
        ref = _text(entry, "{*}NtryRef")
        return ref if ref and self.entry_refs[ref] == 1 else position

    def count(self, amount: Decimal, currency: str, credit: bool) -> None:
        self.booked[currency] = self.booked.get(currency, Decimal(0)) + (amount if credit else -amount)


def _entry_bank_ref(entry) -> str:
    """The bank's reference for the entry: its ``AcctSvcrRef``, else its one detail's."""
    ref = _ref(entry, "{*}AcctSvcrRef")
    if not ref:
        details = entry.findall("{*}NtryDtls/{*}TxDtls")
        if len(details) == 1:
            ref = _ref(details[0], "{*}Refs/{*}AcctSvcrRef")
    return ref


def _camt(number: str):
    """The parser of camt.``number`` (053 statement, 052 account report, 054 debit/credit
    notification): the same entries, in a message with its own names."""
    kind = _MESSAGES[number]

    def parse(path: Path, options: Options):
        root, lines = read_xml(path)
        document = _DOCUMENT.fullmatch(root.tag)
        # a Document outside the namespace (Bank Frick's, which declares only a prefix) is
        # known by its message element
        unqualified = root.tag == "Document" and _message(root, kind) is not None
        if not unqualified and (document is None or document[1] != number):
            raise ImportFileError(path, 1, f"not a camt.{number} {kind.word} (root element {root.tag})")
        message = _message(root, kind)
        if message is None:
            raise ImportFileError(path, lines[root], f"has no {kind.word}: the Document has no {kind.root}")
        parts = message.findall(f"{{*}}{kind.part}")
        if not parts:
            raise ImportFileError(
                path,
                lines[message],
                f"has no {kind.word}: {kind.root} has no {kind.part} (a camt.{number} message has at least one)",
            )
        for position, element in enumerate(parts, 1):
            statement = _Statement(element, position, message, kind)
            if not statement.account:
                raise ImportFileError(
                    path,
                    lines[element],
                    f"{kind.word} {statement.id} has no account (Acct/Id: IBAN, Othr/Id or PrtryAcct/Id)",
                )
            yield from _statement(str(path), lines, statement)

    return parse


parse_camt053, parse_camt052, parse_camt054 = _camt("053"), _camt("052"), _camt("054")


def _message(root, kind: _Message):
    """The message element: ``BkToCstmrStmt`` and the like, ``…V01`` in version 01."""
    return next((e for e in root if e.tag.rpartition("}")[2] in (kind.root, f"{kind.root}V01")), None)


def _statement(name: str, lines: dict, statement: _Statement):
    element = statement.element
    label = f"{statement.kind.word} {statement.id} (account {statement.account})"
    copy = _text(element, "{*}CpyDplctInd")
    if copy:
        what = f"{_COPY[copy]} of a {statement.kind.word} already sent" if copy in _COPY else f"marked {copy}"
        yield Notice(name, lines[element], f"{label} is {what} (CpyDplctInd {copy})")
    for position, entry in enumerate(statement.entries, 1):
        yield from _entry(name, lines, statement, entry, position)
    if statement.unstated:
        yield Notice(
            name,
            lines[element],
            f"{label}: {statement.unstated} entries have no status (Sts); taken as booked, as a {statement.kind.word} "
            "reports",
        )
    if statement.undated:
        yield Notice(
            name,
            lines[element],
            f"{label}: {statement.undated} receipts have no booking or value date; dated {statement.day or '(none)'}, "
            f"the {statement.kind.word}'s own day",
        )
    yield from _summary(name, lines, statement, label)
    yield from _reconcile(name, lines, statement, label)


def _entry(name: str, lines: dict, statement: _Statement, entry, position: int):
    line = lines[entry]
    amount, currency = _amount(entry.find("{*}Amt"))
    if amount is None:
        shown = _text(entry, "{*}Amt") or "nothing"
        yield Rejected(name, line, "amount", f"the entry's Amt is {shown!r}; expected an amount such as 1234.56")
        return
    side = _text(entry, "{*}CdtDbtInd")
    if side not in ("CRDT", "DBIT"):
        yield Rejected(name, line, "CdtDbtInd", f"is {side or 'missing'!r}; expected CRDT or DBIT")
        return
    statement.sides[side][0] += 1
    statement.sides[side][1] += amount
    status = _status(entry)
    if not status:
        statement.unstated += 1
    booked = status in ("BOOK", "")
    where = f"{statement.kind.word} {statement.id}, entry {position}"
    reversal = _text(entry, "{*}RvslInd").lower() in ("true", "1")
    if booked:
        statement.count(amount, currency, side == "CRDT")
    if side == "DBIT":
        if reversal and booked and amount:
            yield _reversal(name, line, statement, entry, amount, currency, where)
        return
    if not booked:
        credit = shown_amount(amount, currency)
        yield Notice(name, line, f"{where}: a credit of {credit} not booked (Sts {status}); left out")
        return
    if amount == 0:
        return  # nothing moved
    if reversal:
        yield Notice(
            name,
            line,
            f"{where} is a reversal of a debit, {shown_amount(amount, currency)} (RvslInd): not a receipt, "
            "not imported",
        )
        return
    yield from _receipts(name, lines, statement, entry, position, amount, currency, where)


def _reversal(name: str, line: int, statement: _Statement, entry, amount: Decimal, currency: str, where: str):
    """A debit that takes back a credit (RvslInd): it reverses the receipt sharing one of its
    references (the bank's, or a detail's end-to-end, instruction or transaction id)."""
    units = minor(amount, currency)
    if units is None:
        return Rejected(name, line, "amount", f"{amount} is not an amount in {currency or 'no currency'}")
    references = [_ref(entry, "{*}AcctSvcrRef")]
    for tx in entry.findall("{*}NtryDtls/{*}TxDtls"):
        references += [_ref(tx, f"{{*}}Refs/{{*}}{r}") for r in _REVERSAL_REFS]
    return Reversal(
        name, line, statement.account, currency, units, tuple(dict.fromkeys(r for r in references if r)), where
    )


def _receipts(name, lines, statement, entry, position, amount, currency, where):
    details = entry.findall("{*}NtryDtls/{*}TxDtls")
    said = [_detail_amount(tx) for tx in details]
    if not _entry_day(entry):
        statement.undated += 1
    common = {
        "received_date": _entry_day(entry) or statement.day,
        "method": _camt_method(entry),
        "currency": currency,
    }
    bank_ref = statement.bank_ref(entry)
    sequence = statement.sequence(entry, position)
    split = (
        len(details) > 1 and all(a is not None and c == currency for a, c in said) and sum(a for a, _ in said) == amount
    )
    if split:
        for i, (tx, (part, _)) in enumerate(zip(details, said), 1):
            if part == 0:
                continue  # a detail of nothing is no receipt
            yield receipt_record(
                name,
                lines[tx],
                currency,
                part,
                dict(
                    common,
                    bank_ref=receipt_key(statement.account, bank_ref, statement.id, sequence, i),
                    remittance=_remittance(tx),
                ),
            )
        return
    stated = [(a, c) for a, c in said if a is not None]
    differs = any(c == currency and a != amount for a, c in stated) if len(details) == 1 else bool(stated)
    if differs:
        yield Notice(
            name,
            lines[entry],
            f"{where}: its transaction details say "
            + ", ".join(shown_amount(a, c) for a, c in stated)
            + f", the entry booked {shown_amount(amount, currency)}: imported as one receipt of the booked amount",
        )
    remittance = " ".join(dict.fromkeys(r for r in map(_remittance, details) if r))
    if not details:
        remittance = _text(entry, "{*}AddtlNtryInf")
    yield receipt_record(
        name,
        lines[entry],
        currency,
        amount,
        dict(
            common,
            bank_ref=receipt_key(statement.account, bank_ref, statement.id, sequence),
            remittance=remittance,
        ),
    )


def _balance(statement: _Statement, *codes: str):
    """(code, signed amount, currency, line element) of the first balance of these types."""
    balances = statement.element.findall("{*}Bal")
    for code in codes:
        for bal in balances:
            if _text(bal, "{*}Tp/{*}CdOrPrtry/{*}Cd") == code:
                amount, currency = _amount(bal.find("{*}Amt"))
                if amount is None:
                    return None
                if _text(bal, "{*}CdtDbtInd") == "DBIT":
                    amount = -amount
                return code, amount, currency
    return None


def _summary(name: str, lines: dict, statement: _Statement, label: str):
    """The statement's own control totals (``TxsSummry``) against its entries."""
    for side, total, words in (("CRDT", "TtlCdtNtries", "credit"), ("DBIT", "TtlDbtNtries", "debit")):
        summary = statement.element.find(f"{{*}}TxsSummry/{{*}}{total}")
        if summary is None:
            continue
        count, amount = _text(summary, "{*}NbOfNtries"), _text(summary, "{*}Sum")
        has, moved = statement.sides[side]
        stated = _decimal(amount.removeprefix("-")) if amount else None
        if (count and count != str(has)) or (amount and stated != moved):
            yield Notice(
                name,
                lines[summary],
                f"{label}: its summary ({total}) says {count or '?'} {words} entries of {amount or '?'}, "
                f"the statement has {has} of {moved:,}",
            )


def _reconcile(name: str, lines: dict, statement: _Statement, label: str):
    line = lines[statement.element]
    opening = _balance(statement, "OPBD", "PRCD")
    closing = _balance(statement, "CLBD")
    if (opening is None or closing is None) and not statement.kind.balances:
        return  # a report or notification need not carry both
    if opening is None or closing is None:
        missing = " and no ".join(
            what for what, bal in (("opening (OPBD or PRCD)", opening), ("closing (CLBD)", closing)) if bal is None
        )
        yield Notice(name, line, f"{label} has no {missing} balance: not reconciled")
        return
    (open_code, start, currency), (_, end, end_currency) = opening, closing
    if currency != end_currency:
        yield Notice(
            name,
            line,
            f"{label}: opening balance in {currency}, closing in {end_currency}: not reconciled",
        )
        return
    moved = statement.booked.get(currency, Decimal(0))
    computed = start + moved
    others = sorted(c for c in statement.booked if c != currency)
    if computed != end:
        apart = f" ({', '.join(others)} entries left out)" if others else ""
        yield Notice(
            name,
            line,
            f"{label} does not reconcile: {open_code} {shown_amount(start, currency)} + booked entries "
            f"{shown_amount(moved, currency)}{apart} = {shown_amount(computed, currency)}, "
            f"CLBD says {shown_amount(end, currency)} "
            f"(difference {shown_amount(end - computed, currency)}); its booked entries are imported",
        )
