"""kill -9 at random moments: an import, the console's save path and a dunning run, 20 times
each, on a SQLite file and on a PostgreSQL book. After every kill a file passes ``PRAGMA
integrity_check``, the ledger reconciles and the audit chain verifies; an import is all there
or not at all; no email is marked sent that the server did not receive, and none reaches the
server twice."""

import os
import random
import re
import signal
import subprocess
import time
from collections import Counter
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from arctui.domain.plans import equal_schedule
from arctui.services import cash, plans
from arctui.services.context import Context, fixed_clock
from arctui.services.email import IN_DOUBT, resolve_in_doubt, stuck
from arctui.store.connection import connect
from tests.email.conftest import Mailbox, free_port
from tests.proof.book import (
    TODAY,
    add_accounts,
    audit_chain,
    collector_ids,
    integrity,
    ledger_mismatches,
    make_book,
    script_env,
    start_script,
)
from tests.proof.collector_run import audit_keys

KILLS = 20
IMPORT_ROWS = 300


class Kills:
    """A fork server (``crash_driver.py``) whose children are killed -9 after a random delay
    from the moment they are ready; ``outcomes`` counts what became of them."""

    def __init__(self, seed: int, max_delay: float, env=None):
        self.rng = random.Random(seed)
        self.max_delay = max_delay
        self.outcomes = Counter()
        self.server = start_script(
            "crash_driver.py",
            env=env or script_env(),
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self._expect("serving")

    def _expect(self, word: str) -> str:
        line = self.server.stdout.readline()
        if not line.startswith(word):
            self.server.kill()
            pytest.fail(f"crash driver: expected {word!r}, got {line!r}: {self.server.communicate()[1][-3000:]}")
        return line.split()[-1]

    def _send(self, line: str) -> None:
        self.server.stdin.write(line + "\n")
        self.server.stdin.flush()

    def run(self, *args, kill: bool = True) -> str:
        """One child doing ``args``: killed after a random delay, or (``kill=False``) left to
        finish its work."""
        self._send(" ".join(map(str, args)))
        child = int(self._expect("ready"))
        if kill:
            time.sleep(self.rng.uniform(0, self.max_delay))
            os.kill(child, signal.SIGKILL)  # a zombie if it finished: not reaped until we say so
        self._send("reap")
        code = int(self._expect("exit"))
        if code not in (0, -signal.SIGKILL):
            pytest.fail(f"driver failed on its own (exit {code}): {self.close()[-3000:]}")
        outcome = "killed" if code == -signal.SIGKILL else "finished"
        self.outcomes[outcome] += 1
        return outcome

    def close(self) -> str:
        """End the server (end of its input) and return what it wrote to stderr."""
        if self.server.returncode is None:
            self.errors = self.server.communicate(timeout=30)[1]
        return self.errors


@pytest.fixture
def kills_of():
    """``kills_of(seed, max_delay, env=None)``: a fork server, closed after the test."""
    servers = []

    def start(seed: int, max_delay: float, env=None) -> Kills:
        servers.append(Kills(seed, max_delay, env))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def assert_sound(book):
    assert integrity(book) == "ok"
    db = connect(book)
    assert ledger_mismatches(db) == []
    checked, bad_row, why = audit_chain(db)
    assert bad_row is None, why
    return db


def test_an_import_killed_at_random_is_all_there_or_not_at_all(tmp_path, book_target, kills_of):
    """Invoice files and bank statements (whose import also applies the cash) alternate."""
    book = make_book(book_target, collectors=2, customers=2, invoices_per_customer=1)
    folder = tmp_path / "files"
    folder.mkdir()
    kills = kills_of(seed=1, max_delay=0.4)
    interrupted = Counter()
    for _ in range(KILLS):
        kills.run("import", book, folder, IMPORT_ROWS)
        db = assert_sound(book)
        started = read_log(folder / "started.log")
        imported = set(read_log(folder / "imported.log"))
        audited = audit_keys(db, ["w02"])
        for kind, path in started:
            complete = import_is_whole(db, kind, path, audited)
            assert (kind, path) not in imported or complete, f"{path}: acknowledged, then lost"
        if started and started[-1] not in imported:
            interrupted[started[-1][0]] += 1
        db.close()
    assert kills.outcomes["killed"] == KILLS
    assert set(kind for kind, _ in started) == {"invoices", "bai2"}
    print(
        f"\nimport: {KILLS} kills, {sum(interrupted.values())} with an import under way "
        f"({dict(interrupted)}; {len(started)} files started in all), every file all or nothing"
    )


def read_log(path) -> list[tuple[str, str]]:
    return [tuple(line.split(" ", 1)) for line in path.read_text().splitlines()] if path.exists() else []


def import_is_whole(db, kind: str, path: str, audited: Counter) -> bool:
    """The file's rows are all there with their one audit row (and, for a statement, each
    receipt applied with its own), or none is; True when all are."""
    stem = os.path.basename(path).split(".")[0]
    if kind == "invoices":
        rows = db.execute("SELECT count(*) FROM invoices WHERE number LIKE ?", [f"KX-{stem[1:]}%"]).fetchone()[0]
    else:
        receipts = [
            str(row[0])
            for row in db.execute("SELECT id FROM payments WHERE bank_ref LIKE ?", [f"123456789/bank:S{stem[1:]}-%"])
        ]
        rows = len(receipts)
        applied = db.execute(
            "SELECT count(*), coalesce(sum(p.unapplied_cents), 0) FROM payments p JOIN "
            "payment_applications a ON a.payment_id = p.id WHERE p.bank_ref LIKE ?",
            [f"123456789/bank:S{stem[1:]}-%"],
        ).fetchone()
        assert applied == (rows, 0), f"{path}: receipts without their application"
        assert [audited[("w02", "payment.apply", r)] for r in receipts] == [1] * rows
    assert rows in (0, IMPORT_ROWS), f"{path}: a partial import of {rows} rows"
    assert audited[("w02", f"import.{'payments' if kind == 'bai2' else kind}", path)] == (rows > 0)
    return rows == IMPORT_ROWS


def test_the_console_save_path_killed_at_random_keeps_every_acknowledged_save(tmp_path, book_target, kills_of):
    """The console's forms call only services: killing these service calls is killing a save."""
    book = make_book(book_target, collectors=2, customers=2, invoices_per_customer=1)
    db = connect(book)
    ctx = Context(db, "w02", fixed_clock(TODAY))
    (plan_invoice, _), (pay_invoice, pay_customer) = db.execute(
        "SELECT id, customer_id FROM invoices ORDER BY id"
    ).fetchall()
    plan_id = plans.create_plan(
        ctx, 1, 50_000, equal_schedule(50_000, 5, TODAY, "weekly"), "weekly", invoice_ids=[plan_invoice]
    )
    payment_id = cash.record_payment(ctx, 5_000_000, TODAY, "wire", customer_id=pay_customer)
    db.close()
    log = tmp_path / "saves.log"
    kills = kills_of(seed=2, max_delay=0.25)
    for _ in range(KILLS):
        kills.run("save", book, log, plan_id, payment_id, pay_invoice)
        db = assert_sound(book)
        total, version = db.execute("SELECT total_cents, version FROM payment_plans WHERE id = ?", [plan_id]).fetchone()
        instalments = db.execute(
            "SELECT sum(amount_cents), count(DISTINCT seq), count(*) FROM plan_instalments WHERE plan_id = ?", [plan_id]
        ).fetchone()
        assert instalments[0] == total and instalments[1] == instalments[2], "a half-saved schedule"
        audited = audit_keys(db, ["w02"])
        assert audited[("w02", "plan.edit", str(plan_id))] == version - 1
        applications = db.execute(
            "SELECT count(*) FROM payment_applications WHERE payment_id = ?", [payment_id]
        ).fetchone()[0]
        assert audited[("w02", "payment.apply", str(payment_id))] == applications
        saves = log.read_text().split("\n") if log.exists() else []
        acknowledged_versions = [int(s.split()[1]) for s in saves if s.startswith("edit")]
        assert max(acknowledged_versions, default=1) <= version
        assert saves.count("apply") <= applications
        db.close()
    assert kills.outcomes["killed"] == KILLS
    print(
        f"\nconsole save: {KILLS} kills; {version - 1} plan edits and {applications} cash "
        f"applications committed, {len(acknowledged_versions)} + {saves.count('apply')} acknowledged"
    )


@pytest.fixture
def mail_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, mailbox
    controller.stop()


def received_ids(mailbox) -> Counter:
    return Counter(message_from_bytes(e.content, policy=policy.default)["Message-ID"] for e in mailbox.messages)


def outbox_id(message_id: str) -> int:
    """The outbox row a Message-ID was made for (it carries ``arctui.<id>``)."""
    return int(re.search(r"\barctui\.(\d+)[.@]", message_id).group(1))


def test_a_dunning_run_killed_at_random_never_lies_about_sending_and_never_sends_twice(
    tmp_path, book_target, mail_server, kills_of
):
    controller, mailbox = mail_server
    config = tmp_path / "config.toml"
    config.write_text(
        f'[email]\nsender = "smtp"\nfrom_addr = "ar@arctui.test"\nhost = "127.0.0.1"\n'
        f'port = {controller.port}\nsecurity = "none"\ntimeout = 5\n'
    )
    new_each_time = 40  # overdue accounts an ERP import adds before each run: work for every run
    book = make_book(book_target, collectors=2, customers=0)
    kills = kills_of(seed=3, max_delay=0.15, env=script_env(ARCTUI_CONFIG=config))

    def check(db):
        received = received_ids(mailbox)
        assert [mid for mid, n in received.items() if n > 1] == [], "a message received twice"
        assert max(Counter(map(outbox_id, received)).values(), default=0) <= 1, "an email sent twice"
        sent = dict(db.execute("SELECT message_id, id FROM email_outbox WHERE status = 'sent'"))
        assert [mid for mid in sent if mid not in received] == [], "marked sent, never received"
        rows = dict(db.execute("SELECT id, message_id FROM email_outbox"))
        assert all(rows.get(outbox_id(mid)) == mid for mid in received), "received, not claimed"
        touchpoints = db.execute("SELECT count(*) FROM touchpoints WHERE kind = 'email'").fetchone()[0]
        assert touchpoints == len(sent), "a sent email without its touchpoint, or the reverse"
        return received, sent

    for n in range(KILLS):
        db = connect(book)
        first = n * new_each_time + 1
        add_accounts(db, range(first, first + new_each_time), collector_ids(2), invoices_per_customer=1)
        db.close()
        kills.run("dunning", book)
        db = assert_sound(book)
        check(db)
        db.close()
    customers = KILLS * new_each_time
    assert kills.outcomes["killed"] >= KILLS // 2, "most kills land while a run is under way"
    held = [row for row in stuck(connect(book)) if row["state"] == IN_DOUBT]

    # a person checks the mail log for the messages in doubt, then the run finishes the work
    db = connect(book)
    received = received_ids(mailbox)
    person = Context(db, "w01", fixed_clock(TODAY))
    for row in held:
        resolve_in_doubt(person, row["id"], delivered=row["message_id"] in received)
    db.close()
    assert kills.run("dunning", book, kill=False) == "finished"

    db = assert_sound(book)
    received, sent = check(db)
    assert len(received) == len(sent) == customers, "every account got its reminder exactly once"
    per_account = Counter(message_from_bytes(e.content, policy=policy.default)["To"] for e in mailbox.messages)
    assert set(per_account.values()) == {1}
    print(
        f"\ndunning: {KILLS} kills ({kills.outcomes['killed']} while the run was under way), {len(held)} "
        f"messages left in doubt and settled from the mail log, {customers} accounts each "
        f"reminded exactly once"
    )
