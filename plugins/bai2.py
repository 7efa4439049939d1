"""BAI2 (Cash Management Balance Reporting Specification, version 2, and its BTRS revision,
version 3): the receipts of a bank file.

Every credit (type codes 100-399, 720-759, 920-959) becomes a payment record in its
account's currency (the 03's, else the group's, else USD as the specification says), keyed
by ``receipt_key``: the bank reference on the account, else the file, the account record and
the detail's place in it. Debits (400-699, 760-799, 960-999) and non-monetary details (890)
are skipped. The control totals and record counts of the 49, 98 and 99 trailers are checked
against what the file carries (and the 98's accounts, the 99's groups); a wrong one refuses
the file naming its line, the figure stated and the one carried.

A bank reference keys a receipt only when no other credit of the account in the file has it.
A group whose status is deletion (2) or test only (4) imports nothing, with a notice; an
account whose opening ledger (010) plus its credits less its debits is not its closing ledger
(015) is imported with a notice naming the difference.

How records are read (specification section 2 and 3):

- one record per physical line (LF, CRLF or CR; fixed-length records of the length the 01
  states, sent without line ends, are cut at that length); an ``88`` continues the record above it at
  the field where it stopped: more summaries of an 03, more fields of a 16 whose text has not
  started yet, or more of its text;
- a ``/`` ends a record's fields and what is left of a field list is defaulted; after it the
  line must be blank (records run together on one line are refused). A 16's text is the rest
  of its line: a ``/`` or a comma inside it is text;
- 03 summaries are slots of type code, amount, item count and funds type with the funds
  type's own fields; an empty slot is skipped, and an empty field that only closes a line
  (``,,,/``) starts no slot;
- funds types 0, 1, 2, Z and blank take no more fields, V two (value date and time), S three
  (immediate, one-day, two-or-more-day amounts), D a count and two fields per distribution;
  none of those amounts nor the item counts count toward a control total;
- a line that starts with no record type code (a record broken across lines), and anything
  after the 99, are refused.
"""

import re
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

from arctui.api import ImportFileError, Notice, Options, Record, exponent
from arctui_plugins.bank_keys import receipt_key

_VERSIONS = {"2": "BAI2", "3": "BTRS"}
_WIRE_CODES = {191, 195, 196, 198, 206, 208}
_CHECK_CODES = {175, 176, 187, 301, 302, 303}
_RECORD_CODES = ("01", "02", "03", "16", "49", "88", "98", "99")
_LINE_END = re.compile(r"\r\n|\r|\n")
_STARTS = {f"{code}," for code in _RECORD_CODES}
# a '/' that ends one record followed, on the same line, by the next record
_RUN_TOGETHER = re.compile(r"/\s+(?:0[1-3]|16|49|88|98|99),")
_GROUP_STATUS = {"1": "update", "2": "deletion", "3": "correction", "4": "test only"}


def _is_credit(code: int) -> bool:
    return 100 <= code <= 399 or 720 <= code <= 759 or 920 <= code <= 959


def _is_debit(code: int) -> bool:
    return 400 <= code <= 699 or 760 <= code <= 799 or 960 <= code <= 999


def _bai2_method(code: int) -> str:
    return "wire" if code in _WIRE_CODES else "check" if code in _CHECK_CODES else "ach"


_LAYOUT = (
    "a BAI2 file is 01 file header, 02 group header, 03 account header, 16 details, "
    "49 account trailer, 98 group trailer, 99 file trailer"
)


def _physical_records(path: Path):
    """(line, text) per physical record. A file whose 01 states a physical record length
    and carries longer lines of records of exactly that length, one after the other
    without line ends (fixed-length records, as some banks send them), is cut into them."""
    text = path.read_bytes().decode("latin-1").removeprefix("\xef\xbb\xbf").rstrip("\x1a")
    length = 0
    for number, raw in enumerate(_LINE_END.split(text), 1):
        if number == 1 and raw.startswith("01,"):
            stated = raw.split(",")[6:7]
            length = int(stated[0]) if stated and stated[0].strip().isdigit() else 0
        if length and len(raw) > length:
            pieces = [raw[i : i + length] for i in range(0, len(raw), length)]
            if all(piece.strip()[:3] in _STARTS for piece in pieces):
                for piece in pieces:
                    yield number, piece
                continue
        yield number, raw


