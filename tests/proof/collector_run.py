"""Run N collector processes on one file and check what they leave behind.

Shared by the concurrency test (seconds) and ``bench/bench_concurrency.py`` (longer).
"""

import json
import statistics
import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from arctui.store.connection import connect
from tests.proof.book import (
    TODAY,
    audit_chain,
    collector_ids,
    facts_mismatches,
    integrity,
    ledger_mismatches,
    script_env,
    start_script,
)

START_MARGIN_SECONDS = 0.2  # between the last worker reporting ready and the common start


@dataclass
class CrowdRun:
    workers: int
    seconds: float
    acknowledged: dict[str, list[dict]] = field(default_factory=dict)  # user -> log entries
    refused: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    replays: Counter = field(default_factory=Counter)  # op -> runs again after a write conflict
    calls: Counter = field(default_factory=Counter)  # op -> calls logged (acknowledged, refused, failed)
    exit_codes: list[int] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)

    @property
    def actions(self) -> int:
        return sum(len(entries) for entries in self.acknowledged.values())

    @property
    def per_second(self) -> float:
        return self.actions / self.seconds

    def latency_ms(self) -> dict[str, float]:
        times = sorted(e["ms"] for entries in self.acknowledged.values() for e in entries)
        if not times:
            return {}
        cuts = statistics.quantiles(times, n=100, method="inclusive")
        return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98], "max": times[-1]}


