"""The book every proof runs on, and the checks every proof ends with.

``make_book`` starts the team as the file's owner does (``init_manager``: ``lead``, its
manager), who adds collectors ``w01``..``wNN`` (odd ones with a small credit memo limit,
even ones with a large one, so memos need a second pair of eyes); then accounts with a
contact email each and overdue invoices, as an ERP import leaves them. The checks read the
file back the way an auditor would: SQLite's own integrity check, the ledger (an invoice's
open balance is its amount less the cash applied and the credit memos posted; a payment's
unapplied cash is its amount less what was applied or refunded) and the audit hash chain.
"""

import os
import random
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from arctui.domain.score import score_account
from arctui.services.accounts import init_manager, save_collector
from arctui.services.context import Context, fixed_clock
from arctui.services.queue import _facts
from arctui.store import audit
from arctui.store.connection import connect
from arctui.store.facts import bring_to
from arctui.store.postgresql import is_url
from arctui.store.read.accounts import account_facts, facts_day

TODAY = date(2026, 11, 23)
REPO = Path(__file__).resolve().parents[2]
SMALL_LIMIT, LARGE_LIMIT = 50_000, 5_000_000


def collector_ids(count: int) -> list[str]:
    return [f"w{n:02d}" for n in range(1, count + 1)]


def memo_limit(collector: str) -> int:
    return SMALL_LIMIT if int(collector[1:]) % 2 else LARGE_LIMIT


def make_book(path, collectors: int = 8, customers: int = 16, invoices_per_customer: int = 4) -> Path | str:
    """A fresh book at ``path`` (or in the empty PostgreSQL book at that URL): every account
    overdue, every invoice open in full."""
    db = connect(path, create=True)
    init_manager(Context(db, "admin", fixed_clock(TODAY)), "lead", "Team lead")
    lead = Context(db, "lead", fixed_clock(TODAY))
    for collector in collector_ids(collectors):
        save_collector(
            lead,
            collector,
            f"Collector {collector}",
            email=f"{collector}@arctui.test",
            memo_limit_cents=memo_limit(collector),
            role="lead" if int(collector[1:]) % 4 == 0 else "collector",  # w04, w08: decide escalations
        )
    add_accounts(db, range(1, customers + 1), collector_ids(collectors), invoices_per_customer)
    bring_to(db, TODAY)  # as a book in use: the queue's facts kept, by the triggers from here on
    db.close()
    return path if is_url(path) else Path(path)


def add_accounts(db, numbers, owners, invoices_per_customer: int = 4) -> None:
    """Accounts ``numbers`` with a contact email each and overdue invoices, open in full."""
    db["customers"].insert_all(
        {
            "id": c,
            "account_no": f"A{c:04d}",
            "name": f"Account {c}",
            "terms_days": 30,
            "owner": owners[c % len(owners)],
            "region": "NA-East",
        }
        for c in numbers
    )
    db["contacts"].insert_all(
        {"customer_id": c, "name": f"Payables {c}", "email": f"ap{c}@customer{c}.test", "is_primary": 1}
        for c in numbers
    )
    db["invoices"].insert_all(
        {
            "customer_id": c,
            "number": f"INV-{c:04d}-{k}",
            "issue_date": (TODAY - timedelta(days=40 + 25 * k)).isoformat(),
            "due_date": (TODAY - timedelta(days=10 + 25 * k)).isoformat(),
            "amount_cents": 2_000_000 + 10_000 * c + k,
            "open_cents": 2_000_000 + 10_000 * c + k,
        }
        for c in numbers
        for k in range(invoices_per_customer)
    )


def bai2_statement(prefix: str, invoice_numbers: list[str], rng=random) -> str:
    """A BAI2 file of one ACH receipt of 1 to 99 cents per invoice, its remittance naming it."""
    amounts = [rng.randint(1, 99) for _ in invoice_numbers]
    total = sum(amounts)
    details = [
        f"16,165,{cents},0,{prefix}-{k},,{number}/" for k, (number, cents) in enumerate(zip(invoice_numbers, amounts))
    ]
    records = len(details)
    return (
        "\n".join(
            [
                "01,121000358,ARCTUI,261123,0800,1,,,2/",
                "02,ARCTUI,121000358,1,261123,0800,USD,2/",
                "03,123456789,USD/",
                *details,
                f"49,{total},{records + 2}/",
                f"98,{total},1,{records + 4}/",
                f"99,{total},1,{records + 6}/",
            ]
        )
        + "\n"
    )


