"""One collector at work, in a process of its own: the concurrency proof runs eight on one file.

    python tests/proof/collector_worker.py DB USER LOG --seconds S --seed N

Once ready it prints ``ready`` and waits for the start time (epoch seconds) on its standard
input, so that all workers start together. From then, for ``--seconds``, the collector picks
actions at random: touchpoints, promises, payment plans (create and edit), credit memos and
write-offs (prepare, approve someone else's, post), credit-limit changes (ask, approve someone
else's raise), payments (record, apply, refund), disputes,
escalations (recommend, reinstate, decide: only the leads w04 and w08 may, never their own), pauses
of an account's reminders (its collector or a lead), small
invoice imports and bank statements (BAI2) whose receipts pay those invoices, on accounts
and invoices every other worker touches too.

Every call a service acknowledged (it returned) is appended to LOG as one JSON line
``{"op", "audit": [[action, key], ...], "ms"}`` before the next call starts: ``audit`` names
the audit rows the call must have written (action and entity id, or the file of an import):
one per call, except a statement, whose import applies each receipt it can as its own
payment.apply.
A refusal (the service raised one of the user errors) is logged as ``{"op", "refused"}``; an
``sqlite3.OperationalError`` such as "database is locked", or a busy book, as ``{"op", "error"}``,
which the proof counts as a failure. Any other exception ends the worker with its traceback.
Each call is one ``replayed`` action, as the console's save: one that lost a write conflict on
PostgreSQL runs again (its entry counts the runs again in ``"replays"``).
"""

import argparse
import json
import random
import sqlite3
import sys
import time
from contextlib import suppress
from datetime import timedelta
from functools import partial
from pathlib import Path

if __package__ in (None, ""):  # run by path: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from click.testing import CliRunner  # noqa: E402

from arctui.cli import cli  # noqa: E402
from arctui.domain.authority import AuthorityError  # noqa: E402
from arctui.domain.money import MoneyError  # noqa: E402
from arctui.domain.plans import PlanError, equal_schedule  # noqa: E402
from arctui.domain.statuses import DISPUTE_REASONS, OUTCOME_CODES, PAYMENT_METHODS, TOUCHPOINT_KINDS  # noqa: E402
from arctui.services import (  # noqa: E402
    cash,
    contacts,
    credit_limits,
    credit_memos,
    disputes,
    escalations,
    plans,
    promises,
    refunds,
    strategies,
    write_offs,
)
from arctui.services.context import Context, fixed_clock  # noqa: E402
from arctui.services.errors import ServiceError  # noqa: E402
from arctui.services.imports import run_import  # noqa: E402
from arctui.services.touchpoints import log_touchpoint  # noqa: E402
from arctui.store.connection import BookBusy, connect, replayed  # noqa: E402
from arctui.store.read.book import path_of  # noqa: E402
from tests.proof.book import TODAY, bai2_statement  # noqa: E402

USER_ERRORS = (ServiceError, AuthorityError, PlanError, MoneyError)


