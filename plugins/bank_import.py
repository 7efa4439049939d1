"""Bank-statement importers for cash application: BAI2 and ISO 20022 camt.053.

Every credit on the statement becomes a payment keyed by its bank reference and lands as
unapplied cash; the core then applies it to the invoices its remittance text names and
leaves the rest for a collector. Debits, and camt.053 entries not yet booked, are skipped.
"""

import codecs
import re
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from xml.parsers import expat

from arctui.api import (
    Importer,
    ImportFileError,
    Options,
    Record,
    Rejected,
    count_lines,
    hookimpl,
    text_encoding,
)

# ---- BAI2 (Cash Management Balance Reporting Specification, version 2) ----------------------

_CREDIT_CODES = range(100, 400)  # 100-399 are credits, 400-699 debits
_WIRE_CODES = {191, 195, 196, 198, 206, 208}
_CHECK_CODES = {175, 176, 187, 301, 302, 303}


def _bai2_method(code: int) -> str:
    return "wire" if code in _WIRE_CODES else "check" if code in _CHECK_CODES else "ach"


def _bai2_logical_records(path: Path):
    """(line, type code, fields) per record, its 88 continuations joined to it.

    A 16 record's last field is free text: its continuation carries on that text; any other
    record's continuation carries on its list of fields.
    """
    current = None
    with open(path, encoding="latin-1", newline="") as f:
        for number, raw in enumerate(f, 1):
            body = raw.strip()
            if not body:
                continue
            body = body[:-1] if body.endswith("/") else body
            code, _, rest = body.partition(",")
            if code == "88":
                if current is None:
                    raise ImportFileError(path, number, "a continuation (88) before any record")
                joiner = " " if current[1] == "16" else ","
                current[2] = f"{current[2]}{joiner}{rest}" if current[2] else rest
                current[3] += 1
                continue
            if current is not None:
                yield tuple(current)
            current = [number, code, rest, 1]
    if current is not None:
        yield tuple(current)


_NUMBER = re.compile(r"[+-]?[0-9]+")
_COUNT = re.compile(r"[0-9]+")
_LAYOUT = (
    "a BAI2 file is 01 file header, 02 group header, 03 account header, 16 details, "
    "49 account trailer, 98 group trailer, 99 file trailer"
)


class _Bai2Record:
    """One logical record; its fields are read by name, so a missing or malformed one is
    refused naming the file, the line, the field and what BAI2 expects there."""

    def __init__(self, path: Path, line: int, code: str, fields: list[str]):
        self.path, self.line, self.code, self.fields = path, line, code, fields

    def error(self, reason: str) -> ImportFileError:
        return ImportFileError(self.path, self.line, f"record {self.code}: {reason}")

    def misplaced(self, reason: str) -> ImportFileError:
        return self.error(f"out of place, {reason} ({_LAYOUT})")

    def inside(self, outer, header: str, inner=None, trailer: str = "") -> None:
        """Refuse the record unless it comes inside ``outer`` (open since its ``header``) and
        after ``inner``, the level below, was closed by its ``trailer``."""
        if outer is None:
            raise self.misplaced(f"no {header} before it")
        if inner is not None:
            raise self.misplaced(f"{inner.what} before it has no {trailer}")

    def text(self, index: int, name: str) -> str:
        """Field ``index`` (0: the one after the type code), which must be present."""
        if index >= len(self.fields):
            raise self.error(f"no field {index + 2} ({name}); the record has only {len(self.fields) + 1} fields")
        return self.fields[index]

    def optional(self, index: int) -> str:
        return self.fields[index] if index < len(self.fields) else ""

    def number(self, index: int, name: str, *, blank: int | None = 0, signed: bool = True) -> int:
        """An amount (in cents, maybe signed) or a count (digits only); a blank field is
        ``blank``, or refused when that is None."""
        text = self.text(index, name).strip()
        if not text and blank is not None:
            return blank
        if not (_NUMBER if signed else _COUNT).fullmatch(text):
            expected = "an amount in cents (digits, maybe signed)" if signed else "digits"
            raise self.error(f"field {index + 2} ({name}) is {text!r}; expected {expected}")
        return int(text)

    def count(self, index: int, name: str, *, blank: int | None = 0) -> int:
        return self.number(index, name, blank=blank, signed=False)

    def stated_count(self, index: int, name: str) -> int:
        """A count a record may leave out (0: not stated)."""
        return self.count(index, name) if index < len(self.fields) else 0


def _funds_extra(record: _Bai2Record, funds_type: str, at: int) -> int:
    """How many fields the funds-availability details starting at ``at`` take."""
    if funds_type == "S":
        return 3
    if funds_type == "V":
        return 2
    if funds_type == "D":
        return 1 + 2 * record.count(at, "number of distributions")
    return 0


