"""How a test book gets its team's first members: set down directly, as the sample generator
writes its team and as ``arctui init --manager`` (run by the file's owner) starts a real one.
Nobody enters themselves through ``save_collector``, and only a lead or manager adds anyone
there, so a book's first lead (or its only collector, in a book with no lead) comes from here
and everyone after them is added by that lead through the service."""

from arctui.services.context import Context


def enrol(db, login: str, name: str, role: str = "collector", memo_limit_cents: int = 0, **values) -> None:
    """Collector ``login`` in the book at ``db`` (a Database), with no audit row."""
    db["collectors"].insert(
        {
            "id": login,
            "name": name,
            "role": role,
            "memo_limit_cents": memo_limit_cents,
            **values,
        }
    )


def first_lead(db, clock, login: str = "lead", name: str = "Lee Lead", **values) -> Context:
    """Enrol ``login`` as the book's first lead; a Context acting as them at ``clock``."""
    enrol(db, login, name, role=values.pop("role", "lead"), **values)
    return Context(db, login, clock)