def _logical_records(path: Path):
    """(code, parts) per record: ``parts`` its physical records as (line, text after the
    type code), its 88 continuations included."""
    current = None
    for number, raw in _physical_records(path):
        body = raw.strip()
        if not body:
            continue
        code, comma, rest = body.partition(",")
        code = code.strip()
        if code not in _RECORD_CODES:
            raise ImportFileError(
                path,
                number,
                f"the line starts with {code[:20]!r}, not a BAI2 record type code "
                f"({', '.join(_RECORD_CODES)}); a record broken across lines must go on in an 88 continuation",
            )
        if code == "88":
            if current is None:
                raise ImportFileError(path, number, "a continuation (88) before any record")
            current[1].append((number, rest))
            continue
        if current is not None:
            yield current
        current = (code, [(number, rest)])
    if current is not None:
        yield current


class _Bai2Record:
    """One logical record read field by field across its physical records; a missing or
    malformed field is refused naming the file, the line, the field and what BAI2 expects."""

    def __init__(self, path: Path, code: str, parts: list):
        self.path, self.code, self.parts = path, code, parts
        self.line = parts[0][0]
        self.physical = len(parts)
        self._part = self._pos = 0
        self.read = 1  # fields read, the type code included

    def error(self, reason: str, line: int | None = None) -> ImportFileError:
        return ImportFileError(self.path, line or self.line, f"record {self.code}: {reason}")

    def misplaced(self, reason: str) -> ImportFileError:
        return self.error(f"out of place, {reason} ({_LAYOUT})")

    def inside(self, outer, header: str, inner=None, trailer: str = "") -> None:
        """Refuse the record unless it comes inside ``outer`` (open since its ``header``) and
        after ``inner``, the level below, was closed by its ``trailer``."""
        if outer is None:
            raise self.misplaced(f"no {header} before it")
        if inner is not None:
            raise self.misplaced(f"{inner.what} before it has no {trailer}")

    def field(self) -> tuple[str, bool] | None:
        """The next field and whether it closes its physical record; None after the last."""
        if self._part >= len(self.parts):
            return None
        line, body = self.parts[self._part]
        comma, slash = body.find(",", self._pos), body.find("/", self._pos)
        self.read += 1
        if slash >= 0 and (comma < 0 or slash < comma):
            after = body[slash + 1 :].strip()
            if after:
                raise self.error(
                    f"'/' ends the record but the line goes on ({after[:24]!r}): "
                    "records run together; a BAI2 file has one record per line",
                    line,
                )
            value, self._part, self._pos = body[self._pos : slash], self._part + 1, 0
            return value.strip(), True
        if comma < 0:
            value, self._part, self._pos = body[self._pos :], self._part + 1, 0
            return value.strip(), True
        value, self._pos = body[self._pos : comma], comma + 1
        return value.strip(), False

    def text(self, name: str) -> str:
        """A field that must be present (it may be blank)."""
        got = self.field()
        if got is None:
            raise self.error(f"no field {self.read + 1} ({name}); the record has only {self.read} fields")
        return got[0]

    def optional(self) -> str:
        got = self.field()
        return "" if got is None else got[0]

    def number(self, name: str, *, blank: int | None = 0, signed: bool = True, value: str | None = None) -> int:
        """An amount (in minor units, maybe signed) or a count (digits only); a blank field
        is ``blank``, or refused when that is None."""
        text = self.text(name) if value is None else value
        if not text and blank is not None:
            return blank
        if not (_NUMBER if signed else _COUNT).fullmatch(text):
            expected = "an amount in cents (digits, maybe signed)" if signed else "digits"
            raise self.error(f"field {self.read} ({name}) is {text!r}; expected {expected}")
        return int(text)

    def count(self, name: str, *, blank: int | None = 0) -> int:
        return self.number(name, blank=blank, signed=False)

    def stated_count(self, name: str) -> int:
        """A count a record may leave out (0: not stated)."""
        got = self.field()
        return 0 if got is None else self.number(name, signed=False, value=got[0])

    def funds(self, funds_type: str) -> None:
        """Read past the funds-availability fields of ``funds_type`` (their amounts are not
        part of any control total)."""
        funds_type = funds_type.upper()
        if funds_type in ("", "0", "1", "2", "Z"):
            return
        if funds_type == "V":
            self.optional(), self.optional()  # value date, value time
        elif funds_type == "S":
            for name in ("immediate", "one-day", "two-or-more-day"):
                self.number(f"{name} availability")
        elif funds_type == "D":
            for _ in range(self.count("number of distributions")):
                self.count("availability in days")
                self.number("distributed amount")
        else:
            raise self.error(
                f"field {self.read} (funds type) is {funds_type!r}; expected 0, 1, 2, S, V, D or Z (or blank)"
            )

    def rest_as_text(self) -> str:
        """A 16's text: the rest of its line (commas and '/' included) and its continuations;
        a '/' closing a line (after padding) is not text."""
        pieces = []
        for index in range(self._part, len(self.parts)):
            line, body = self.parts[index]
            piece = body[self._pos :] if index == self._part else body
            if _RUN_TOGETHER.search(piece):
                raise self.error(
                    f"its text holds another record ({piece.strip()[:40]!r}): records run together; "
                    "a BAI2 file has one record per line",
                    line,
                )
            piece = piece.strip()
            if piece.endswith("/"):
                piece = piece[:-1].rstrip().removesuffix(",").rstrip()
            if piece:
                pieces.append(piece)
        self._part, self._pos = len(self.parts), 0
        return " ".join(pieces)