class Collector:
    """The actions one collector takes; each returns the audit row it must have written."""

    def __init__(self, db, user: str, rng: random.Random, work_dir: Path):
        self.ctx = Context(db, user, fixed_clock(TODAY))
        self.db_path = path_of(db)
        self.db, self.user, self.rng, self.work_dir = db, user, rng, work_dir
        self.customers = [row[0] for row in db.execute("SELECT id FROM customers")]
        self.limit = db.execute("SELECT memo_limit_cents FROM collectors WHERE id = ?", [user]).fetchone()[0]
        self.importers = self.ctx.plugins.collect("importers")
        self.serial = 0

    def _next(self) -> int:
        self.serial += 1
        return self.serial

    def _open_invoice(self, customer_id=None):
        """A random invoice with more than $1,000 open (id, customer), of ``customer_id`` if
        given; the book's invoices hold far more than the workers take off them."""
        where, params = ("AND customer_id = ?", [customer_id]) if customer_id else ("", [])
        rows = self.db.execute(
            f"SELECT id, customer_id FROM invoices WHERE open_cents > 100000 {where}", params
        ).fetchall()
        return self.rng.choice(rows) if rows else None

    def touchpoint(self):
        kind = self.rng.choice(TOUCHPOINT_KINDS)
        touchpoint_id = log_touchpoint(
            self.ctx,
            self.rng.choice(self.customers),
            kind,
            self.rng.choice(list(OUTCOME_CODES)),
            note="proof call",
            follow_up_date=TODAY + timedelta(days=self.rng.randint(0, 9)),
        )
        return f"touchpoint.{kind}", touchpoint_id

    def contact(self):
        """A new contact, often made the account's primary while others do the same on it: the
        schema's one-primary index would refuse a second one with an IntegrityError (a crash)."""
        customer_id = self.rng.choice(self.customers[:4])
        primary = self.rng.random() < 0.7
        contact_id = contacts.add_contact(self.ctx, customer_id, f"{self.user} {self._next()}", primary=primary)
        return "contact.add", contact_id

    def pause(self):
        customer_id = self.rng.choice(self.customers)
        strategies.pause_dunning(self.ctx, customer_id, TODAY + timedelta(days=self.rng.randint(0, 30)), "proof pause")
        return "dunning.pause", customer_id

    def promise(self):
        promise_id = promises.record_promise(
            self.ctx,
            self.rng.choice(self.customers),
            self.rng.randint(1_000, 500_000),
            TODAY + timedelta(days=self.rng.randint(0, 20)),
        )
        return "promise.record", promise_id

    def plan(self):
        own = self.db.execute(
            "SELECT id, version FROM payment_plans WHERE created_by = ? AND status = 'active'", [self.user]
        ).fetchall()
        total = self.rng.randint(10_000, 90_000)
        schedule = equal_schedule(total, self.rng.randint(1, 4), TODAY + timedelta(days=7), "monthly")
        if own and self.rng.random() < 0.6:
            plan_id, version = self.rng.choice(own)
            plans.edit_plan(self.ctx, plan_id, version, total, schedule, note="proof edit")
            return "plan.edit", plan_id
        invoice_id, customer_id = self._open_invoice()
        plan_id = plans.create_plan(self.ctx, customer_id, total, schedule, "monthly", invoice_ids=[invoice_id])
        return "plan.create", plan_id

    def memo(self):
        invoice_id, customer_id = self._open_invoice()
        memo_id = credit_memos.prepare_memo(
            self.ctx,
            customer_id,
            self.rng.randint(1_000, 120_000),
            "pricing",
            "4000",
            invoice_id=invoice_id,
            note="proof",
        )
        return "memo.prepare", memo_id

    def write_off(self):
        invoice_id, _ = self._open_invoice()
        amount = self.rng.randint(1_000, 120_000)
        write_off_id = write_offs.propose_write_off(self.ctx, invoice_id, amount, "bad_debt", "6800", "proof")
        return "write_off.prepare", write_off_id

    def decide(self):
        """Approve a memo or write-off someone else prepared within my limit, or post an approved
        one; now and then try to approve my own, which must be refused."""
        approved = self.db.execute(
            "SELECT id, version, kind FROM credit_memos WHERE status = 'approved' ORDER BY random() LIMIT 1"
        ).fetchone()
        if approved and self.rng.random() < 0.5:
            credit_memos.post_memo(self.ctx, *approved[:2])
            return f"{credit_memos.KINDS[approved[2]][0]}.post", approved[0]
        mine = "=" if self.rng.random() < 0.1 else "<>"
        pending = self.db.execute(
            f"SELECT id, version, kind FROM credit_memos WHERE status = 'pending_approval' AND "
            f"prepared_by {mine} ? AND amount_cents <= ? ORDER BY random() LIMIT 1",
            [self.user, self.limit],
        ).fetchone()
        if pending is None:
            return None
        credit_memos.approve_memo(self.ctx, *pending[:2], note="proof approval")
        return f"{credit_memos.KINDS[pending[2]][0]}.approve", pending[0]

    def refund_decision(self):
        """Approve or reject a refund request someone else made, within my limit (refused unless
        I am a lead); now and then try my own, which must be refused."""
        mine = "=" if self.rng.random() < 0.1 else "<>"
        pending = self.db.execute(
            f"SELECT id, version FROM refund_requests WHERE status = 'pending_approval' AND requested_by {mine} ?"
            " AND amount_cents <= ? ORDER BY random() LIMIT 1",
            [self.user, self.limit],
        ).fetchone()
        if pending is None:
            return None
        if self.rng.random() < 0.7:
            refunds.approve_refund(self.ctx, *pending, "proof approval")
            return "refund.approve", pending[0]
        refunds.reject_refund(self.ctx, *pending, "proof rejection")
        return "refund.reject", pending[0]

    def credit_limit(self):
        """Approve a raise someone else asked for, or ask for a new limit of an account (on
        every account the other workers change too: a stale account is refused)."""
        pending = self.db.execute(
            "SELECT id, version FROM credit_limit_changes WHERE status = 'pending_approval' AND requested_by <> ?"
            " AND to_cents - coalesce(from_cents, 0) <= ? ORDER BY random() LIMIT 1",
            [self.user, self.limit],
        ).fetchone()
        if pending and self.rng.random() < 0.5:
            credit_limits.approve_credit_limit(self.ctx, *pending, "proof approval")
            return "credit_limit.approve", pending[0]
        customer_id = self.rng.choice(self.customers)
        version = self.db.execute("SELECT version FROM customers WHERE id = ?", [customer_id]).fetchone()[0]
        limit = self.rng.randint(1, 400) * 10_000
        change_id = credit_limits.change_credit_limit(self.ctx, customer_id, limit, "proof", version)
        return "credit_limit.request", change_id

    def payment(self):
        customer_id = self.rng.choice(self.customers)
        payment_id = cash.record_payment(
            self.ctx,
            self.rng.randint(5_000, 120_000),  # over the small limit now and then: a refund of it is a request
            TODAY,
            self.rng.choice(PAYMENT_METHODS),
            customer_id=customer_id,
            bank_ref=f"{self.user}-{self._next()}",
        )
        return "payment.record", payment_id

    def application(self):
        """Apply part of one of my payments with unapplied cash, or refund a little of it."""
        row = self.db.execute(
            "SELECT id, customer_id, unapplied_cents, version FROM payments WHERE "
            "updated_by = ? AND unapplied_cents > 0 ORDER BY random() LIMIT 1",
            [self.user],
        ).fetchone()
        if row is None:
            return None
        payment_id, customer_id, unapplied, version = row
        if self.rng.random() < 0.15:  # a little, or more than the small limit: then a request
            cents = min(unapplied, 500) if self.rng.random() < 0.5 else unapplied
            request_id = cash.refund_payment(self.ctx, payment_id, cents, note="proof refund", version=version)
            return ("payment.refund", payment_id) if request_id is None else ("payment.refund_request", payment_id)
        invoice = self._open_invoice(customer_id)
        if invoice is None:
            return None
        cash.apply_payment(self.ctx, payment_id, [(invoice[0], self.rng.randint(1, unapplied))], version)
        return "payment.apply", payment_id

    def dispute(self):
        invoice_id, _ = self._open_invoice()
        dispute_id = disputes.open_dispute(
            self.ctx, invoice_id, self.rng.randint(100, 20_000), self.rng.choice(list(DISPUTE_REASONS))
        )
        return "dispute.open", dispute_id

    def escalate(self):
        """Decide a recommendation waiting (refused unless I lead, and for my own), recommend
        reinstating an approved escalation (refused once it ended), or recommend suspension or
        legal for an account as I see it now (refused while one waits or is in force)."""
        draw = self.rng.random()
        pending = self.db.execute(
            "SELECT id, version FROM escalations WHERE status = 'recommended' ORDER BY random() LIMIT 1"
        ).fetchone()
        if pending and draw < 0.5:
            approve = self.rng.random() < 0.7
            escalations.decide_escalation(self.ctx, *pending, approve, note="proof decision")
            return ("escalation.approve" if approve else "escalation.reject"), pending[0]
        approved = self.db.execute(
            "SELECT id FROM escalations WHERE step = 'escalate' AND status = 'approved' ORDER BY random() LIMIT 1"
        ).fetchone()
        if approved and draw < 0.65:
            return "escalation.recommend.reinstate", escalations.recommend_reinstatement(
                self.ctx, approved[0], "proof reinstatement"
            )
        customer_id = self.rng.choice(self.customers)
        version = self.db.execute("SELECT version FROM customers WHERE id = ?", [customer_id]).fetchone()[0]
        kind = self.rng.choice(("suspension", "legal"))
        return f"escalation.recommend.{kind}", escalations.recommend_escalation(
            self.ctx, customer_id, kind, "proof recommendation", version
        )

    def import_invoices(self):
        """Three new invoices from a CSV file, through the bundled CSV importer; their numbers
        (WX-...) are what the statements' remittances name."""
        n = self._next()
        path = self.work_dir / f"{self.user}-{n}.csv"
        account = self.db.execute("SELECT account_no FROM customers ORDER BY random() LIMIT 1").fetchone()[0]
        path.write_text(
            "number,account_no,issue_date,due_date,amount\n"
            + "".join(
                f"WX-{self.user[1:]}{n:05d}{k},{account},2026-10-01,2026-10-31,{1000 + k}.{n % 100:02d}\n"
                for k in range(3)
            )
        )
        return "import.invoices", str(path), self._import("invoices", path)

    def import_statement(self):
        """A BAI2 statement of small receipts naming imported invoices (any worker's): the
        import applies each in the same transaction, against invoices others pay too."""
        numbers = [
            row[0]
            for row in self.db.execute(
                "SELECT number FROM invoices WHERE number LIKE 'WX-%' AND open_cents > 100 ORDER BY random() LIMIT 2"
            )
        ]
        if not numbers:
            return None
        n = self._next()
        path = self.work_dir / f"{self.user}-{n}.bai2"
        path.write_text(bai2_statement(f"{self.user.upper()}S{n}", numbers, self.rng))
        return "import.payments", str(path), self._import("bai2", path)

    def do_batch(self):
        """Three promises from a CSV file through ``arctui do promise --from``, in one
        transaction; now and then one line asks too much, and the whole file is refused."""
        n = self._next()
        path = self.work_dir / f"{self.user}-do-{n}.csv"
        accounts = [r[0] for r in self.db.execute("SELECT account_no FROM customers ORDER BY random() LIMIT 3")]
        amounts = [f"{self.rng.randint(10, 2_000)}.00" for _ in accounts]
        if self.rng.random() < 0.2:
            amounts[-1] = "99,000,000.00"
        path.write_text(
            "account,amount,date\n"
            + "".join(f"{a},{m},2026-12-{10 + k}\n" for k, (a, m) in enumerate(zip(accounts, amounts)))
        )
        args = ["--user", self.user, "do", "promise", "--db", self.db_path, "--from", str(path), "--json"]
        done = CliRunner().invoke(cli, [*args, "--today", TODAY.isoformat()])
        if done.exit_code != 0:
            if "busy" in done.output or "locked" in done.output:
                raise sqlite3.OperationalError(done.output.strip())
            if done.exit_code != 1 or done.exception and not isinstance(done.exception, SystemExit):
                raise RuntimeError(f"arctui do crashed: {done.output}") from done.exception
            raise ServiceError(done.output.strip())
        ids = [row["id"] for row in json.loads(done.output)]
        return "promise.record", ids[0], [("promise.record", i) for i in ids[1:]]

    def _import(self, importer: str, path: Path) -> list:
        """Run the import; the audit rows of the cash it applied."""
        report = run_import(self.ctx, self.importers[importer], path)
        if not report.written:
            raise ServiceError(f"import refused: {'; '.join(map(str, report.rejected))}")
        return [("payment.apply", r.payment_id) for r in report.receipts if r.applied_cents]

    WEIGHTS = {
        "touchpoint": 3,
        "promise": 2,
        "plan": 2,
        "memo": 2,
        "write_off": 1,
        "decide": 2,
        "credit_limit": 1,
        "refund_decision": 1,
        "payment": 2,
        "application": 3,
        "dispute": 1,
        "escalate": 2,
        "import_invoices": 1,
        "import_statement": 1,
        "do_batch": 1,
        "pause": 1,
        "contact": 1,
    }


