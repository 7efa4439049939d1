"""Who the book's server says is connected, and whom it lets that login write as."""

from sqlite_utils import Database

from arctui.store.postgresql import is_postgresql
from arctui.store.read import value

COLLECTORS_GROUP = "arctui_collectors"  # the group role store/postgresql/roles.sql makes


def server_login(db: Database) -> str | None:
    """The role a PostgreSQL server authenticated (``session_user``: ``SET ROLE`` does not change
    it); None for a SQLite file, where the login of the process's real uid acts."""
    return value(db, "SELECT session_user") if is_postgresql(db) else None


def held_to_own_name(db: Database, login: str) -> bool:
    """Whether the server itself refuses audit rows in anyone's name but ``login``'s: on PostgreSQL
    a role in the collectors' group, a collector or not (a robot's); never on a SQLite file."""
    if not is_postgresql(db):
        return False
    return bool(
        value(
            db,
            "SELECT count(*) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
            " JOIN pg_roles u ON u.oid = m.member WHERE g.rolname = ? AND u.rolname = ?",
            [COLLECTORS_GROUP, login],
        )
    )