def _bai2_date(text: str, path: Path, line: int) -> str:
    try:
        return date(2000 + int(text[:2]), int(text[2:4]), int(text[4:6])).isoformat()
    except ValueError:
        raise ImportFileError(path, line, f"as-of date {text!r} is not YYMMDD") from None


class _Totals:
    """A control total and a record count, checked against a trailer."""

    def __init__(self, what: str, records: int):
        self.what, self.total, self.records = what, 0, records

    def check(self, record: _Bai2Record, total: int, records: int) -> None:
        """The trailer's control total, and its record count unless 0 (not stated)."""
        if total != self.total:
            raise ImportFileError(
                record.path,
                record.line,
                f"{self.what} control total {total} does not match the amounts "
                f"above it ({self.total}); the file is damaged or incomplete",
            )
        if records and records != self.records:
            raise ImportFileError(
                record.path,
                record.line,
                f"{self.what} says {records} records, the file has {self.records}; the file is damaged or incomplete",
            )


def parse_bai2(path: Path, options: Options):
    name = str(path)
    as_of = currency = account_currency = None
    group = account = file_totals = None
    for line, code, rest, physical in _bai2_logical_records(path):
        record = _Bai2Record(path, line, code, rest.split(",") if code != "16" else rest.split(",", 5))
        for totals in (file_totals, group, account):
            if totals is not None:
                totals.records += physical
        if code == "01":
            if file_totals is not None:
                raise record.misplaced("a second file header")
            file_totals = _Totals("file", physical)
        elif code == "02":
            record.inside(file_totals, "file header (01)", group, "group trailer (98)")
            group = _Totals("group", physical)
            as_of = _bai2_date(record.text(3, "as-of date"), path, line)
            currency = record.text(5, "currency code") or options.default_currency
        elif code == "03":
            record.inside(group, "group header (02)", account, "account trailer (49)")
            account = _Totals(f"account {record.text(0, 'account number')}", physical)
            account_currency = record.text(1, "currency code") or currency
            i = 2  # summaries: type code, amount, item count, funds type and its details
            while i + 1 < len(record.fields) and record.fields[i]:
                account.total += record.number(i + 1, "summary amount")
                i += 4 + _funds_extra(record, record.optional(i + 3), i + 4)
        elif code == "16":
            record.inside(account, "account header (03)")
            type_code = record.count(0, "type code", blank=None)
            amount = record.number(1, "amount")
            extra = _funds_extra(record, record.text(2, "funds type"), 3)
            if extra:  # the text field split off too early: split the rest again
                record.fields = rest.split(",", 5 + extra)
            bank_ref, customer_ref, text = (record.fields[3 + extra :] + ["", "", ""])[:3]
            account.total += amount
            if type_code in _CREDIT_CODES:
                yield Record(
                    name,
                    line,
                    {
                        "bank_ref": bank_ref.strip() or customer_ref.strip(),
                        "amount": amount,
                        "received_date": as_of,
                        "method": _bai2_method(type_code),
                        "currency": account_currency,
                        "remittance": " ".join(p.strip() for p in (customer_ref, text) if p.strip()),
                    },
                )
        elif code == "49":
            record.inside(account, "account header (03)")
            account.check(record, record.number(0, "account control total"), record.count(1, "number of records"))
            group.total += account.total
            account = None
        elif code == "98":
            record.inside(group, "group header (02)", account, "account trailer (49)")
            group.check(record, record.number(0, "group control total"), record.stated_count(2, "number of records"))
            file_totals.total += group.total
            group = None
        elif code == "99":
            record.inside(file_totals, "file header (01)", group, "group trailer (98)")
            file_totals.check(
                record, record.number(0, "file control total"), record.stated_count(2, "number of records")
            )
            return
        else:
            raise ImportFileError(path, line, f"unknown BAI2 record type {code!r}")
    raise ImportFileError(path, None, "no file trailer (99): the file is incomplete")


# ---- ISO 20022 camt.053 (bank-to-customer statement) ----------------------------------------

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


@hookimpl
def register_importers(register):
    register(
        Importer(
            name="bai2",
            kind="payments",
            applies_cash=True,
            parse=parse_bai2,
            patterns=("*.bai", "*.bai2", "*.txt"),
            size=count_lines,
            description="receipts from a BAI2 bank file, applied by the invoice numbers they carry",
        )
    )
    register(
        Importer(
            name="camt053",
            kind="payments",
            applies_cash=True,
            parse=parse_camt053,
            patterns=("*.xml",),
            size=count_lines,
            description="receipts from an ISO 20022 camt.053 statement, applied by their remittance",
        )
    )
