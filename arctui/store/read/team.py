"""The team: collectors, their roles and portfolios, and cash targets."""

import os

from sqlite_utils import Database

from arctui.store.postgresql import is_postgresql
from arctui.store.read import first, rows, value
from arctui.store.read.book import path_of


def collector(db: Database, collector_id: str) -> dict | None:
    """The collector's row, or None."""
    return first(db, "SELECT * FROM collectors WHERE id = ?", [collector_id])


def authority(db: Database, user: str, kind: str) -> dict | None:
    """id, role and ``limit_cents`` (the limit for ``kind``: its own, else the general one) of
    ``user`` when an active collector; None otherwise (only active collectors move money)."""
    return first(
        db,
        "SELECT collector_id AS id, role, limit_cents FROM collector_limits WHERE collector_id = ? AND kind = ?"
        " AND active <> 0",
        [user, kind],
    )


def own_limit(db: Database, collector_id: str, kind: str) -> dict | None:
    """The collector's own limit for ``kind`` (its authority_limits row), or None."""
    return first(db, "SELECT * FROM authority_limits WHERE collector_id = ? AND kind = ?", [collector_id, kind])


def own_limits(db: Database) -> dict[str, dict[str, int]]:
    """Limits set for one kind, by login: {login: {kind: cents}}."""
    found: dict[str, dict[str, int]] = {}
    for r in rows(db, "SELECT collector_id, kind, limit_cents FROM authority_limits ORDER BY collector_id, kind"):
        found.setdefault(r["collector_id"], {})[r["kind"]] = r["limit_cents"]
    return found


def active_collectors(db: Database) -> list[dict]:
    """Active collectors by name: id, name."""
    return rows(db, "SELECT id, name FROM collectors WHERE active <> 0 ORDER BY name")


def leads(db: Database) -> set[str]:
    """Logins of the active leads and managers."""
    return {r["id"] for r in rows(db, "SELECT id FROM collectors WHERE role IN ('lead', 'manager') AND active <> 0")}


def team_founder(db: Database, uid: int) -> tuple[bool, str]:
    """Whether the caller (``uid``: its real uid) may start the book's team (``arctui init
    --manager``), and what it must own to, in words: a file's owner or root; on PostgreSQL
    the database's owner role or a superuser, whatever the client's uid."""
    if is_postgresql(db):
        found = first(
            db,
            "SELECT pg_get_userbyid(datdba) AS owner, pg_get_userbyid(datdba) = session_user"
            " OR (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) AS allowed"
            " FROM pg_database WHERE datname = current_database()",
        )
        return found["allowed"], f"database: only its owner (role {found['owner']}) or a superuser"
    owner = os.stat(path_of(db)).st_uid
    return uid in (0, owner), f"database file: only its owner (uid {owner}) or root"


def team_listing(db: Database) -> list[dict]:
    """Every collector with role, memo limit, cadence, active flag and ``accounts`` owned."""
    return rows(
        db,
        """
        SELECT c.id, c.name, c.role, c.memo_limit_cents, c.cadence_days, c.active,
               (SELECT count(*) FROM customers WHERE owner = c.id) AS accounts
        FROM collectors c ORDER BY c.id""",
    )


def target_id(db: Database, period: str, collector_id: str | None) -> int | None:
    """The id of the cash target of ``period`` for the collector (None: the team's), if set."""
    return value(
        db,
        "SELECT id FROM targets WHERE ifnull(collector_id, '') = ifnull(?, '') AND period = ?",
        [collector_id, period],
    )
