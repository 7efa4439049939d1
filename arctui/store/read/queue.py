"""The queue's reads: the ranked accounts straight off the kept ``account_facts`` (schema 17:
its score, owner and sort keys are indexed, so the top ``:limit`` are the first index rows),
or, where the kept facts cannot be brought to the day (a read-only book), ranked from
scratch with the same rule table; and what tells whether the kept scores are the day's.
"""

from sqlite_utils import Database

from arctui.domain.score import score_sql
from arctui.store.read import rows, value
from arctui.store.read.accounts import account_facts_sql, owned_by

_RANKED = "score DESC, past_due_cents DESC, name"


def ranked_queue_sql(collector: bool) -> str:
    """The first ``:limit`` (-1: all) queued accounts of ``:collector`` (or the team) from
    ``account_facts``, which must hold the day's facts and units: ``account_facts_sql``'s
    columns, the kept score and the unit it took. The kept table drives the join (CROSS
    JOIN), so the ORDER BY ... LIMIT is read off its queue index."""
    return f"""
SELECT c.id, c.account_no, c.region, c.status, c.currency, f.*
FROM account_facts f CROSS JOIN customers c ON c.id = f.customer_id
WHERE {owned_by("f", collector)} AND f.score IS NOT NULL
ORDER BY f.{_RANKED.replace(", ", ", f.")}, f.customer_id LIMIT :limit"""


def ranked_queue(db: Database, collector: str | None, limit: int | None) -> list[dict]:
    """``ranked_queue_sql``'s rows for ``collector`` (None: the whole team), the first ``limit``."""
    params = {"collector": collector, "limit": -1 if limit is None else limit}
    return rows(db, ranked_queue_sql(collector is not None), params)


def ranked_from_scratch_sql(collector: bool, units: dict[str, float]) -> str:
    """``ranked_queue_sql``'s rows computed from the ledger for ``:today`` (the facts query
    ``account_facts_sql``, scored with ``domain.score.score_sql``) without reading or
    writing ``account_facts``; ``units``: every account currency's unit (``facts.day_units``).
    The facts are materialised once: the score reads each of them several times."""
    whens = " ".join(f"WHEN '{code}' THEN {float(u)!r}" for code, u in sorted(units.items()))
    unit = f"CASE f.currency {whens} END" if units else "NULL"  # no accounts, no units
    return f"""
WITH f AS MATERIALIZED ({account_facts_sql(collector)}),
queued AS (
  SELECT f.*, [1-30] + [31-60] + [61-90] + [90+] AS past_due_cents,
    CAST(julianday(:today) - julianday(substr(f.last_contact, 1, 10)) AS INTEGER) AS days_since_contact,
    {unit} AS unit
  FROM f)
SELECT *, {score_sql()} AS score FROM queued ORDER BY {_RANKED}, id LIMIT :limit"""


def ranked_from_scratch(
    db: Database, today: str, collector: str | None, limit: int | None, units: dict[str, float]
) -> list[dict]:
    """``ranked_from_scratch_sql``'s rows for ``collector`` (None: the team) on ``today`` (ISO)."""
    params = {"today": today, "collector": collector, "limit": -1 if limit is None else limit}
    return rows(db, ranked_from_scratch_sql(collector is not None, units), params)


def kept_units(db: Database) -> dict[str, float]:
    """The units the kept scores were computed with (``account_facts_units``)."""
    return {r["currency"]: r["unit"] for r in rows(db, "SELECT currency, unit FROM account_facts_units")}


def scored_day(db: Database) -> str | None:
    """The day (ISO) ``account_facts`` holds the facts of, if every kept account has its unit;
    None while none are kept or one has no unit yet (its currency came after the day's units).
    One statement: each read of the queue or the KPIs asks it first."""
    return value(
        db,
        "SELECT day FROM account_facts_state WHERE NOT EXISTS (SELECT 1 FROM account_facts WHERE unit IS NULL)",
    )


def account_currencies(db: Database) -> list[str]:
    """Every currency an account is billed in."""
    return [r["currency"] for r in rows(db, "SELECT DISTINCT currency FROM customers ORDER BY currency")]
