"""Every importer (CSV, XLSX, BAI2, camt.053) fed generated and mutated files: it never
crashes, never writes part of a file, and every refusal names the file (and the line and
field, for a line it rejects).

Examples are derandomized so the suite is repeatable; ``ARCTUI_FUZZ=long`` runs twenty
times as many, freshly random each time. ``-s`` prints how many inputs each test tried.
"""

import csv
import io
import os
import re
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from arctui.plugins import PluginHost
from arctui.services.context import Context, fixed_clock
from arctui.services.errors import ServiceError
from arctui.services.import_checks import FIELDS, REQUIRED
from arctui.services.import_mapping import HEADER_ALIASES
from arctui.services.imports import run_import
from arctui.store.connection import connect
from tests.proof.book import REPO, TODAY, integrity
from tests.proof.fuzz_values import TOKENS

DATA = REPO / "tests" / "imports" / "data"
LONG = os.environ.get("ARCTUI_FUZZ") == "long"
TRIED = Counter()  # inputs per importer and file type
OUTCOMES = Counter()  # refused / rejected / written


def fuzz(examples: int):
    return settings(
        max_examples=examples * (20 if LONG else 1),
        deadline=None,
        database=None,
        derandomize=not LONG,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
    )


class Book:
    """A book with the sample customers, invoices and payments, and one input file at a time."""

    def __init__(self, folder: Path, target):
        self.folder = folder
        self.db = connect(target, create=True)
        self.ctx = Context(self.db, "importer", fixed_clock(TODAY))
        self.importers = PluginHost().collect("importers")
        for kind, name in (("customers", "customers.csv"), ("invoices", "invoices.csv"), ("payments", "payments.csv")):
            assert run_import(self.ctx, self.importers[kind], DATA / name).written

    def state(self) -> dict:
        tables = ("customers", "contacts", "invoices", "payments")
        found = {t: self.db.execute(f"SELECT count(*), coalesce(sum(version), 0) FROM {t}").fetchone() for t in tables}
        for table in ("payment_applications", "audit"):
            found[table] = self.db.execute(f"SELECT count(*) FROM {table}").fetchone()
        return found

    def attempt(self, importer_name: str, content: bytes, suffix: str) -> str:
        """Import ``content``; check the outcome is all or nothing with a clear message."""
        path = self.folder / f"input{suffix}"
        path.write_bytes(content)
        importer = self.importers[importer_name]
        before = self.state()
        TRIED[f"{importer_name} {suffix}"] += 1
        outcome = self._outcome(importer, path, before)
        OUTCOMES[outcome] += 1
        return outcome

    def _outcome(self, importer, path: Path, before: dict) -> str:
        try:
            report = run_import(self.ctx, importer, path)
        except ServiceError as exc:
            assert str(exc).startswith(str(path)), f"the message does not name the file: {exc}"
            assert self.state() == before, "refused, yet something was written"
            return "refused"
        if report.rejected:
            assert not report.written and self.state() == before, "a line rejected, yet written"
            for rejected in report.rejected:
                assert rejected.file == str(path) and rejected.line >= 1
                assert rejected.field and rejected.reason, f"an unclear rejection: {rejected}"
            return "rejected"
        after = self.state()
        table = importer.kind
        assert after[table][0] - before[table][0] == report.inserted, "not every new row landed"
        applied = sum(1 for r in report.receipts if r.applied_cents)
        changed = report.inserted or report.updated
        assert after["audit"][0] - before["audit"][0] == bool(changed) + applied
        return "written"


@pytest.fixture
def book(tmp_path, book_target):
    """The sample book at ``book_target``: every fuzz test runs on a SQLite file and a PostgreSQL book."""
    book = Book(tmp_path, book_target)
    yield book
    assert integrity(book_target) == "ok"
    book.db.close()


# ---- what goes into the files ---------------------------------------------------------------

cells = st.one_of(
    st.sampled_from(TOKENS),
    st.text(max_size=12),
    st.integers(-(10**12), 10**12).map(str),
    st.decimals(-(10**9), 10**9, places=2, allow_nan=False).map(str),
    st.dates(date(1900, 1, 1), date(2100, 1, 1)).map(date.isoformat),
)


