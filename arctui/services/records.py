"""The shape every service write takes: one transaction, one audit row per action.

``with action(ctx, "promise.record", "customers", customer_id) as act:`` opens a write
transaction (``store.writing.write``); ``act.insert`` / ``act.update`` change rows and collect what
changed; on success one audit row records the whole action (before/after of every row it
touched), so the audit trail holds exactly one entry per collector action.
"""

from contextlib import contextmanager

from sqlite_utils import Database

from arctui.services.context import Context
from arctui.services.errors import InvalidInput, NotFound, StaleEdit
from arctui.store import audit
from arctui.store.connection import write
from arctui.store.read import first

ENTITY_NAMES = {
    "customers": "customer",
    "contacts": "contact",
    "invoices": "invoice",
    "payments": "payment",
    "credit_memos": "credit memo",
    "promises": "promise",
    "disputes": "dispute",
    "payment_plans": "payment plan",
    "collectors": "collector",
    "authority_limits": "authority limit",
    "targets": "target",
    "touchpoints": "touchpoint",
    "email_outbox": "email",
    "payment_applications": "application",
    "account_events": "account event",
    "plan_instalments": "instalment",
    "chart_codes": "code",
    "credit_limit_changes": "credit-limit change",
    "escalations": "escalation",
    "dispute_notes": "dispute note",
    "agency_recoveries": "agency recovery",
    "dunning_pauses": "reminder pause",
    "refund_requests": "refund request",
}


# ``Action.update`` without an expected version: the service's own bookkeeping on rows
# nobody loaded (an invoice's open balance, a promise settled), never a person's edit
UNCHECKED = object()


def entity_name(table: str) -> str:
    return ENTITY_NAMES.get(table, table)


def get(db: Database, table: str, row_id) -> dict:
    """The row of ``table`` with ``row_id``; NotFound naming the entity when there is none."""
    row = first(db, f"SELECT * FROM [{table}] WHERE id = ?", [row_id])
    if row is None:
        raise NotFound(f"{entity_name(table)} {row_id} not found")
    return row


class Action:
    """The rows one collector action changes, gathered for its single audit row."""

    def __init__(self, ctx: Context, entity: str, entity_id):
        self.ctx = ctx
        self.db = ctx.db
        self.entity = entity
        self.entity_id = entity_id
        self.before: dict[str, dict] = {}
        self.after: dict[str, dict] = {}

    def get(self, table: str, row_id) -> dict:
        return get(self.db, table, row_id)

    def insert(self, table: str, values: dict) -> int:
        if "version" in self.db.table(table).columns_dict:
            values = {**values, "updated_by": self.ctx.user, "updated_at": self.ctx.now()}
        columns = ", ".join(f"[{k}]" for k in values)
        params = ", ".join(f":{k}" for k in values)
        row_id = self.db.execute(f"INSERT INTO [{table}] ({columns}) VALUES ({params})", values).lastrowid
        row_id = values.get("id", row_id)  # a row keyed by text (a collector's login) is audited by it
        if self.entity_id is None and table == self.entity:
            self.entity_id = row_id
        self.after[f"{table}/{row_id}"] = values
        return row_id

    def delete(self, table: str, row_id, why: dict | None = None) -> dict:
        """Remove one row; the audit keeps all of it (and ``why``, if given)."""
        row = self.get(table, row_id)
        self.db.execute(f"DELETE FROM [{table}] WHERE id = ?", [row_id])
        self.before[f"{table}/{row_id}"] = row
        self.after[f"{table}/{row_id}"] = why
        return row

    def require_version(self, table: str, row: dict, expected_version: int | None) -> None:
        """Refuse (StaleEdit) when the row is no longer the version the caller loaded; a
        caller that names no version (None) is refused too (InvalidInput): an edit of a
        record someone loaded always says which version they saw, so none skips this check."""
        if expected_version is None:
            raise InvalidInput(
                "version",
                f"saving {entity_name(table)} {row['id']} needs the version you loaded"
                f" (now version {row['version']}); reload it and try again",
            )
        if row["version"] != expected_version:
            raise StaleEdit(
                f"{entity_name(table)} {row['id']} was changed by {row['updated_by']} at "
                f"{row['updated_at']} (now version {row['version']}, you edited version "
                f"{expected_version}); reload and try again"
            )

    def pending_approval(self, table: str, row_id, version: int) -> dict:
        """The row as loaded at ``version``, refused unless it still waits for a decision."""
        row = self.get(table, row_id)
        self.require_version(table, row, version)
        if row["status"] != "pending_approval":
            raise InvalidInput(entity_name(table), f"{row_id} is {row['status']}, not pending approval")
        return row

    def decide(self, table: str, row: dict, status: str, note: str | None) -> None:
        """Record the decision on a row ``pending_approval`` returned: by whom, when, the note."""
        decision = {
            "status": status,
            "decided_by": self.ctx.user,
            "decided_at": self.ctx.now(),
            "decision_note": note or None,
        }
        self.update(table, row["id"], decision, row["version"])

    def update(self, table: str, row_id, changes: dict, expected_version=UNCHECKED) -> dict:
        """Change one row and bump its version. ``expected_version`` is the version of the row
        a person loaded: a row someone else saved since is refused (StaleEdit), never
        overwritten, and None is refused (see ``require_version``). Left out, the update is the
        service's own bookkeeping and checks no version."""
        current = self.get(table, row_id)
        versioned = "version" in current
        if expected_version is not UNCHECKED:
            self.require_version(table, current, expected_version)
        changed = {k: v for k, v in changes.items() if current.get(k) != v}
        if not changed and expected_version is UNCHECKED:
            return current  # a save of a loaded record is a new version even if only children changed
        stamped = {**changed, "updated_by": self.ctx.user, "updated_at": self.ctx.now()} if versioned else changed
        sets = ", ".join(f"[{k}] = :{k}" for k in stamped) + (", version = version + 1" if versioned else "")
        self.db.execute(f"UPDATE [{table}] SET {sets} WHERE id = :_id", {**stamped, "_id": row_id})
        key = f"{table}/{row_id}"
        self.before.setdefault(key, {k: current[k] for k in changed})
        self.after.setdefault(key, {}).update(changed)
        return {**current, **stamped, "version": current["version"] + 1} if versioned else {**current, **stamped}


@contextmanager
def action(ctx: Context, name: str, entity: str, entity_id=None):
    """Run one collector action: a write transaction ending in one audit row (if anything changed)."""
    with write(ctx.db):
        act = Action(ctx, entity, entity_id)
        yield act
        if act.before or act.after:
            audit.append(
                ctx.db,
                at=ctx.now(),
                actor=ctx.user,
                action=name,
                entity=entity,
                entity_id=act.entity_id,
                before=act.before or None,
                after=act.after,
            )
