"""The append-only audit trail and its SHA-256 hash chain.

Triggers refuse UPDATE and DELETE; the chain makes any edit made behind the triggers' back
(a dropped trigger, a hex editor) visible to ``verify``.
"""

import hashlib
import json

from sqlite_utils import Database

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
    """Append one audit row chained to the last; call inside the action's write transaction."""
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
