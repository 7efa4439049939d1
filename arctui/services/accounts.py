"""Account-level actions: credit hold and release, escalation, assignment, targets, collectors."""

import os
import re

from arctui.domain.authority import LIMIT_KINDS, AuthorityError
from arctui.domain.statuses import ESCALATION_KINDS, RECOMMENDED_ESCALATIONS
from arctui.services.accounts_common import log_event, require_lead
from arctui.services.context import Context
from arctui.services.errors import InvalidInput
from arctui.services.escalations import recommend_escalation
from arctui.services.records import Action, action
from arctui.services.validate import choice, optional, required
from arctui.store.read import team

_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$")


def credit_hold(ctx: Context, customer_id: int, version: int, note: str = "") -> None:
    """Stop new orders shipping on credit to this account; ``note`` says why (required)."""
    _set_status(ctx, "account.credit_hold", customer_id, version, "credit_hold", note, allowed_from=("active",))


def release_hold(ctx: Context, customer_id: int, version: int, note: str = "") -> None:
    """Let orders ship on credit again; ``note`` says why (required)."""
    _set_status(ctx, "account.release", customer_id, version, "active", note, allowed_from=("credit_hold",))


def escalate(ctx: Context, customer_id: int, kind: str, note: str = "", version: int | None = None) -> int | None:
    """Escalate to management or sales (an account event, at once), or recommend suspension,
    outside collections or legal (``escalations.recommend_escalation``: a lead or manager
    decides; returns the recommendation's id). ``version`` is the account's as the collector
    loaded it (required)."""
    choice("escalation", kind, ESCALATION_KINDS)
    note = required("note", note)
    if kind in RECOMMENDED_ESCALATIONS:
        return recommend_escalation(ctx, customer_id, kind, note, version)
    with action(ctx, f"account.escalate.{kind}", "customers", customer_id) as act:
        customer = act.get("customers", customer_id)
        act.require_version("customers", customer, version)
        log_event(act, customer_id, "escalation", kind, note)
    return None


def _set_status(
    ctx: Context, name: str, customer_id: int, version: int, status: str, note: str, allowed_from: tuple[str, ...]
) -> None:
    note = required("reason", note)
    with action(ctx, name, "customers", customer_id) as act:
        customer = act.get("customers", customer_id)
        act.require_version("customers", customer, version)  # a change since loaded is said as such first
        if customer["status"] not in allowed_from:
            raise InvalidInput("status", f"{customer['name']} is {customer['status'].replace('_', ' ')}")
        act.update("customers", customer_id, {"status": status}, version)
        log_event(act, customer_id, "credit_hold" if status == "credit_hold" else "release", status, note)


def assign_accounts(ctx: Context, customer_ids, collector_id: str) -> int:
    """Move accounts to a collector's portfolio; returns how many moved."""
    with action(ctx, "account.assign", "collectors", collector_id) as act:
        require_lead(act, "move accounts between portfolios")
        collector = act.get("collectors", collector_id)
        if not collector["active"]:
            raise InvalidInput("collector", f"{collector_id} is not active")
        moved = 0
        for customer_id in customer_ids:
            customer = act.get("customers", customer_id)
            if customer["owner"] != collector_id:
                act.update("customers", customer_id, {"owner": collector_id})
                log_event(act, customer_id, "assignment", collector_id, f"from {customer['owner']}")
                moved += 1
        return moved


def set_target(ctx: Context, period: str, cash_cents: int, collector_id: str | None = None) -> int:
    """Set the cash target of a month ('2026-11') or quarter ('2026-Q4'), for one collector or the team."""
    if not _PERIOD.match(period or ""):
        raise InvalidInput("period", f"expected YYYY-MM or YYYY-Qn, got {period!r}")
    if not isinstance(cash_cents, int) or cash_cents < 0:
        raise InvalidInput("target", f"expected a non-negative amount in cents, got {cash_cents!r}")
    with action(ctx, "target.set", "targets") as act:
        require_lead(act, "set cash targets")
        if collector_id is not None:
            act.get("collectors", collector_id)
        existing = team.target_id(act.db, period, collector_id)
        if existing is not None:
            act.entity_id = existing
            act.update("targets", existing, {"cash_cents": cash_cents})
            return existing
        return act.insert("targets", {"collector_id": collector_id, "period": period, "cash_cents": cash_cents})


