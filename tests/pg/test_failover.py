"""A standby that takes over (issue 15, item 5): a primary and a synchronous streaming standby
on 127.0.0.1, collectors saving through arctui's services from processes of their own, each
as their own role; the standby made to fall behind, then the primary killed with SIGKILL
while they write; the standby promoted. Every action a service acknowledged is on the
promoted standby with its audit row, the chain verifies, and the new primary takes the
team's next saves. The primary holding a commit for the lagging standby is what protects
an acknowledged action: with an asynchronous standby it would not, and the test fails
waiting for it.
"""

import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from arctui.services.context import Context, fixed_clock
from arctui.services.touchpoints import log_touchpoint
from arctui.store import audit
from arctui.store.connection import connect
from tests.pg import cluster
from tests.proof.book import TODAY, collector_ids, make_book, script_env

WRITERS = 4
ACKNOWLEDGED_BEFORE_KILL = 10  # each writer's, so that every one is mid-run when the primary dies
WORKER = Path(__file__).with_name("failover_writer.py")
WAITING_FOR_STANDBY = "SELECT pid FROM pg_stat_activity WHERE wait_event = 'SyncRep'"


def acknowledged_and_in_doubt(logs: list[Path]) -> tuple[list[tuple[str, str]], list[str]]:
    """What the writers' logs say: the actions acknowledged, and how each writer ended."""
    acked, ends = [], []
    for log in logs:
        for line in log.read_text().splitlines():
            entry = json.loads(line)
            if "action" in entry:
                acked.append((entry["action"], entry["entity_id"]))
            else:
                ends.append(next(iter(entry)))
    return acked, ends


def wait_for(condition, what: str, writers: list[subprocess.Popen]) -> None:
    """Poll until ``condition()``; fail with the writers' errors if one died or a minute passed."""
    deadline = time.monotonic() + cluster.WAIT_SECONDS
    while not condition():
        crashed = [w for w in writers if w.poll() not in (None, 0)]
        if crashed or time.monotonic() > deadline:
            pytest.fail(f"waiting for {what}: " + " | ".join(w.stderr.read() for w in crashed if w.stderr))
        time.sleep(0.05)


def test_every_acknowledged_action_survives_the_primary(tmp_path, record_property):
    with cluster.primary_and_standby() as (primary, standby):
        primary.execute("CREATE DATABASE book")
        make_book(primary.url("book"), collectors=WRITERS, customers=8, invoices_per_customer=2)
        logs = [tmp_path / f"{login}.jsonl" for login in collector_ids(WRITERS)]
        writers = [
            subprocess.Popen(
                [sys.executable, str(WORKER), primary.url("book", login), str(log), "--seed", str(n)],
                env=script_env(),
                stderr=subprocess.PIPE,
                text=True,
            )
            for n, (login, log) in enumerate(zip(collector_ids(WRITERS), logs))
        ]
        try:
            wait_for(
                lambda: all(log.exists() and len(log.read_text().splitlines()) >= ACKNOWLEDGED_BEFORE_KILL
                            for log in logs),
                f"{ACKNOWLEDGED_BEFORE_KILL} saves from each writer",
                writers,
            )  # fmt: skip
            # the standby falls behind (its WAL receiver stopped): the primary holds the next commit, unacknowledged,
            # until it has the standby's word (an asynchronous standby would let it through, lost with the primary
            # when the standby never got it)
            receiver = standby.execute("SELECT pid FROM pg_stat_wal_receiver")[0][0]
            os.kill(receiver, signal.SIGSTOP)
            try:
                wait_for(lambda: primary.execute(WAITING_FOR_STANDBY), "a commit waiting for the standby", writers)
                primary.kill()
            finally:
                os.kill(receiver, signal.SIGCONT)
            wait_for(lambda: all(w.poll() is not None for w in writers), "the writers to notice", writers)
        finally:
            for writer in writers:
                if writer.poll() is None:
                    writer.kill()
                writer.wait()
        standby.promote()

        acked, ends = acknowledged_and_in_doubt(logs)
        # as the runbook points collectors at both hosts: libpq skips the dead one and a read-only one
        both = f"postgresql://postgres@127.0.0.1:{primary.port},127.0.0.1:{standby.port}/book"
        db = connect(both + "?target_session_attrs=read-write")
        try:
            found = {
                (action, entity_id): count
                for action, entity_id, count in db.execute(
                    "SELECT action, entity_id, count(*) FROM audit GROUP BY action, entity_id"
                )
            }
            lost = [key for key in acked if found.get(key, 0) != 1]
            checked, bad, why = audit.verify(db)
            trail = db.execute("SELECT count(*) FROM audit").fetchone()[0]
            # the promoted standby is the primary now: the team's next save goes on the same chain
            next_one = log_touchpoint(Context(db, "w01", fixed_clock(TODAY)), 1, "call", "LVM", note="after failover",
                                      follow_up_date=TODAY + timedelta(days=1))  # fmt: skip
            after = audit.verify(db)
        finally:
            db.close()

    summary = f"failover: {len(acked)} writes acknowledged, {len(lost)} lost, {ends.count('in_doubt')} in doubt"
    print(summary)
    record_property("failover", summary)
    assert ends == ["in_doubt"] * WRITERS  # every writer was mid-run when the primary died
    assert len(acked) >= WRITERS * ACKNOWLEDGED_BEFORE_KILL
    assert lost == []
    assert (bad, why) == (None, None) and checked == trail
    assert next_one and after[1] is None and after[0] == trail + 1