@st.composite
def tables(draw, kind: str):
    """A header row naming some of the kind's fields (own names, ERP aliases or noise), then rows."""
    names = [h for f in FIELDS[kind] for h in (f, *HEADER_ALIASES.get(f, ()))]
    headers = draw(st.lists(st.one_of(st.sampled_from(names), st.text(max_size=8)), min_size=1, max_size=9))
    if draw(st.booleans()):  # half the tables name every required field, so the lines are read
        required = [draw(st.sampled_from((f, *HEADER_ALIASES.get(f, ())))) for f in REQUIRED[kind]]
        headers = draw(st.permutations(required + headers[:3]))
    width = len(headers)
    rows = draw(st.lists(st.lists(cells, min_size=0, max_size=width + 1), max_size=8))
    return [headers] + rows


def csv_bytes(table, delimiter: str, encoding: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(table)
    return out.getvalue().encode(encoding, errors="replace")


@st.composite
def mutated(draw, original: bytes):
    """``original`` with a few lines dropped, repeated or swapped, tokens replaced, bytes flipped."""
    lines = original.split(b"\n")
    for _ in range(draw(st.integers(1, 5))):
        op = draw(st.sampled_from(["drop", "repeat", "swap", "token", "byte", "cut"]))
        i = draw(st.integers(0, len(lines) - 1)) if lines else 0
        if not lines:
            lines = [b""]
        if op == "drop" and len(lines) > 1:
            del lines[i]
        elif op == "repeat":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "token":
            parts = re.split(rb"([,/<>;\t])", lines[i])
            k = draw(st.integers(0, len(parts) - 1))
            parts[k] = draw(st.sampled_from(TOKENS)).encode("utf-8")
            lines[i] = b"".join(parts)
        elif op == "byte" and lines[i]:
            k = draw(st.integers(0, len(lines[i]) - 1))
            lines[i] = lines[i][:k] + bytes([draw(st.integers(0, 255))]) + lines[i][k + 1 :]
        elif op == "cut":
            lines = lines[: i + 1]
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
    return b"\n".join(lines)


# ---- CSV ------------------------------------------------------------------------------------

KINDS = ["customers", "contacts", "invoices", "payments"]


@fuzz(80)
@given(data=st.data())
def test_csv_tables_of_any_shape(book, data):
    kind = data.draw(st.sampled_from(KINDS))
    table = data.draw(tables(kind))
    content = csv_bytes(
        table,
        data.draw(st.sampled_from(",;\t|")),
        data.draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"])),
    )
    book.attempt(kind, content, ".csv")


SAMPLES = {
    "customers": "customers.csv",
    "invoices": "invoices.csv",
    "payments": "payments.csv",
    "contacts": "contacts.csv",
}


@fuzz(80)
@given(data=st.data())
def test_csv_sample_files_mutated(book, data):
    kind = data.draw(st.sampled_from(KINDS))
    book.attempt(kind, data.draw(mutated((DATA / SAMPLES[kind]).read_bytes())), ".csv")


@fuzz(30)
@given(kind=st.sampled_from(KINDS), content=st.binary(max_size=300))
def test_csv_random_bytes(book, kind, content):
    book.attempt(kind, content, ".csv")


# ---- XLSX -----------------------------------------------------------------------------------

xlsx_cells = st.one_of(
    cells.map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s)),
    st.none(),
    st.booleans(),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=True, allow_infinity=False, width=64),
    st.datetimes(datetime(1900, 3, 1), datetime(2100, 1, 1)),
)