def integrity(path) -> str:
    """``PRAGMA integrity_check`` on a connection of its own (not through arctui); a PostgreSQL
    book has no such check to run ("ok")."""
    if is_url(path):
        return "ok"
    conn = sqlite3.connect(path)
    try:
        return "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


def ledger_mismatches(db) -> list[tuple]:
    """Invoices and payments whose balance is not what their applications and memos say."""
    invoices = db.execute("""
        SELECT * FROM (
          SELECT 'invoice', i.number, i.open_cents,
                 i.amount_cents
                 - (SELECT coalesce(sum(a.amount_cents), 0) FROM payment_applications a
                    WHERE a.invoice_id = i.id AND a.kind = 'apply')
                 - (SELECT coalesce(sum(m.amount_cents), 0) FROM credit_memos m
                    WHERE m.invoice_id = i.id AND m.status = 'posted') AS expected
          FROM invoices i) AS x WHERE open_cents <> expected OR open_cents < 0""").fetchall()
    payments = db.execute("""
        SELECT * FROM (
          SELECT 'payment', p.id, p.unapplied_cents,
                 p.amount_cents - (SELECT coalesce(sum(a.amount_cents), 0)
                                   FROM payment_applications a WHERE a.payment_id = p.id) AS expected
          FROM payments p) AS x WHERE unapplied_cents <> expected OR unapplied_cents < 0""").fetchall()
    return invoices + payments


SCORED = ("days_since_contact", "past_due_cents", "score")
"""``account_facts``' generated columns (schema 17): not in the view, computed from the row."""


def facts_mismatches(db) -> list[str]:
    """Accounts whose kept ``account_facts`` row is not what a from-scratch computation gives
    for the day it holds: the schema's view, and the queue's own facts query (another SQL);
    and queued accounts whose kept score is not the Python score of those facts (with the
    unit the row took)."""
    day = facts_day(db)
    if day is None:
        return []
    today = date.fromisoformat(day)
    kept = {row["customer_id"]: row for row in db.query("SELECT * FROM account_facts")}
    inputs = {c: {k: v for k, v in row.items() if k not in SCORED} for c, row in kept.items()}
    fresh = {row["customer_id"]: row for row in db.query("SELECT * FROM account_facts_fresh")}
    found = [
        f"account {c}: kept {inputs.get(c)}, fresh {fresh.get(c)}"
        for c in inputs | fresh
        if inputs.get(c) != fresh.get(c)
    ]
    queued = {row.pop("id"): row for row in account_facts(db, today, None)}
    for c, row in kept.items():
        if row["oldest_days"] is not None or row["promise_date"] is not None or row["missed_cents"] is not None:
            other = queued.get(c, {})
            if not other or any(row[k] != other[k] for k in other.keys() & row.keys()):
                found.append(f"account {c}: kept {row}, facts query {queued.get(c)}")
            elif row["score"] != score_account(_facts(other, today, row["unit"]), today, other["currency"]).total:
                found.append(f"account {c}: kept score {row['score']}, Python's of its facts differs")
        elif c in queued:
            found.append(f"account {c}: not queued by its kept facts, queued by the facts query")
        elif row["score"] is not None:
            found.append(f"account {c}: not queued, yet scored {row['score']}")
    return found


def audit_chain(db) -> tuple[int, int | None, str | None]:
    return audit.verify(db)


def script_env(**extra) -> dict:
    """The environment of a child process: the repository importable, nothing from the
    user's own settings (no plugins folder, no config file)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCTUI_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.update({k: str(v) for k, v in extra.items()})
    return env


def start_script(script: str, *args, **popen) -> subprocess.Popen:
    """Run ``tests/proof/<script>`` in a process of its own."""
    return subprocess.Popen([sys.executable, str(REPO / "tests" / "proof" / script), *map(str, args)], **popen)
