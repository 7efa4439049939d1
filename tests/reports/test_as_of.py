"""History keeps its dates (issue 11): ``--as-of DATE`` rebuilds the book as it stood at the end
of that day, checked against an independent calculation.

The test book is a generated history of 19 months: invoices issued through the period, cash
applied by collectors on the day (clock = value date) and by bank imports days later (the
receipt's received date is the value date, not the import day), credit memos posted, and two
invoices an ERP export brought already settled without a payment history. Every movement is
made through the services; the expected figures are computed here in plain Python from the
plan of movements (``PLAN``), never from the database: open at D = amount − cash dated ≤ D −
memos posted ≤ D, aging on D, DSO by count-back over 12 calendar months, CEI over 30 days,
best possible DSO over 90 days, ADD = DSO − best possible DSO.
"""

import random
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest

from arctui.services import cash
from arctui.services.accounts import save_collector
from arctui.services.cash import apply_payment, record_payment
from arctui.services.context import Context, fixed_clock
from arctui.services.credit_memos import post_memo, prepare_memo
from arctui.services.kpis import compute_kpis, kpis_by_currency
from arctui.services.queue import build_queue
from arctui.services.records import get
from arctui.services.reports import run_report
from arctui.store.connection import connect
from arctui.store.read.accounts import open_aging
from arctui.store.read.reports import aging_by_account
from tests.enrol import enrol
from tests.reports.conftest import PLUGINS

START = date(2024, 11, 1)
NOW = date(2026, 6, 30)
AS_OF = [date(2025, 6, 30), date(2025, 12, 31), date(2026, 3, 15)]
CUSTOMERS = [(1, "C001", "alice"), (2, "C002", "alice"), (3, "C003", "bob"), (4, "C004", "bob"), (5, "C005", "bob")]


@dataclass
class Invoice:
    id: int
    customer_id: int
    number: str
    issue: date
    due: date
    amount: int
    # (kind, value date, cents, day it is done): kind "manual" | "import" | "memo"
    moves: list = field(default_factory=list)
    erp_closed: date | None = None  # an ERP export brought it paid, closed on this day


