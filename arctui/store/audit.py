"""The append-only audit trail and its SHA-256 hash chains, one per actor.

Each row's ``prev_hash`` is the hash of the previous row of the same actor (schema 20; rows
written before it form the book's single chain, which every actor's chain starts from), so
collectors append side by side. Triggers refuse UPDATE and DELETE and any insert that is not a
new last row chained to its actor's head; the chains make any edit made behind the triggers'
back (a dropped trigger, a hex editor) visible to ``verify``: a row changed, removed or moved
within its chain is named. Someone who drops the triggers, removes or rewrites the last rows of
a chain and recomputes it is caught by an anchor kept outside the book: ``head`` (the rows, each
chain's last row and a digest over their hashes, taken nightly) checked later by
``check_anchor``, which checks an anchor of a book before schema 20 (one row and its hash) too.
"""

import hashlib
import json
import re
import sqlite3
from typing import NamedTuple
from urllib.parse import quote, unquote

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
    """Append one audit row chained to the last of ``actor``'s; call inside the action's write
    transaction. Two appends of one actor at once conflict on its head (on PostgreSQL the later
    is a serialization failure, retried): only one of them chains to the other's row."""
    row = {
        "at": at,
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": None if entity_id is None else str(entity_id),
        "before": _json(before),
        "after": _json(after),
    }
    prev_hash = chain_head(db, actor)
    db.execute(
        "INSERT INTO audit (at, actor, action, entity, entity_id, before, after, prev_hash, hash)"
        " VALUES (:at, :actor, :action, :entity, :entity_id, :before, :after, :prev, :hash)",
        {**row, "prev": prev_hash, "hash": _digest(prev_hash, row)},
    )


def chain_head(db: Database, actor: str) -> str:
    """The hash ``actor``'s next row chains to."""
    try:
        return db.execute(
            "SELECT coalesce((SELECT hash FROM audit_chains WHERE actor = ?), (SELECT head FROM audit_chain_start))",
            [actor],
        ).fetchone()[0]
    except sqlite3.OperationalError:  # a file before schema 20 (as a migration's test writes one): one chain
        last = db.execute("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
        return last[0] if last else GENESIS


def _start(db: Database) -> tuple[int, str]:
    """(the last row of the book's single chain, its hash): where every actor's chain starts."""
    return tuple(db.execute("SELECT after_id, head FROM audit_chain_start").fetchone())


def verify(db: Database) -> tuple[int, int | None, str | None]:
    """Walk the chains: (rows checked, id of the first bad row or None, what is wrong)."""
    after_id, start = _start(db)
    book_hash = GENESIS  # the single chain of the rows up to after_id
    heads: dict[str, str] = {}
    checked = 0
    cursor = db.execute(f"SELECT id, {', '.join(_FIELDS)}, prev_hash, hash FROM audit ORDER BY id")
    for values in cursor:
        row = dict(zip(("id",) + _FIELDS + ("prev_hash", "hash"), values))
        if row["id"] <= after_id:
            prev_hash = book_hash
        elif book_hash != start:
            return checked, row["id"], "does not follow the row before it (a row was removed or reordered)"
        else:
            prev_hash = heads.get(row["actor"], start)
        if _digest(row["prev_hash"], row) != row["hash"]:
            return checked, row["id"], "its content does not match its hash (the row was changed)"
        if row["prev_hash"] != prev_hash:
            return checked, row["id"], "does not follow the row before it (a row was removed or reordered)"
        if row["id"] <= after_id:
            book_hash = row["hash"]
        else:
            heads[row["actor"]] = row["hash"]
        checked += 1
    if not heads and book_hash != start:
        return checked, after_id, "is gone or was changed: the rows before the actors' chains end elsewhere"
    return checked, None, None


ANCHOR = re.compile(r"rows (\d+) head ([0-9a-f]{64})( chains(?: (\S+))?)?")


class Head(NamedTuple):
    """What an anchor keeps: the rows in the trail, a digest over every chain's last row and
    where the chains start, and each actor's last row id."""

    rows: int
    hash: str
    chains: dict[str, int]


def head(db: Database) -> Head:
    rows = db.execute("SELECT count(*) FROM audit").fetchone()[0]
    after_id, start = _start(db)
    last = db.execute(
        "SELECT a.actor, a.id, a.hash FROM audit a"
        " JOIN (SELECT max(id) AS id FROM audit WHERE id > ? GROUP BY actor) m ON m.id = a.id ORDER BY a.actor",
        [after_id],
    ).fetchall()
    return Head(rows, _heads_digest(after_id, start, last), {actor: row_id for actor, row_id, _ in last})


def _heads_digest(after_id: int, start: str, last: list) -> str:
    payload = json.dumps([[after_id, start]] + [list(row) for row in last], separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def anchor_line(rows: int, head_hash: str, chains: dict[str, int] | None = None) -> str:
    """The anchor as one line of text: ``rows 1234 head <sha256> chains alice=1230,bob=1234``
    (an anchor before schema 20: ``rows 1234 head <sha256 of row 1234>``)."""
    line = f"rows {rows} head {head_hash}"
    if chains is None:
        return line
    listed = ",".join(f"{quote(actor, safe='')}={row_id}" for actor, row_id in sorted(chains.items()))
    return f"{line} chains {listed}".rstrip()


def parse_chains(text: str | None) -> dict[str, int]:
    """The ``chains`` part of an anchor line."""
    pairs = (item.rpartition("=") for item in (text or "").split(",") if item)
    return {unquote(actor): int(row_id) for actor, _, row_id in pairs}


def check_anchor(db: Database, rows: int | None, head_hash: str, chains: dict[str, int] | None = None) -> str | None:
    """What is wrong with the trail against an anchor taken earlier (None: nothing). With
    ``chains``: each actor's anchored last row must still be there, in its chain, and their
    hashes give the anchored digest. Without (an anchor before schema 20): the anchored row is
    the ``rows``-th in order and must still carry ``head_hash``; with ``rows`` None (a bare
    hash) some row must carry it."""
    if chains is not None:
        return _check_chains(db, rows, head_hash, chains)
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


def _check_chains(db: Database, rows: int, head_hash: str, chains: dict[str, int]) -> str | None:
    last = []
    for actor, row_id in sorted(chains.items()):
        row = db.execute("SELECT actor, hash FROM audit WHERE id = ?", [row_id]).fetchone()
        if row is None or row[0] != actor:
            return f"audit row {row_id}, the last of {actor}'s chain when anchored, is gone (rows were deleted)"
        last.append((actor, row_id, row[1]))
    now = db.execute("SELECT count(*) FROM audit").fetchone()[0]
    if now < rows:
        return f"the anchor counted {rows} audit rows, the trail now has {now} (rows were deleted)"
    found = _heads_digest(*_start(db), last)
    if found != head_hash:
        return (
            f"a chain's last row when anchored was changed or replaced since the anchor"
            f" (the digest of the chains' heads is {found[:16]}, the anchor's {head_hash[:16]})"
        )
    return None
