"""ISO 20022 camt.053 (bank-to-customer statement): the receipts of a statement.

Every booked credit becomes a payment record (a batch entry one per transaction detail);
debits and entries not yet booked are skipped. The XML is read safely (no external
entities, no entity expansion) in an ASCII-compatible encoding.
"""

import codecs
import re
import xml.etree.ElementTree as ET
from decimal import Decimal, InvalidOperation
from pathlib import Path
from xml.parsers import expat

from arctui.api import ImportFileError, Options, Record, Rejected, text_encoding

_CAMT053 = "urn:iso:std:iso:20022:tech:xsd:camt.053"
_NOT_PROVIDED = {"", "NOTPROVIDED", "NONREF"}
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


def _camt_method(entry) -> str:
    family = _text(entry, "{*}BkTxCd/{*}Domn/{*}Fmly/{*}Cd")
    sub = _text(entry, "{*}BkTxCd/{*}Domn/{*}Fmly/{*}SubFmlyCd")
    if "CHQ" in family or "CHQ" in sub:
        return "check"
    return "wire" if sub == "XBCT" else "ach"


def _remittance(tx) -> str:
    parts = [_text(tx, "{*}RltdPties/{*}Dbtr/{*}Nm") or _text(tx, "{*}RltdPties/{*}Dbtr/{*}Pty/{*}Nm")]
    info = tx.find("{*}RmtInf") if tx is not None else None
    if info is not None:
        parts += [(u.text or "").strip() for u in info.findall("{*}Ustrd")]
        for structured in info.findall("{*}Strd"):
            parts += [(n.text or "").strip() for n in structured.findall("{*}RfrdDocInf/{*}Nb")]
            parts.append(_text(structured, "{*}CdtrRefInf/{*}Ref"))
    return " ".join(p for p in parts if p)


def _booked(entry) -> bool:
    status = _text(entry, "{*}Sts/{*}Cd") or _text(entry, "{*}Sts")
    return status == "BOOK"


def _camt_receipts(entry):
    """(element, amount element, bank reference, remittance) per receipt in one entry."""
    details = entry.findall("{*}NtryDtls/{*}TxDtls")
    entry_ref = _text(entry, "{*}AcctSvcrRef") or _text(entry, "{*}NtryRef")
    if not details:
        yield entry, entry.find("{*}Amt"), entry_ref, ""
        return
    for i, tx in enumerate(details, 1):
        refs = [_text(tx, "{*}Refs/{*}AcctSvcrRef"), _text(tx, "{*}Refs/{*}EndToEndId")]
        ref = next((r for r in refs if r not in _NOT_PROVIDED), "")
        if not ref and entry_ref:
            ref = entry_ref if len(details) == 1 else f"{entry_ref}/{i}"
        amount = tx.find("{*}Amt")
        if amount is None:
            amount = tx.find("{*}AmtDtls/{*}TxAmt/{*}Amt")
        if amount is None and len(details) == 1:
            amount = entry.find("{*}Amt")
        yield tx, amount, ref, _remittance(tx)


def _batch_problem(entry, receipts) -> str | None:
    """A batch entry whose transactions do not add up to it: a damaged statement."""
    if len(receipts) < 2:
        return None
    if any(amount is None or not amount.text for _, amount, _, _ in receipts):
        return None  # an amount missing: the core names it on its own line
    try:
        total = sum(Decimal(amount.text) for _, amount, _, _ in receipts)
        stated = Decimal(_text(entry, "{*}Amt"))
    except InvalidOperation:
        return None  # an amount unreadable: the core names it on its own line
    if total == stated:
        return None
    return f"the entry's {len(receipts)} transactions add up to {total}, the entry says {stated}"


def parse_camt053(path: Path, options: Options):
    root, lines = read_xml(path)
    if not root.tag.startswith(f"{{{_CAMT053}"):
        raise ImportFileError(path, 1, f"not a camt.053 statement (root element {root.tag})")
    name = str(path)
    for entry in root.iterfind("{*}BkToCstmrStmt/{*}Stmt/{*}Ntry"):
        if _text(entry, "{*}CdtDbtInd") != "CRDT" or not _booked(entry):
            continue
        received = (
            _text(entry, "{*}BookgDt/{*}Dt")
            or _text(entry, "{*}BookgDt/{*}DtTm")[:10]
            or _text(entry, "{*}ValDt/{*}Dt")
        )
        receipts = list(_camt_receipts(entry))
        problem = _batch_problem(entry, receipts)
        if problem:
            yield Rejected(name, lines[entry], "amount", problem)
            continue
        for element, amount, ref, remittance in receipts:
            yield Record(
                name,
                lines[element],
                {
                    "bank_ref": ref,
                    "received_date": received,
                    "method": _camt_method(entry),
                    "amount": (amount.text or "") if amount is not None else "",
                    "currency": amount.get("Ccy", "") if amount is not None else "",
                    "remittance": remittance,
                },
            )
