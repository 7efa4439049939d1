"""Shared write steps of the services: fetch, insert and versioned update, each audited."""
from sqlite_utils import Database

from arctui.store import audit
from arctui.services.context import Context
from arctui.services.errors import NotFound, StaleEdit

ENTITY_NAMES = {
    "customers": "customer", "contacts": "contact", "invoices": "invoice", "payments": "payment",
    "credit_memos": "credit memo", "promises": "promise", "disputes": "dispute",
    "payment_plans": "payment plan", "collectors": "collector", "targets": "target",
    "touchpoints": "touchpoint", "email_outbox": "email", "payment_applications": "application",
    "account_events": "account event",
}


def get(db: Database, table: str, row_id) -> dict:
    row = db.execute(f"SELECT * FROM [{table}] WHERE id = ?", [row_id]).fetchone()
    if row is None:
        raise NotFound(f"{ENTITY_NAMES.get(table, table)} {row_id} not found")
    cursor = db.execute(f"SELECT * FROM [{table}] LIMIT 0")
    return dict(zip([c[0] for c in cursor.description], row))


def record(ctx: Context, action: str, table: str, row_id, before=None, after=None) -> None:
    audit.append(ctx.db, at=ctx.now(), actor=ctx.user, action=action, entity=table,
                 entity_id=row_id, before=before, after=after)


def insert(ctx: Context, action: str, table: str, values: dict) -> int:
    """Insert one row and audit it; returns the new id."""
    columns = ", ".join(f"[{k}]" for k in values)
    params = ", ".join(f":{k}" for k in values)
    row_id = ctx.db.execute(f"INSERT INTO [{table}] ({columns}) VALUES ({params})", values).lastrowid
    record(ctx, action, table, row_id, after=values)
    return row_id


def stamp(ctx: Context) -> dict:
    return {"updated_by": ctx.user, "updated_at": ctx.now()}


def update(ctx: Context, action: str, table: str, row_id, changes: dict,
           expected_version: int | None = None) -> dict:
    """Change one row, bump its version and audit the fields that changed.

    With ``expected_version`` the change is refused (StaleEdit) when someone saved a newer
    version since the caller loaded the row; the row is never silently overwritten.
    """
    before = get(ctx.db, table, row_id)
    if expected_version is not None and before["version"] != expected_version:
        raise StaleEdit(
            f"{ENTITY_NAMES.get(table, table)} {row_id} was changed by {before['updated_by']}"
            f" at {before['updated_at']} (version {before['version']}, yours is"
            f" {expected_version}); reload and try again"
        )
    changes = {**changes, **stamp(ctx)} if "version" in before else dict(changes)
    sets = ", ".join(f"[{k}] = :{k}" for k in changes)
    if "version" in before:
        sets += ", version = version + 1"
    ctx.db.execute(f"UPDATE [{table}] SET {sets} WHERE id = :_id", {**changes, "_id": row_id})
    changed = {k: v for k, v in changes.items() if before.get(k) != v}
    record(ctx, action, table, row_id,
           before={k: before[k] for k in changed}, after=changed)
    return {**before, **changes}