_NUMBER = re.compile(r"[+-]?[0-9]+")
_COUNT = re.compile(r"[0-9]+")


def _bai2_date(text: str, record: _Bai2Record) -> str:
    try:
        if len(text) != 6 or not text.isdigit():
            raise ValueError
        year = int(text[:2])
        return date(year + (2000 if year < 70 else 1900), int(text[2:4]), int(text[4:6])).isoformat()
    except ValueError:
        raise record.error(f"as-of date {text!r} is not YYMMDD") from None


class _Totals:
    """A control total and a record count, checked against a trailer."""

    def __init__(self, what: str, records: int):
        self.what, self.total, self.records, self.inner = what, 0, records, 0

    def check(self, record: _Bai2Record, total: int, records: int, inner: int = 0, inner_name: str = "") -> None:
        """The trailer's control total, and its record count and count of accounts or groups
        unless 0 (not stated)."""
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
        if inner and inner != self.inner:
            raise ImportFileError(
                record.path,
                record.line,
                f"{self.what} says {inner} {inner_name}, the file has {self.inner}; the file is damaged or incomplete",
            )


def _summaries(record: _Bai2Record) -> tuple[int, dict]:
    """The total of an 03's summary slots' amounts (status and summary amounts, signed) and
    the first amount of each type code."""
    total, amounts = 0, {}
    while (slot := record.field()) is not None:
        type_code, closes_line = slot
        if not type_code:
            if closes_line:  # ',,,/' : the empty field only closes the line
                continue
            amount = record.optional()
            if amount:
                raise record.error(f"field {record.read} (summary amount) is {amount!r} but its type code is blank")
            record.optional()  # item count
            record.funds(record.optional())
            continue
        if not _COUNT.fullmatch(type_code):
            raise record.error(f"field {record.read} (summary type code) is {type_code!r}; expected digits")
        amount = record.number("summary amount")
        total += amount
        amounts.setdefault(type_code.zfill(3), amount)
        record.optional()  # item count
        record.funds(record.optional())
    return total, amounts


def _shown(minor: int, currency: str) -> str:
    """'GBP 1,234.50'."""
    try:
        return f"{currency} {Decimal(minor).scaleb(-exponent(currency)):,}"
    except ValueError:  # a code that is no currency: the core names it on its line
        return f"{currency} {minor} (minor units)"


def _reconcile(name: str, line: int, account_no: str, as_of: str, currency: str, balances: dict, moved: list):
    """A Notice when the opening ledger (010) plus the credits less the debits of the
    account's details is not its closing ledger (015); nothing when either is not stated
    or the account has no details."""
    credits, debits, details = moved
    if not details or "010" not in balances or "015" not in balances:
        return None
    opening, closing = balances["010"], balances["015"]
    computed = opening + credits - debits
    if computed == closing:
        return None
    return Notice(
        name,
        line,
        f"account {account_no} of {as_of} does not reconcile: opening ledger (010) {_shown(opening, currency)} "
        f"+ credits {_shown(credits, currency)} - debits {_shown(debits, currency)} = {_shown(computed, currency)}, "
        f"closing ledger (015) says {_shown(closing, currency)} (difference {_shown(closing - computed, currency)}); "
        "its credits are imported",
    )


def parse_bai2(path: Path, options: Options):
    """The receipts of the file, once all of it is read and its totals checked. A bank
    reference keys a receipt only when no other credit of that account in the file carries
    it (else the receipts are keyed as those without one: the account's as-of date and the
    credit's type code, amount and occurrence of both that day)."""
    items, refs = [], Counter()
    for item in _read_bai2(path):
        items.append(item)
        if type(item) is tuple:
            refs[item[0], item[1]] += 1
    for item in items:
        if type(item) is tuple:
            account_no, bank_ref, statement, sequence, record = item
            unique = bank_ref if bank_ref and refs[account_no, bank_ref] == 1 else None
            record.values["bank_ref"] = receipt_key(account_no, unique, statement, sequence)
            yield record
        else:
            yield item


