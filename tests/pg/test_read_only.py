"""A PostgreSQL book opened read-only (``connect(url, read_only=True)``, ``--read-only``) on a day
its kept facts are not of: the queue and the KPIs come from the ledger as on a read-only SQLite
file, and nothing is written (the server refuses a write in the session's read-only transactions)."""

import sqlite3
from datetime import timedelta

import pytest

from arctui.services.kpis import portfolio_kpis
from arctui.services.queue import build_queue, from_scratch_note
from arctui.store.connection import connect
from arctui.store.read.accounts import facts_day
from arctui.store.writing import write
from tests.proof.book import TODAY, make_book
from tests.services.test_queue_read_only import shown

LATER = TODAY + timedelta(days=9)


def test_a_read_only_book_on_a_new_day_ranks_and_counts_as_the_writable_one_then_would(pg_book):
    make_book(pg_book, collectors=3, customers=12)  # its facts kept for TODAY
    reader = connect(pg_book, read_only=True)
    try:
        collectors = [None, *(r[0] for r in reader.execute("SELECT DISTINCT owner FROM customers ORDER BY 1"))]
        queues = {c: shown(build_queue(reader, LATER, c)) for c in collectors}
        kpis = {c: portfolio_kpis(reader, LATER, c) for c in collectors}
        assert from_scratch_note(reader, LATER) is not None
        assert facts_day(reader) == TODAY.isoformat()  # nothing written
        with pytest.raises(sqlite3.OperationalError, match="read-only transaction"), write(reader, what="a write"):
            reader.execute("UPDATE account_facts_state SET day = NULL")
        writer = connect(pg_book)
        try:
            assert {c: shown(build_queue(writer, LATER, c)) for c in collectors} == queues
            assert facts_day(writer) == LATER.isoformat()  # the writable connection rebuilt them
            assert {c: portfolio_kpis(writer, LATER, c) for c in collectors} == kpis
            assert len(queues[None]) > 1
        finally:
            writer.close()
    finally:
        reader.close()
