"""arctui.api as a team's script uses it: open the book, read the queue and the KPIs, act."""

import json
import os
import pwd
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from arctui import api

REPO = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 23)


@pytest.fixture
def book_path(tmp_path):
    path = tmp_path / "book.db"
    shutil.copy(REPO / "sample.db", path)
    return path


def test_every_public_name_is_there_and_versioned():
    assert re.fullmatch(r"\d+\.\d+", api.API_VERSION)
    missing = [name for name in api.__all__ if not hasattr(api, name)]
    assert missing == []
    assert {
        "Importer",
        "Sender",
        "Coder",
        "Report",
        "Exporter",
        "open_book",
        "queue",
        "kpis",
        "report",
        "log_touchpoint",
        "hookimpl",
    } <= set(api.__all__)


def test_the_queue_a_script_reads_is_the_one_the_cli_prints(book_path):
    book = api.open_book(book_path, today=TODAY)
    rows = api.queue(book, collector="alice", limit=5)
    assert len(rows) == 5
    assert [r.score.total for r in rows] == sorted((r.score.total for r in rows), reverse=True)
    assert all(c.reason for r in rows for c in r.score.components)
    cli = subprocess.run(
        [
            sys.executable,
            "-c",
            "from arctui.cli import main; main()",
            "queue",
            "--db",
            str(book_path),
            "--collector",
            "alice",
            "--limit",
            "5",
            "--today",
            TODAY.isoformat(),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    printed = re.findall(r"^\s*\d+\s+(\S+)", cli.stdout, flags=re.M)
    assert printed == [r.account_no for r in rows]


def test_kpis_of_a_portfolio_match_its_open_invoices(book_path):
    book = api.open_book(book_path, today=TODAY)
    figures = api.kpis(book, collector="alice")
    open_cents = book.db.execute(
        "SELECT sum(i.open_cents) FROM invoices i JOIN customers c ON c.id = i.customer_id"
        " WHERE c.owner = 'alice' AND i.open_cents <> 0"
    ).fetchone()[0]
    assert figures["total_ar_cents"] == open_cents
    assert figures["dso"] is not None


def test_an_action_from_a_script_is_audited_as_the_os_login(book_path):
    book = api.open_book(book_path, today=TODAY)
    login = pwd.getpwuid(os.getuid()).pw_name
    assert book.user == login
    customer_id = api.customer_id_by_account_no(book.db, api.queue(book, "alice", 1)[0].account_no)
    touchpoint = api.log_touchpoint(book, customer_id, "call", "PTP", note="CFO promised Friday")
    row = book.db["touchpoints"].get(touchpoint)
    assert (row["by"], row["note"], row["outcome_code"]) == (login, "CFO promised Friday", "PTP")
    audit = book.db.execute("SELECT actor, action, after FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    assert audit[:2] == (login, "touchpoint.call")
    assert json.loads(audit[2])[f"touchpoints/{touchpoint}"]["note"] == "CFO promised Friday"
    assert "CFO promised Friday" in api.timeline(book.db, customer_id, limit=1)[0].summary


def test_a_script_gets_the_refusal_the_console_gets(book_path):
    book = api.open_book(book_path, today=TODAY)
    customer_id = api.customer_id_by_account_no(book.db, api.queue(book, "alice", 1)[0].account_no)
    with pytest.raises(api.ServiceError, match="a note needs its text"):
        api.log_touchpoint(book, customer_id, "note", "NOTE", note="  ")
