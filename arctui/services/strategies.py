"""Collection strategies kept in the book: which dunning ladder an account climbs, loaded from
a TOML file by a lead or manager (``set_strategies``), and a collector's pause of an
account's reminders (``pause_dunning``, ``resume_dunning``).

A strategy file lists strategies in the order they are matched; the first whose segment
matches an account is its strategy, and the last matches every account (it names no
segment)::

    [[strategy]]
    name = "large-emea"
    regions = ["EMEA"]            # any of these regions (exact text); left out: any
    risk_classes = ["high"]       # any of these risk classes; left out: any
    min_open = 10000              # open balance from 10,000 of the account's currency...
    max_open = 1000000            # ...up to (not including) 1,000,000; either left out: no bound
    step_gap_days = 7             # at most one step per 7 days (default 7)
    quiet_days = 3                # none within 3 days of a contact (default 3)
    steps = [
      { days = 1, channel = "email", template = "first_reminder" },
      { days = 20, channel = "call", template = "second_reminder" },
      { days = 60, channel = "letter", template = "final_notice" },
    ]

Until a person sets strategies, the book holds the default strategy (schema 8: today's
ladder), and a runner's ``[dunning]`` settings, where it has them, still shape it.
"""

import json
import tomllib
from dataclasses import fields
from datetime import date
from pathlib import Path

from arctui.config import Settings
from arctui.domain.authority import AuthorityError
from arctui.domain.dunning import CHANNELS, Policy, PolicyError, Segment, Step, Strategy
from arctui.services import validate
from arctui.services.accounts import require_lead
from arctui.services.context import Context
from arctui.services.errors import InvalidInput
from arctui.services.records import action
from arctui.services.templates import TemplateError, Templates
from arctui.store.read import dunning as read
from arctui.store.read.team import leads

STRATEGY_KEYS = ("name", "regions", "risk_classes", "min_open", "max_open", "step_gap_days", "quiet_days", "steps")
STEP_KEYS = ("days", "channel", "template")


def policy_from_settings(settings: Settings) -> Policy | None:
    """The runner's ``[dunning]`` settings over the default ladder; None when it has none."""
    numbers = settings.section("dunning")
    if not numbers:
        return None
    known = [f.name for f in fields(Policy)]
    unknown = sorted(set(numbers) - set(known))
    if unknown:
        raise InvalidInput(
            "dunning", f"{settings.where}: [dunning] has no setting {', '.join(unknown)} (known: {', '.join(known)})"
        )
    try:
        return Policy(**numbers).check()
    except PolicyError as exc:
        raise InvalidInput("dunning", f"{settings.where}: [dunning] {exc}") from None


def book_strategies(db, settings: Settings) -> list[Strategy]:
    """The book's strategies in matching order; while nobody has set any, the default one is
    the runner's ``[dunning]`` ladder where its settings have one."""
    if not read.strategies_set_by_a_person(db):
        policy = policy_from_settings(settings)
        if policy is not None:
            return [policy.strategy()]
    return [strategy_from_row(row) for row in read.strategies(db)]


def strategy_from_row(row: dict) -> Strategy:
    segment = Segment(
        tuple(json.loads(row["regions"] or "[]")),
        tuple(json.loads(row["risk_classes"] or "[]")),
        row["min_open"],
        row["max_open"],
    )
    steps = tuple(Step(s["days"], s["channel"], s["template"]) for s in json.loads(row["steps"]))
    return Strategy(row["name"], steps, segment, row["step_gap_days"], row["quiet_days"])