def xlsx_bytes(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@fuzz(25)
@given(data=st.data())
def test_xlsx_sheets_of_any_shape(book, data):
    kind = data.draw(st.sampled_from(KINDS))
    headers, *_ = data.draw(tables(kind))
    rows = data.draw(st.lists(st.lists(xlsx_cells, max_size=len(headers) + 1), max_size=6))
    headers = [ILLEGAL_CHARACTERS_RE.sub("", h) for h in headers]
    book.attempt(kind, xlsx_bytes([headers] + rows), ".xlsx")


SOUND_XLSX = xlsx_bytes(
    [["Invoice No", "Account", "Invoice Date", "Amount"], ["INV-9", "C100", "2026-10-01", 12.5]]
)  # once: a zip carries the time


@fuzz(20)
@given(data=st.data())
def test_xlsx_files_damaged(book, data):
    content = bytearray(SOUND_XLSX)
    for _ in range(data.draw(st.integers(1, 4))):
        content[data.draw(st.integers(0, len(content) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(4, len(content)))
    book.attempt("invoices", bytes(content[:cut]), ".xlsx")


# ---- BAI2 -----------------------------------------------------------------------------------


@st.composite
def bai2_files(draw):
    """Records in roughly the right order with fields drawn from good and bad values."""
    fields = st.lists(st.one_of(st.sampled_from(TOKENS), st.integers(0, 10**9).map(str)), max_size=8)
    codes = st.sampled_from(["01", "02", "03", "16", "88", "49", "98", "99", "17", ""])
    lines = [f"{draw(codes)},{','.join(draw(fields))}/" for _ in range(draw(st.integers(0, 10)))]
    return "\n".join(
        [
            "01,121000358,ACMERECV,261120,0800,1,,,2/",
            "02,ACMERECV,121000358,1,261120,0800,USD,2/",
            "03,123456789,USD,010,500000,,/",
        ]
        + lines
    ).encode("latin-1", errors="replace")


@fuzz(60)
@given(content=bai2_files())
def test_bai2_records_of_any_kind(book, content):
    book.attempt("bai2", content, ".bai2")


@fuzz(80)
@given(data=st.data())
def test_bai2_sample_mutated(book, data):
    book.attempt("bai2", data.draw(mutated((DATA / "statement.bai2").read_bytes())), ".bai2")


# ---- camt.053 -------------------------------------------------------------------------------

HOSTILE_XML = [
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;">]><Document>&c;</Document>',
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Document>&x;</Document>',
    b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"/>',
    b'<Document xmlns="urn:other"><BkToCstmrStmt/></Document>',
    b"",
    b"<",
    b"\xff\xfe<\x00D\x00",
    b"<a>" * 5000,
    b'<?xml version="1.0" encoding="USD"?><Document/>',  # an encoding Python does not know
]


@pytest.mark.parametrize("content", HOSTILE_XML, ids=range(len(HOSTILE_XML)))
def test_camt053_hostile_documents(book, content):
    assert book.attempt("camt053", content, ".xml") in ("refused", "written")
    remittances = [row[0] or "" for row in book.db.execute("SELECT remittance FROM payments")]
    assert not any("root:" in text for text in remittances)  # no file of the server read in


@st.composite
def camt_texts(draw, original: bytes):
    """The sample statement with element texts and attributes replaced by drawn tokens."""
    texts = re.split(rb"(>[^<]*<|\"[^\"]*\")", original)
    for _ in range(draw(st.integers(1, 6))):
        slots = [i for i, part in enumerate(texts) if part[:1] in (b">", b'"')]
        i = draw(st.sampled_from(slots))
        token = draw(st.one_of(st.sampled_from(TOKENS), st.text(max_size=10)))
        escaped = token.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
        texts[i] = texts[i][:1] + escaped.encode("utf-8") + texts[i][-1:]
    return b"".join(texts)


@fuzz(80)
@given(data=st.data())
def test_camt053_sample_with_values_replaced(book, data):
    original = (DATA / "statement_camt053.xml").read_bytes()
    book.attempt("camt053", data.draw(camt_texts(original)), ".xml")


@fuzz(40)
@given(data=st.data())
def test_camt053_sample_mutated(book, data):
    book.attempt("camt053", data.draw(mutated((DATA / "statement_camt053.xml").read_bytes())), ".xml")


def test_print_how_many_inputs_were_tried():
    """Last in the file: the figure for the report (seen with ``-s``)."""
    print(f"\nimport fuzz: {sum(TRIED.values())} inputs tried: {dict(TRIED)}; {dict(OUTCOMES)}")