def plan() -> list[Invoice]:
    rng = random.Random(11)
    invoices = []
    day, n = START, 0
    while day < NOW - timedelta(days=20):
        for cid, _, _ in CUSTOMERS:
            if rng.random() < 0.45:
                continue
            n += 1
            amount = rng.randrange(5_000, 2_500_000)
            inv = Invoice(n, cid, f"INV-{1000 + n}", day, day + timedelta(days=30), amount)
            left = amount
            pay_day = day + timedelta(days=rng.randrange(10, 160))
            for _ in range(rng.randrange(0, 4)):
                if left <= 0 or pay_day >= NOW:
                    break
                cents = left if rng.random() < 0.5 else rng.randrange(1, left + 1)
                roll = rng.random()
                if roll < 0.45:
                    inv.moves.append(("manual", pay_day, cents, pay_day))
                elif roll < 0.85:  # the bank file comes in up to 9 days later
                    inv.moves.append(
                        ("import", pay_day, cents, min(NOW, pay_day + timedelta(days=rng.randrange(1, 10))))
                    )
                else:
                    inv.moves.append(("memo", pay_day, cents, pay_day))
                left -= cents
                pay_day += timedelta(days=rng.randrange(5, 90))
            invoices.append(inv)
        day += timedelta(days=rng.randrange(6, 15))
    # an ERP export brought two invoices already settled, with no payment history here:
    # one closed (on its closed_date), one part-paid (its open amount from the start)
    invoices[3].moves, invoices[3].erp_closed = [], date(2025, 3, 20)
    invoices[4].moves = [("erp-open", invoices[4].issue, invoices[4].amount // 3, None)]
    return invoices


PLAN = plan()


def build(path) -> None:
    db = connect(path, create=True)
    enrol(db, "lead", "Lee Lead", role="lead", memo_limit_cents=10**12)
    lead = Context(db, "lead", fixed_clock(START))
    save_collector(lead, "alice", "Alice Archer")
    save_collector(lead, "bob", "Bob Baker")
    db["customers"].insert_all(
        [{"id": i, "account_no": a, "name": f"Customer {a}", "currency": "USD", "owner": o} for i, a, o in CUSTOMERS]
    )
    rows = []
    for inv in PLAN:
        erp_paid = sum(c for k, _, c, _ in inv.moves if k == "erp-open")
        rows.append(
            {
                "id": inv.id,
                "customer_id": inv.customer_id,
                "number": inv.number,
                "issue_date": inv.issue.isoformat(),
                "due_date": inv.due.isoformat(),
                "currency": "USD",
                "amount_cents": inv.amount,
                "open_cents": 0 if inv.erp_closed else inv.amount - erp_paid,
                "closed_date": inv.erp_closed.isoformat() if inv.erp_closed else None,
            }
        )
    db["invoices"].insert_all(rows)
    moves = sorted(
        ((done, inv, kind, on, cents) for inv in PLAN for kind, on, cents, done in inv.moves if done is not None),
        key=lambda m: (m[0], m[1].id),
    )
    for n, (done, inv, kind, on, cents) in enumerate(moves):
        ctx = Context(db, "lead", fixed_clock(done))
        if kind == "memo":
            memo = prepare_memo(ctx, inv.customer_id, cents, "pricing", "4510", invoice_id=inv.id)
            post_memo(ctx, memo, get(db, "credit_memos", memo)["version"])
        elif kind == "manual":
            pay = record_payment(ctx, cents, on, "check", customer_id=inv.customer_id)
            apply_payment(ctx, pay, [(inv.id, cents)], 1)
        else:  # a bank import on ``done`` of a receipt received on ``on``, its remittance naming the invoice
            pay = record_payment(ctx, cents, on, "ach", bank_ref=f"BANK{n}", remittance=inv.number, source="bai2")
            assert cash.auto_apply(ctx, pay) == cents
    db.close()


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    path = tmp_path_factory.mktemp("as_of") / "history.db"
    build(path)
    db = connect(path)
    yield db
    db.close()


# --- the independent calculation ---------------------------------------------------------


def open_at(inv: Invoice, d: date) -> int:
    """amount − cash dated ≤ d − memos posted ≤ d (the ERP's settlements on their own days)."""
    if inv.issue > d:
        return 0
    settled = sum(c for _, on, c, _ in inv.moves if on <= d)
    if inv.erp_closed and inv.erp_closed <= d:
        settled = inv.amount
    return inv.amount - settled


def bucket(due: date, d: date) -> str:
    late = (d - due).days
    if late <= 0:
        return "current"
    if late <= 30:
        return "1-30"
    if late <= 60:
        return "31-60"
    if late <= 90:
        return "61-90"
    return "90+"


def aging(d: date, owner: str | None = None) -> dict[int, dict[str, int]]:
    owners = {i: o for i, _, o in CUSTOMERS}
    out: dict[int, dict[str, int]] = {}
    for inv in PLAN:
        cents = open_at(inv, d)
        if cents and (owner is None or owners[inv.customer_id] == owner):
            row = out.setdefault(inv.customer_id, dict.fromkeys(("current", "1-30", "31-60", "61-90", "90+"), 0))
            row[bucket(inv.due, d)] += cents
    return out


def sales(first: date, last: date) -> int:
    return sum(inv.amount for inv in PLAN if first <= inv.issue <= last)


def expected_kpis(d: date) -> dict:
    total = sum(open_at(inv, d) for inv in PLAN)
    current = sum(open_at(inv, d) for inv in PLAN if inv.due >= d)
    # DSO count-back: this month's days so far, then 11 whole calendar months before it
    dso, left, month_end, capped = 0.0, total, d, True
    for _ in range(12):
        month_start = month_end.replace(day=1)
        month_sales, days = sales(month_start, month_end), (month_end - month_start).days + 1
        if left < month_sales:
            dso += left / month_sales * days
            capped = False
            break
        dso += days
        left -= month_sales
        month_end = month_start - timedelta(days=1)
    begin = sum(open_at(inv, d - timedelta(days=30)) for inv in PLAN)
    period_sales = sales(d - timedelta(days=29), d)
    cei = (begin + period_sales - total) / (begin + period_sales - current) * 100
    bpdso = current / sales(d - timedelta(days=89), d) * 90
    return {"total": total, "current": current, "dso": dso, "capped": capped, "cei": cei, "bpdso": bpdso}


# --- the proofs --------------------------------------------------------------------------


def test_the_plan_has_every_kind_of_history():
    kinds = {kind for inv in PLAN for kind, *_ in inv.moves}
    assert kinds == {"manual", "import", "memo", "erp-open"}
    late_imports = [m for inv in PLAN for m in inv.moves if m[0] == "import" and m[3] > m[1]]
    assert len(late_imports) > 20
    for d in AS_OF:  # every date has money in each kind of bucket somewhere
        buckets = {b for row in aging(d).values() for b, cents in row.items() if cents}
        assert buckets == {"current", "1-30", "31-60", "61-90", "90+"}, d


@pytest.mark.parametrize("d", AS_OF, ids=str)
def test_kpis_as_of_a_past_day_match_the_independent_calculation(history, d):
    k = compute_kpis(history, d, as_of=True)
    want = expected_kpis(d)
    assert (k["total_ar_cents"], k["current_ar_cents"]) == (want["total"], want["current"])
    assert k["past_due_cents"] == want["total"] - want["current"]
    assert k["dso"] == pytest.approx(want["dso"], abs=1e-9)
    assert k["dso_capped"] is want["capped"] is False
    assert k["cei"] == pytest.approx(want["cei"], abs=1e-9)
    assert k["best_possible_dso"] == pytest.approx(want["bpdso"], abs=1e-9)
    assert k["add"] == pytest.approx(want["dso"] - want["bpdso"], abs=1e-9)
    assert k["percent_current"] == pytest.approx(want["current"] / want["total"] * 100, abs=1e-9)


@pytest.mark.parametrize("d", AS_OF, ids=str)
def test_aging_per_bucket_as_of_a_past_day_to_the_cent(history, d):
    want = aging(d)
    got = {r["customer_id"]: {b: r[b] for b in want[r["customer_id"]]} for r in open_aging(history, d, None, True)}
    assert got == want
    report = {
        r["customer_id"]: {b: r[b] for b in want[r["customer_id"]]} for r in aging_by_account(history, d, None, True)
    }
    assert report == want
    for owner in ("alice", "bob"):
        queue = {r.customer_id: r.buckets for r in build_queue(history, d, owner, as_of=True)}
        assert queue == aging(d, owner)


@pytest.mark.parametrize("d", AS_OF, ids=str)
def test_as_of_differs_from_re_aging_todays_balances(history, d):
    """``--today D`` only re-ages the balances as they are now; the book held more that day."""
    re_aged = compute_kpis(history, d)["total_ar_cents"]
    assert re_aged == sum(open_at(inv, NOW) for inv in PLAN)
    assert compute_kpis(history, d, as_of=True)["total_ar_cents"] == expected_kpis(d)["total"] != re_aged


def test_as_of_the_last_day_is_the_current_balance(history):
    now, rebuilt = compute_kpis(history, NOW), compute_kpis(history, NOW, as_of=True)
    assert rebuilt == now
    assert {r["customer_id"]: r for r in open_aging(history, NOW, None, True)} == {
        r["customer_id"]: r for r in open_aging(history, NOW, None)
    }


def test_applications_carry_their_value_date_and_invoices_close_on_the_last(history):
    by_invoice = {}
    for r in history.query("SELECT invoice_id, applied_date, applied_at FROM payment_applications"):
        by_invoice.setdefault(r["invoice_id"], []).append((r["applied_date"], r["applied_at"][:10]))
    imported = manual = 0
    for inv in PLAN:
        cash_moves = sorted(
            (on.isoformat(), done.isoformat()) for k, on, _, done in inv.moves if k in ("manual", "import")
        )
        assert sorted(by_invoice.get(inv.id, [])) == cash_moves
        imported += sum(1 for k, on, _, done in inv.moves if k == "import" and done > on)
        manual += sum(1 for k, *_ in inv.moves if k == "manual")
        closed = history.execute("SELECT closed_date FROM invoices WHERE id = ?", [inv.id]).fetchone()[0]
        if inv.erp_closed:
            assert closed == inv.erp_closed.isoformat()
        elif open_at(inv, NOW) == 0:
            assert closed == max(on for _, on, _, _ in inv.moves).isoformat(), inv.number
        else:
            assert closed is None
    assert imported > 20 and manual > 20


def test_a_bank_receipt_imported_later_is_applied_at_its_received_date(tmp_path):
    db = connect(tmp_path / "b.db", create=True)
    enrol(db, "lead", "Lee Lead", role="lead")
    db["customers"].insert({"id": 1, "account_no": "C001", "name": "Northwind", "currency": "USD", "owner": "lead"})
    db["invoices"].insert_all(
        [
            {"id": i, "customer_id": 1, "number": f"INV-10{i}", "issue_date": "2006-01-02", "due_date": "2006-02-01"}
            | {"currency": "USD", "amount_cents": 10_000, "open_cents": 10_000}
            for i in (1, 2)
        ]
    )
    importing = Context(db, "lead", fixed_clock(date(2026, 11, 26)))
    pay = record_payment(importing, 10_000, date(2006, 3, 1), "ach", bank_ref="R1", remittance="INV-101")
    assert cash.auto_apply(importing, pay) == 10_000
    invoice = get(db, "invoices", 1)
    assert (invoice["open_cents"], invoice["closed_date"]) == (0, "2006-03-01")
    assert db.execute("SELECT applied_date FROM payment_applications").fetchone()[0] == "2006-03-01"
    # a collector applying an old receipt by hand applies it today
    pay = record_payment(importing, 10_000, date(2006, 3, 5), "check", customer_id=1)
    apply_payment(importing, pay, [(2, 10_000)], 1)
    assert get(db, "invoices", 2)["closed_date"] == "2026-11-26"


# --- what the user sees ------------------------------------------------------------------


def arctui(*args, db):
    return subprocess.run(
        [str(Path(sys.executable).parent / "arctui"), *args, "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def history_path(history):
    return history.execute("PRAGMA database_list").fetchone()[2]


def test_kpi_command_as_of_prints_the_rebuilt_book(history_path):
    d = AS_OF[1]
    out = arctui("kpi", "--as-of", d.isoformat(), db=history_path)
    assert out.returncode == 0, out.stderr
    want = expected_kpis(d)
    assert f"as of {d}" in out.stdout
    assert f"${want['total'] / 100:,.2f}" in out.stdout
    assert f"{want['cei']:,.1f}%" in out.stdout
    assert f"{want['dso']:,.1f} days" in out.stdout


def test_kpi_with_no_defined_value_prints_n_a_and_dso_at_its_cap_prints_365(tmp_path):
    db = connect(tmp_path / "c.db", create=True)
    enrol(db, "lead", "Lee Lead", role="lead")
    db["customers"].insert({"id": 1, "account_no": "C001", "name": "Old", "currency": "USD", "owner": "lead"})
    db["invoices"].insert(
        {"id": 1, "customer_id": 1, "number": "INV-1", "issue_date": "2013-01-02", "due_date": "2013-02-01"}
        | {"currency": "USD", "amount_cents": 500_000, "open_cents": 500_000}
    )
    db.close()
    before = arctui("kpi", "--as-of", "2012-12-31", db=tmp_path / "c.db")
    assert before.returncode == 0, before.stderr
    lines = dict(line.rsplit("  ", 1) for line in before.stdout.splitlines()[2:])
    assert {k.strip(): v.strip() for k, v in lines.items()} == {
        "Total receivables": "$0.00",
        "Past due": "$0.00",
        "DSO (count-back)": "n/a",
        "Best possible DSO": "n/a",
        "ADD (average days delinquent)": "n/a",
        "CEI (last 30 days)": "n/a",
        "% current": "n/a",
        "Promise-kept rate (90 days)": "n/a",
        "Avg days since last contact": "n/a",
    }
    assert "0.0%" not in before.stdout
    later = arctui("kpi", "--as-of", "2014-06-30", db=tmp_path / "c.db")
    assert later.returncode == 0, later.stderr
    assert "≥365 days" in later.stdout and "$5,000.00" in later.stdout


def test_queue_and_report_as_of(history_path):
    d = AS_OF[0]
    queue = arctui("queue", "--collector", "all", "--as-of", d.isoformat(), db=history_path)
    assert queue.returncode == 0, queue.stderr
    want = aging(d)
    past_due = {cid: sum(row.values()) - row["current"] for cid, row in want.items()}
    top = max(past_due, key=past_due.get)
    assert f"${past_due[top] / 100:,.2f}" in queue.stdout
    report = arctui("report", "aging", "--format", "csv", "--as-of", d.isoformat(), db=history_path)
    assert report.returncode == 0, report.stderr
    total = sum(sum(row.values()) for row in want.values())
    assert (
        f"Total,,,,USD,{','.join(f'{sum(r[b] for r in want.values()) / 100:.2f}' for b in want[1])},{total / 100:.2f}"
        in report.stdout
    )
    text = arctui("report", "aging", "--as-of", d.isoformat(), db=history_path)
    assert text.returncode == 0 and f"as it stood at the end of {d}" in text.stdout


def test_as_of_refusals_are_one_line(history_path):
    both = arctui("kpi", "--as-of", "2025-06-30", "--today", "2025-06-30", db=history_path)
    assert both.returncode != 0 and "not both" in both.stderr and "Traceback" not in both.stderr
    bad = arctui("kpi", "--as-of", "2025-13-01", db=history_path)
    assert bad.returncode != 0 and "--as-of" in bad.stderr and "Traceback" not in bad.stderr
    cadence = arctui("report", "cadence", "--as-of", "2025-06-30", db=history_path)
    assert cadence.returncode != 0 and "Traceback" not in cadence.stderr
    assert "cannot rebuild the book as of a past day" in cadence.stderr and "aging" in cadence.stderr


def test_run_report_passes_as_of_to_the_reports_that_take_it(history):
    ctx = Context(history, "lead", fixed_clock(NOW), plugins=PLUGINS)
    d = AS_OF[2]
    result = run_report(ctx, "kpi", today=d, as_of=True)
    team = result.totals[0]
    assert team["total_ar"].cents == expected_kpis(d)["total"]
    assert run_report(ctx, "kpi", today=d, as_of=False).totals[0]["total_ar"].cents == sum(
        open_at(inv, NOW) for inv in PLAN
    )


def test_as_of_the_report_books_day_is_its_current_state(book):
    """On the report tests' book (promises, disputes, touchpoints, memos made through the
    services), the book rebuilt at its own day is exactly the current one."""
    from tests.reports.conftest import TODAY

    for collector in (None, "alice", "bob"):
        assert kpis_by_currency(book, TODAY, collector, as_of=True) == kpis_by_currency(book, TODAY, collector)
        assert open_aging(book, TODAY, collector, True) == open_aging(book, TODAY, collector)
        now = [(r.customer_id, r.buckets, r.score.total) for r in build_queue(book, TODAY, collector)]
        assert [
            (r.customer_id, r.buckets, r.score.total) for r in build_queue(book, TODAY, collector, as_of=True)
        ] == now
