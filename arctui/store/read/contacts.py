"""An account's people as the contact service keeps them: who is primary, who is retired."""

from sqlite_utils import Database

from arctui.store.read import first, rows

ACTIVE = "retired_at IS NULL"
"""A contact still offered (for email, for a call's contact); a retired one stays for its history."""


def primary_contact(db: Database, customer_id: int) -> dict | None:
    """The account's primary contact, if it has one (schema 6 allows at most one)."""
    return first(db, "SELECT * FROM contacts WHERE customer_id = ? AND is_primary <> 0", [customer_id])


def active_contacts(db: Database, customer_id: int) -> list[dict]:
    """The account's contacts not retired, the primary first."""
    return rows(
        db,
        f"SELECT * FROM contacts WHERE customer_id = ? AND {ACTIVE} ORDER BY is_primary DESC, name, id",
        [customer_id],
    )


def primary_contact_keys(db: Database) -> list[dict]:
    """customer_id, name and email of every account's primary contact (what an import checks against)."""
    return rows(db, "SELECT customer_id, name, email FROM contacts WHERE is_primary <> 0")