def run_collectors(
    db_path: Path, work_dir: Path, workers: int, seconds: float, seed: int = 1, meanwhile=None
) -> CrowdRun:
    """Start ``workers`` collector processes together for ``seconds`` and gather their logs;
    ``meanwhile()``, if given, is called once they are at work."""
    users = collector_ids(workers)
    logs = {user: work_dir / f"{user}.log" for user in users}
    processes = [
        start_script(
            "collector_worker.py",
            db_path,
            user,
            logs[user],
            "--seconds",
            seconds,
            "--seed",
            seed * 1000 + n,
            env=script_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n, user in enumerate(users)
    ]
    for process in processes:
        process.stdout.readline()  # "ready" (or nothing, if it died: its exit code tells)
    start_at = f"{time.time() + START_MARGIN_SECONDS}\n"
    for process in processes:
        try:
            process.stdin.write(start_at)
            process.stdin.flush()
        except BrokenPipeError:
            pass
    if meanwhile is not None:
        time.sleep(START_MARGIN_SECONDS + seconds / 4)
        meanwhile()
    result = CrowdRun(workers, seconds)
    for process in processes:
        _, err = process.communicate(timeout=seconds + 120)
        result.exit_codes.append(process.returncode)
        result.stderr.append(err)
    for user, log in logs.items():
        entries = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
        result.acknowledged[user] = [e for e in entries if "audit" in e]
        result.refused.update(f"{e['op']}: {e['refused']}" for e in entries if "refused" in e)
        result.errors += [f"{user} {e['op']}: {e['error']}" for e in entries if "error" in e]
        for entry in entries:
            result.calls[entry["op"]] += 1
            result.replays[entry["op"]] += entry.get("replays", 0)
    return result


def audit_keys(db, actors) -> Counter:
    """(actor, action, key) of every audit row by ``actors``: the key is the entity id, or
    the file for an import."""
    keys = Counter()
    placeholders = ", ".join("?" * len(actors))
    for actor, action, entity_id, after in db.execute(
        f"SELECT actor, action, entity_id, after FROM audit WHERE actor IN ({placeholders})", list(actors)
    ):
        key = json.loads(after)["import"]["file"] if action.startswith("import.") else entity_id
        keys[(actor, action, key)] += 1
    return keys


def problems(db_path: Path, run: CrowdRun) -> list[str]:
    """Everything that makes the run fail the proof; empty when it holds."""
    found = [f"worker exited {code}: {err[-2000:]}" for code, err in zip(run.exit_codes, run.stderr) if code != 0]
    found += [f"unhandled: {error}" for error in run.errors]
    check = integrity(db_path)
    if check != "ok":
        found.append(f"integrity_check: {check}")
    db = connect(db_path)
    try:
        found += [f"ledger does not reconcile: {row}" for row in ledger_mismatches(db)]
        found += [f"queue facts out of date: {line}" for line in facts_mismatches(db)]
        checked, bad_id, why = audit_chain(db)
        if bad_id is not None:
            found.append(f"audit chain broken at row {bad_id}: {why}")
        acknowledged = Counter(
            (user, *key) for user, entries in run.acknowledged.items() for e in entries for key in e["audit"]
        )
        audited = audit_keys(db, list(run.acknowledged))
        for key in acknowledged.keys() | audited.keys():
            if acknowledged[key] != audited[key]:
                found.append(f"{key}: acknowledged {acknowledged[key]} times, audited {audited[key]} times")
        found += [
            f"account {row[0]} has {row[1]} pauses of its reminders in force (a new one ends the last)"
            for row in db.execute(
                "SELECT customer_id, count(*) FROM dunning_pauses WHERE ended_at IS NULL AND until_date >= ?"
                " GROUP BY customer_id HAVING count(*) > 1",
                [TODAY.isoformat()],
            )
        ]
        found += [
            f"account {row[0]} has {row[1]} primary contacts"
            for row in db.execute(
                "SELECT customer_id, count(*) FROM contacts WHERE is_primary <> 0"
                " GROUP BY customer_id HAVING count(*) > 1"
            )
        ]
        found += [
            f"memo {row[0]} approved by its own preparer {row[1]}"
            for row in db.execute("SELECT number, prepared_by FROM credit_memos WHERE approved_by = prepared_by")
        ]
        found += [
            f"memo {row[0]} of {row[1]} cents approved by {row[2]} above the limit"
            for row in db.execute(
                "SELECT m.number, m.amount_cents, m.approved_by FROM credit_memos m "
                "JOIN collector_limits k ON k.collector_id = m.approved_by AND k.kind = m.kind "
                "WHERE m.status IN ('approved', 'posted') AND m.amount_cents > k.limit_cents"
            )
        ]
        found += [
            f"memo {row[0]} went through without approval above {row[1]}'s limit"
            for row in db.execute(
                "SELECT m.number, m.prepared_by FROM credit_memos m "
                "JOIN collector_limits k ON k.collector_id = m.prepared_by AND k.kind = m.kind "
                "WHERE m.status IN ('approved', 'posted') AND m.approved_by IS NULL "
                "AND m.amount_cents > k.limit_cents"
            )
        ]
        found += [
            f"credit-limit change {row[0]} raised {row[1]} cents above {row[2]}'s limit without another's approval"
            for row in db.execute(
                "SELECT l.id, l.raise, l.requested_by FROM (SELECT *, to_cents - coalesce(from_cents, 0) AS raise"
                " FROM credit_limit_changes WHERE status = 'applied') l"
                " JOIN collector_limits asked ON asked.collector_id = l.requested_by"
                " AND asked.kind = 'credit_limit'"
                " JOIN collector_limits decided ON decided.collector_id = l.decided_by"
                " AND decided.kind = 'credit_limit'"
                " WHERE l.raise > asked.limit_cents"
                " AND (l.decided_by = l.requested_by OR l.raise > decided.limit_cents)"
            )
        ]
        found += [
            f"account {row[0]}'s credit limit {row[1]} is not its last applied change's {row[2]}"
            for row in db.execute(
                # the change applied last, in the order of the audit rows that applied them (a raise
                # asked for early may be approved after later changes took the limit away and back)
                "SELECT c.id, c.credit_limit_cents, l.to_cents FROM customers c JOIN credit_limit_changes l"
                " ON l.id = (SELECT ch.id FROM credit_limit_changes ch JOIN audit a"
                " ON a.entity = 'credit_limit_changes' AND a.entity_id = CAST(ch.id AS TEXT)"
                " AND a.action IN ('credit_limit.request', 'credit_limit.approve')"
                " WHERE ch.customer_id = c.id AND ch.status = 'applied' ORDER BY a.id DESC LIMIT 1)"
                " WHERE c.credit_limit_cents IS NOT l.to_cents"
            )
        ]
        found += [
            f"refund request {row[0]} decided by its requester {row[1]}"
            for row in db.execute("SELECT id, decided_by FROM refund_requests WHERE decided_by = requested_by")
        ]
        found += [
            f"refund request {row[0]} of {row[1]} cents refunded by {row[2]}, not a lead within their limit"
            for row in db.execute(
                "SELECT r.id, r.amount_cents, r.decided_by FROM refund_requests r"
                " JOIN collector_limits k ON k.collector_id = r.decided_by AND k.kind = 'refund'"
                " WHERE r.status = 'refunded' AND (k.role NOT IN ('lead', 'manager') OR r.amount_cents > k.limit_cents)"
            )
        ]
        found += [
            f"payment {row[0]}: refund requests hold {row[1]} cents of its {row[2]} unapplied"
            for row in db.execute(
                "SELECT p.id, sum(r.amount_cents), p.unapplied_cents FROM payments p"
                " JOIN refund_requests r ON r.payment_id = p.id AND r.status = 'pending_approval'"
                " GROUP BY p.id HAVING sum(r.amount_cents) > p.unapplied_cents"
            )
        ]
        found += [
            f"refund of {row[1]} cents from payment {row[0]} by {row[2]}, above their limit, with no request approved"
            for row in db.execute(
                "SELECT a.payment_id, a.amount_cents, a.applied_by FROM payment_applications a"
                " JOIN collector_limits k ON k.collector_id = a.applied_by AND k.kind = 'refund'"
                " WHERE a.kind = 'refund' AND a.amount_cents > k.limit_cents"
                " AND NOT EXISTS (SELECT 1 FROM refund_requests r WHERE r.payment_id = a.payment_id"
                "                 AND r.status = 'refunded' AND r.decided_by = a.applied_by"
                "                 AND r.amount_cents = a.amount_cents)"
            )
        ]
        found += [
            f"escalation {row[0]} decided by its recommender {row[1]}"
            for row in db.execute("SELECT id, decided_by FROM escalations WHERE decided_by = recommended_by")
        ]
        found += [
            f"account {row[0]} is {row[1]} without the escalation in force"
            for row in db.execute(
                "SELECT c.id, c.status FROM customers c WHERE c.status IN ('suspended', 'outside_collections')"
                " AND NOT EXISTS (SELECT 1 FROM escalations e WHERE e.customer_id = c.id AND e.step = 'escalate'"
                " AND e.status = 'approved' AND NOT EXISTS (SELECT 1 FROM escalations r WHERE r.reverses_id = e.id"
                " AND r.status = 'approved'))"
            )
        ]
    finally:
        db.close()
    return found