def read_strategy_file(path: Path, templates: Templates) -> list[Strategy]:
    """The strategies of a TOML file, checked: InvalidInput naming the file, the strategy and
    the field when one makes no ladder, names a template there is none of, or leaves accounts
    without a strategy."""
    try:
        document = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput("file", f"{path}: cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput("file", f"{path}: not TOML: {exc}") from None
    unknown = sorted(set(document) - {"strategy"})
    tables = document.get("strategy")
    if unknown or not isinstance(tables, list) or not tables:
        raise InvalidInput("file", f"{path}: expected [[strategy]] tables and nothing else")
    strategies = [_strategy(path, number, table, templates) for number, table in enumerate(tables, start=1)]
    names = [s.name for s in strategies]
    for name in names:
        if names.count(name) > 1:
            raise InvalidInput("name", f"{path}: two strategies are named {name}")
    for strategy in strategies[:-1]:
        if strategy.segment == Segment():
            raise InvalidInput("segment", f"{path}: strategy {strategy.name} matches every account, so it must be last")
    if strategies[-1].segment != Segment():
        raise InvalidInput(
            "segment", f"{path}: the last strategy ({strategies[-1].name}) must match every account (name no segment)"
        )
    return strategies


def _strategy(path: Path, number: int, table, templates: Templates) -> Strategy:
    where = f"{path}: strategy {number}"
    if not isinstance(table, dict):
        raise InvalidInput("strategy", f"{where}: expected a table")
    if isinstance(table.get("name"), str):
        where = f"{path}: strategy {table['name']}"
    unknown = sorted(set(table) - set(STRATEGY_KEYS))
    if unknown:
        raise InvalidInput(unknown[0], f"{where}: no such setting (known: {', '.join(STRATEGY_KEYS)})")
    try:
        name = validate.required("name", table.get("name"))
    except InvalidInput as exc:
        raise InvalidInput("name", f"{where}: {exc}") from None
    segment = Segment(
        _texts(where, table, "regions"),
        _texts(where, table, "risk_classes"),
        _whole(where, table, "min_open"),
        _whole(where, table, "max_open"),
    )
    steps = table.get("steps")
    if not isinstance(steps, list) or not all(isinstance(s, dict) for s in steps):
        raise InvalidInput("steps", f"{where}: expected steps = [{{ days = N, channel = C, template = T }}, ...]")
    strategy = Strategy(
        name,
        tuple(_step(where, n, s) for n, s in enumerate(steps, start=1)),
        segment,
        table.get("step_gap_days", 7),
        table.get("quiet_days", 3),
    )
    try:
        strategy.check()
    except PolicyError as exc:
        raise InvalidInput("steps", f"{where}: {exc}") from None
    for step in strategy.steps:
        try:
            templates.source_file(step.template)
        except TemplateError as exc:
            raise InvalidInput("template", f"{where}: {exc}") from None
    return strategy


def _step(where: str, number: int, table: dict) -> Step:
    unknown = sorted(set(table) - set(STEP_KEYS))
    missing = [key for key in STEP_KEYS if key not in table]
    if unknown or missing:
        raise InvalidInput("steps", f"{where}: step {number}: expected days, channel and template, nothing else")
    if table["channel"] not in CHANNELS:
        raise InvalidInput("channel", f"{where}: step {number}: expected one of {', '.join(CHANNELS)}")
    return Step(table["days"], table["channel"], str(table["template"]))


def _texts(where: str, table: dict, key: str) -> tuple[str, ...]:
    given = table.get(key, [])
    if not isinstance(given, list) or not all(isinstance(v, str) and v.strip() for v in given):
        raise InvalidInput(key, f"{where}: expected a list of names, got {given!r}")
    return tuple(v.strip() for v in given)


def _whole(where: str, table: dict, key: str) -> int | None:
    given = table.get(key)
    if given is not None and (not isinstance(given, int) or isinstance(given, bool) or given < 0):
        raise InvalidInput(key, f"{where}: expected a whole amount of the account's currency, got {given!r}")
    return given


def set_strategies(ctx: Context, strategies: list[Strategy]) -> None:
    """Replace the book's strategies with ``strategies`` (checked by ``read_strategy_file``),
    in their order: a lead's or manager's action, one audit row."""
    with action(ctx, "strategy.set", "strategies") as act:
        require_lead(act, "set collection strategies")
        for row in read.strategies(ctx.db):
            act.delete("strategies", row["id"])
        for position, strategy in enumerate(strategies, start=1):
            act.insert("strategies", {"position": position, **_row(strategy)})


def _row(strategy: Strategy) -> dict:
    segment = strategy.segment
    return {
        "name": strategy.name,
        "regions": json.dumps(list(segment.regions)) if segment.regions else None,
        "risk_classes": json.dumps(list(segment.risk_classes)) if segment.risk_classes else None,
        "min_open": segment.min_open,
        "max_open": segment.max_open,
        "step_gap_days": strategy.step_gap_days,
        "quiet_days": strategy.quiet_days,
        "steps": json.dumps([{"days": s.days, "channel": s.channel, "template": s.template} for s in strategy.steps]),
    }


def pause_dunning(ctx: Context, customer_id: int, until: date, reason: str) -> int:
    """No reminders to the account until ``until`` (inclusive), for ``reason``: its owner's,
    a lead's or a manager's action. A pause in force ends: the new one replaces it."""
    reason = validate.required("reason", reason)
    if until < ctx.today():
        raise InvalidInput("until", f"{until.isoformat()} has passed (today is {ctx.today().isoformat()})")
    with action(ctx, "dunning.pause", "customers", customer_id) as act:
        _may_pause(act, customer_id)
        _end_pause(act, customer_id)
        return act.insert(
            "dunning_pauses",
            {
                "customer_id": customer_id,
                "until_date": until.isoformat(),
                "reason": reason,
                "created_at": ctx.now(),
                "created_by": ctx.user,
            },
        )


def resume_dunning(ctx: Context, customer_id: int) -> None:
    """End the account's pause in force today before its end date."""
    with action(ctx, "dunning.resume", "customers", customer_id) as act:
        _may_pause(act, customer_id)
        if not _end_pause(act, customer_id):
            raise InvalidInput("pause", f"account {act.get('customers', customer_id)['account_no']} is not paused")


def _end_pause(act, customer_id: int) -> bool:
    """End the account's pause in force today, if there is one (True)."""
    pause = read.pause_in_force(act.db, customer_id, act.ctx.today())
    if pause is not None:
        act.update("dunning_pauses", pause["id"], {"ended_at": act.ctx.now(), "ended_by": act.ctx.user})
    return pause is not None


def _may_pause(act, customer_id: int) -> None:
    account = act.get("customers", customer_id)
    if act.ctx.user != account["owner"] and act.ctx.user not in leads(act.db):
        raise AuthorityError(
            f"{act.ctx.user} may not pause account {account['account_no']}'s reminders:"
            f" its collector ({account['owner'] or 'none'}) or a lead or manager does"
        )
