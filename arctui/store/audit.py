"""The append-only audit trail and its SHA-256 hash chain.

Triggers refuse UPDATE and DELETE and any insert that is not a new last row chained to the
head (schema 3); the chain makes any edit made behind the triggers' back (a dropped trigger,
a hex editor) visible to ``verify``. Someone who drops the triggers, removes or rewrites the
last rows and recomputes the chain after them is caught by an anchor kept outside the file:
``head`` (rows and the last hash, taken nightly) checked later by ``check_anchor``.
"""

import hashlib
import json
import re

from sqlite_utils import Database

from arctui.store.postgresql import is_postgresql

GENESIS = "0" * 64
_FIELDS = ("at", "actor", "action", "entity", "entity_id", "before", "after")


def _digest(prev_hash: str, row: dict) -> str:
    payload = json.dumps([prev_hash] + [row[f] for f in _FIELDS], separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def _json(value) -> str | None:
    return None if value is None else json.dumps(value, sort_keys=True, default=str)


def append(
    db: Database,
    *,
    at: str,
    actor: str,
    action: str,
    entity: str,
    entity_id=None,
    before: dict | None = None,
    after: dict | None = None,
) -> None:
    """Append one audit row chained to the last; call inside the action's write transaction.
    On PostgreSQL an advisory lock makes appends take turns, whoever writes (a writer that
    bypassed the book's write lock too): each must read the head the previous one wrote."""
    if is_postgresql(db):
        from arctui.store.postgresql.transactions import lock_audit

        lock_audit(db)
    last = db.execute("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    row = {
        "at": at,
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": None if entity_id is None else str(entity_id),
        "before": _json(before),
        "after": _json(after),
    }
    prev_hash = last[0] if last else GENESIS
    db.execute(
        "INSERT INTO audit (at, actor, action, entity, entity_id, before, after, prev_hash, hash)"
        " VALUES (:at, :actor, :action, :entity, :entity_id, :before, :after, :prev, :hash)",
        {**row, "prev": prev_hash, "hash": _digest(prev_hash, row)},
    )


def verify(db: Database) -> tuple[int, int | None, str | None]:
    """Walk the chain: (rows checked, id of the first bad row or None, what is wrong)."""
    prev_hash = GENESIS
    checked = 0
    cursor = db.execute(f"SELECT id, {', '.join(_FIELDS)}, prev_hash, hash FROM audit ORDER BY id")
    for values in cursor:
        row = dict(zip(("id",) + _FIELDS + ("prev_hash", "hash"), values))
        if row["prev_hash"] != prev_hash:
            return checked, row["id"], "does not follow the row before it (a row was removed or reordered)"
        if _digest(prev_hash, row) != row["hash"]:
            return checked, row["id"], "its content does not match its hash (the row was changed)"
        prev_hash = row["hash"]
        checked += 1
    return checked, None, None


ANCHOR = re.compile(r"rows (\d+) head ([0-9a-f]{64})")


def head(db: Database) -> tuple[int, str]:
    """(rows in the trail, hash of the last row; GENESIS when empty): what an anchor keeps."""
    rows = db.execute("SELECT count(*) FROM audit").fetchone()[0]
    last = db.execute("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    return rows, last[0] if last else GENESIS


def anchor_line(rows: int, head_hash: str) -> str:
    """The anchor as one line of text: ``rows 1234 head <sha256>``."""
    return f"rows {rows} head {head_hash}"


def check_anchor(db: Database, rows: int | None, head_hash: str) -> str | None:
    """What is wrong with the trail against an anchor taken earlier (None: nothing). The
    anchored row is the ``rows``-th in order and must still carry ``head_hash``; with
    ``rows`` None (a bare hash) some row must carry it."""
    if rows is None:
        if head_hash == GENESIS or db.execute("SELECT 1 FROM audit WHERE hash = ?", [head_hash]).fetchone():
            return None
        return f"no audit row has the anchored hash {head_hash[:16]}: the anchored row was removed or changed"
    if rows == 0:
        return None
    row = db.execute("SELECT id, hash FROM audit ORDER BY id LIMIT 1 OFFSET ?", [rows - 1]).fetchone()
    if row is None:
        now = db.execute("SELECT count(*) FROM audit").fetchone()[0]
        return f"audit row {rows} is gone: the anchor counted {rows} rows, the trail now has {now} (rows were deleted)"
    if row[1] != head_hash:
        return (
            f"audit row {row[0]} was changed or replaced since the anchor"
            f" (its hash is {row[1][:16]}, the anchor's {head_hash[:16]})"
        )
    return None