def save_collector(
    ctx: Context,
    collector_id: str,
    name: str,
    email: str | None = None,
    role: str = "collector",
    memo_limit_cents: int = 0,
    cadence_days: int = 14,
    version: int | None = None,
) -> None:
    """Add a collector or change one (name, role, authority limit, contact cadence)."""
    collector_id = required("login", collector_id)
    choice("role", role, ("collector", "lead", "manager"))
    if not isinstance(memo_limit_cents, int) or memo_limit_cents < 0:
        raise InvalidInput("memo limit", "expected a non-negative amount in cents")
    if not isinstance(cadence_days, int) or cadence_days <= 0:
        raise InvalidInput("cadence", "expected a number of days above zero")
    values = {
        "name": required("name", name),
        "email": optional("email", email),
        "role": role,
        "memo_limit_cents": memo_limit_cents,
        "cadence_days": cadence_days,
    }
    with action(ctx, "collector.save", "collectors", collector_id) as act:
        current = team.collector(act.db, collector_id)
        _check_may_save_collector(act, collector_id, current, values)
        if current:
            act.update("collectors", collector_id, values, version)
        else:
            act.insert("collectors", {"id": collector_id, **values})


def set_authority_limit(ctx: Context, collector_id: str, kind: str, limit_cents: int | None) -> None:
    """Give ``collector_id`` a limit of its own for ``kind`` (``LIMIT_KINDS``: credit memos,
    write-offs, credit-limit raises, refunds); None removes it, so the general limit applies
    again. A lead's or manager's to set, never on themselves."""
    choice("kind", kind, tuple(LIMIT_KINDS))
    if limit_cents is not None and (
        not isinstance(limit_cents, int) or isinstance(limit_cents, bool) or limit_cents < 0
    ):
        raise InvalidInput("limit", "expected a non-negative amount in cents")
    with action(ctx, "collector.limit", "collectors", collector_id) as act:
        require_lead(act, "set authority limits")
        if act.ctx.user == collector_id:
            raise AuthorityError(f"{collector_id}: nobody changes their own authority limit or role")
        if team.collector(act.db, collector_id) is None:
            raise InvalidInput("login", f"{collector_id} is not in the team")
        current = team.own_limit(act.db, collector_id, kind)
        if limit_cents is None:
            if current is not None:
                act.delete("authority_limits", current["id"])
        elif current is None:
            act.insert("authority_limits", {"collector_id": collector_id, "kind": kind, "limit_cents": limit_cents})
        else:
            act.update("authority_limits", current["id"], {"limit_cents": limit_cents})


def _check_may_save_collector(act: Action, collector_id: str, current: dict | None, values: dict) -> None:
    """Leads and managers keep the team's records; nobody sets their own limit or role, and
    nobody enters themselves: the first manager is made by ``arctui init --manager``."""
    user = act.ctx.user
    if user != collector_id:
        require_lead(act, "add or change collectors")
        return
    if current is None:
        raise AuthorityError(
            f"{user} is not in the team: a lead or manager adds you"
            " (a team with none yet: the database file's owner runs `arctui init --manager LOGIN`)"
        )
    if not current["active"]:
        raise AuthorityError(f"{user} is no longer an active collector: a lead or manager changes your record")
    if (current["memo_limit_cents"], current["role"]) != (values["memo_limit_cents"], values["role"]):
        raise AuthorityError(f"{user}: nobody changes their own authority limit or role")


def init_manager(
    ctx: Context,
    login: str,
    name: str | None = None,
    email: str | None = None,
    memo_limit_cents: int | None = None,
    uid: int | None = None,
) -> bool:
    """Start a team: make ``login`` its first manager (added, or promoted and made active),
    with one audit row. Only for the database file's owner or root (``uid``: the caller's real
    uid, by default this process's; on PostgreSQL the database's owner role or a superuser),
    and only while the team has no active lead or manager; from then on they keep the team
    (``save_collector``). ``memo_limit_cents`` None keeps a known login's limit (0 for a new
    one). Returns True when ``login`` is new."""
    login = required("login", login)
    if memo_limit_cents is not None and (not isinstance(memo_limit_cents, int) or memo_limit_cents < 0):
        raise InvalidInput("memo limit", "expected a non-negative amount in cents")
    allowed, owner = team.team_founder(ctx.db, os.getuid() if uid is None else uid)
    if not allowed:
        raise AuthorityError(f"{ctx.user} does not own the {owner} starts the team")
    with action(ctx, "collector.init", "collectors", login) as act:
        leads = team.leads(act.db)
        if leads:
            raise AuthorityError(
                f"the team already has a lead or manager ({', '.join(sorted(leads))}):"
                " they add and change collectors with `arctui team save`"
            )
        current = team.collector(act.db, login)
        values = {"role": "manager", "active": 1}
        for key, value in (
            ("name", optional("name", name)),
            ("email", optional("email", email)),
            ("memo_limit_cents", memo_limit_cents),
        ):
            if value is not None:
                values[key] = value
        if current:
            act.update("collectors", login, values)
            return False
        act.insert("collectors", {"id": login, "name": login, "memo_limit_cents": 0, **values})
        return True
