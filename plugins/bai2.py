"""BAI2 (Cash Management Balance Reporting Specification, version 2): the receipts of a bank file.

Every credit becomes a payment record keyed by its bank reference; debits are skipped. The
file's control totals (49, 98, 99) are checked against what it carries.
"""

import re
from datetime import date
from pathlib import Path

from arctui.api import ImportFileError, Options, Record

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
