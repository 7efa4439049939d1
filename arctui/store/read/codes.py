"""The chart of reason and GL codes kept in the book (``chart_codes``)."""

from sqlite_utils import Database

from arctui.store.read import first, rows, value

KINDS = {"reason": "reason code", "gl": "GL code"}


def chart(db: Database, include_retired: bool = False) -> list[dict]:
    """The chart's codes, reason codes first, each by code: id, kind, code, label, retired_at, version."""
    where = "" if include_retired else "WHERE retired_at IS NULL"
    return rows(db, f"SELECT * FROM chart_codes {where} ORDER BY kind = 'gl', code COLLATE NOCASE")


def has_chart(db: Database) -> bool:
    """Whether the book keeps a chart at all (any code, retired or not): a book that never had
    one codes freely; once it has one, only its active codes are taken."""
    return value(db, "SELECT EXISTS (SELECT 1 FROM chart_codes)") == 1


def code(db: Database, kind: str, code: str) -> dict | None:
    """The chart's row for ``code`` of ``kind`` (matched without regard to case), retired or not."""
    return first(db, "SELECT * FROM chart_codes WHERE kind = ? AND code = ? COLLATE NOCASE", [kind, code])