def _read_bai2(path: Path):
    """Notices, and per credit (account, bank reference, as-of date, "TYPE:AMOUNT:N", Record)."""
    name = str(path)
    as_of = group_currency = group_stated_currency = account_currency = account_no = None
    version = account_line = balances = moved = None
    group = account = file_totals = None
    skip_group = ended = False
    # without a bank reference a credit is the n-th of its type and amount on the account's
    # day: the same in a re-sent file or the day's next report, whatever the file's own id
    occurrences: Counter = Counter()
    for code, parts in _logical_records(path):
        record = _Bai2Record(path, code, parts)
        line = record.line
        if ended:
            raise record.error("comes after the file trailer (99); a BAI2 file ends there (two files joined into one?)")
        for totals in (file_totals, group, account):
            if totals is not None:
                totals.records += record.physical
        if code == "01":
            if file_totals is not None:
                raise record.misplaced("a second file header")
            file_totals = _Totals("file", record.physical)
            for field in (
                "sender",
                "receiver",
                "file creation date",
                "file creation time",
                "file identification number",
            ):
                record.text(field)
            record.optional(), record.optional()  # physical record length, block size
            version = record.optional()
            if version not in _VERSIONS:
                raise record.error(f"field 9 (version) is {version!r}; expected 2 (BAI2) or 3 (BTRS)")
        elif code == "02":
            record.inside(file_totals, "file header (01)", group, "group trailer (98)")
            group = _Totals("group", record.physical)
            file_totals.inner += 1
            record.text("ultimate receiver"), record.text("originator")
            status = record.text("group status")
            as_of = _bai2_date(record.text("as-of date"), record)
            record.optional()  # as-of time: may be blank
            group_stated_currency = record.optional().upper()
            group_currency = group_stated_currency or "USD"  # the specification's default
            skip_group = status in ("2", "4")
            if skip_group:
                yield Notice(
                    name,
                    line,
                    f"group of {as_of} has status {status} ({_GROUP_STATUS[status]}): its receipts are not imported",
                )
        elif code == "03":
            record.inside(group, "group header (02)", account, "account trailer (49)")
            account_no = record.text("account number")
            account = _Totals(f"account {account_no}", record.physical)
            group.inner += 1
            stated_currency = record.optional().upper()
            account_currency = stated_currency or group_currency
            summaries_total, balances = _summaries(record)
            account.total += summaries_total
            account_line, moved = line, [0, 0, 0]  # credits, debits, details
            if version == "3" and not stated_currency and not group_stated_currency:
                yield Notice(
                    name,
                    line,
                    f"account {account_no}: neither the 03 nor the 02 states a currency; "
                    "taken as USD, the specification's default",
                )
        elif code == "16":
            record.inside(account, "account header (03)")
            type_code = record.count("type code", blank=None)
            amount = record.number("amount")
            record.funds(record.optional())
            bank_ref, customer_ref = record.optional(), record.optional()
            text = record.rest_as_text()
            account.total += amount
            occurrences[account_no, as_of, type_code, amount] += 1
            moved[2] += 1
            if _is_credit(type_code):
                moved[0] += amount
            elif _is_debit(type_code):
                moved[1] += amount
            if _is_credit(type_code) and not skip_group:
                values = {
                    "amount": amount,
                    "received_date": as_of,
                    "method": _bai2_method(type_code),
                    "currency": account_currency,
                    "remittance": " ".join(p for p in (customer_ref, text) if p),
                }
                nth = f"{type_code}:{amount}:{occurrences[account_no, as_of, type_code, amount]}"
                yield account_no, bank_ref, as_of, nth, Record(name, line, values)
        elif code == "49":
            record.inside(account, "account header (03)")
            account.check(record, record.number("account control total"), record.count("number of records"))
            notice = _reconcile(name, account_line, account_no, as_of, account_currency, balances, moved)
            if notice is not None:
                yield notice
            group.total += account.total
            account = None
        elif code == "98":
            record.inside(group, "group header (02)", account, "account trailer (49)")
            total = record.number("group control total")
            accounts = record.stated_count("number of accounts")
            group.check(record, total, record.stated_count("number of records"), accounts, "accounts")
            file_totals.total += group.total
            group = None
        elif code == "99":
            record.inside(file_totals, "file header (01)", group, "group trailer (98)")
            total = record.number("file control total")
            groups = record.stated_count("number of groups")
            file_totals.check(record, total, record.stated_count("number of records"), groups, "groups")
            ended = True
        else:  # an 88 never comes here: it is part of the record above it
            raise record.error("unknown BAI2 record type")
    if not ended:
        raise ImportFileError(path, None, "no file trailer (99): the file is incomplete")
