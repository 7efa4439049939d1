"""The team: collectors, their roles and portfolios, and cash targets."""

import os

from sqlite_utils import Database

from arctui.store.read import first, rows, value
from arctui.store.read.book import path_of


def collector(db: Database, collector_id: str) -> dict | None:
    """The collector's row, or None."""
    return first(db, "SELECT * FROM collectors WHERE id = ?", [collector_id])


def active_collectors(db: Database) -> list[dict]:
    """Active collectors by name: id, name."""
    return rows(db, "SELECT id, name FROM collectors WHERE active <> 0 ORDER BY name")


def leads(db: Database) -> set[str]:
    """Logins of the active leads and managers."""
    return {r["id"] for r in rows(db, "SELECT id FROM collectors WHERE role IN ('lead', 'manager') AND active <> 0")}


def founder_uid(db: Database) -> int:
    """The Unix uid owning the database file: with root, the one who may start its team
    (``arctui init --manager``)."""
    return os.stat(path_of(db)).st_uid


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