def act_at_random(db, day, seed: int, actions: int, work_dir: Path) -> None:
    """``actions`` random actions of the collectors w01 and w02 on ``day``, in this process,
    seeded; a refusal a user would see is skipped."""
    names, weights = zip(*Collector.WEIGHTS.items())
    workers = [Collector(db, user, random.Random(seed * 10 + n), work_dir) for n, user in enumerate(("w01", "w02"))]
    for worker in workers:
        worker.ctx = Context(db, worker.user, fixed_clock(day))
    pick = random.Random(seed)
    for _ in range(actions):
        worker = pick.choice(workers)
        with suppress(USER_ERRORS):
            getattr(worker, worker.rng.choices(names, weights)[0])()


def run(db_path: str, user: str, log_path: str, seconds: float, seed: int, work_dir: Path) -> None:
    db = connect(db_path)
    collector = Collector(db, user, random.Random(seed), work_dir)
    names, weights = zip(*Collector.WEIGHTS.items())
    print("ready", flush=True)
    start_at = float(sys.stdin.readline())
    while time.time() < start_at:
        time.sleep(0.005)
    stop = start_at + seconds
    with open(log_path, "a", buffering=1) as log:
        while time.time() < stop:
            op = collector.rng.choices(names, weights)[0]
            started = time.perf_counter()
            conflicts = []
            try:
                done = replayed(db, getattr(collector, op), on_conflict=partial(conflicts.append, op))
            except USER_ERRORS as exc:
                entry = {"op": op, "refused": type(exc).__name__, "message": str(exc)}
            except (sqlite3.OperationalError, BookBusy) as exc:
                entry = {"op": op, "error": str(exc)}
            else:
                if done is None:
                    continue
                action, key, *applied = done
                audited = [(action, key), *(applied[0] if applied else ())]
                entry = {"op": op, "audit": [[name, str(k)] for name, k in audited]}
            entry["ms"] = round((time.perf_counter() - started) * 1000, 3)
            if conflicts:
                entry["replays"] = len(conflicts)
            log.write(json.dumps(entry) + "\n")
    db.close()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("user")
    parser.add_argument("log")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    work_dir = Path(args.log).parent / f"{args.user}-files"
    work_dir.mkdir(exist_ok=True)
    run(args.db, args.user, args.log, args.seconds, args.seed, work_dir)


if __name__ == "__main__":
    main()
