"""A book setting (``book_settings``): a manager's decision, written with its audit row."""

from arctui.domain.authority import AuthorityError
from arctui.services.context import Context
from arctui.services.records import action
from arctui.store.read import rates, team


def set_book_setting(ctx: Context, audit_action: str, key: str, value: str, what: str) -> None:
    """Make ``value`` the book's setting ``key`` as one audited action (``audit_action``);
    only an active manager may set ``what`` (the setting in words, for the refusal). Setting
    the value it has writes nothing."""
    with action(ctx, audit_action, "book_settings", key) as act:
        who = team.collector(act.db, ctx.user)
        if who is None or not who["active"] or who["role"] != "manager":
            raise AuthorityError(f"{ctx.user} is not a manager: only a manager sets {what}")
        before = rates.book_setting(act.db, key)
        if before == value:
            return
        act.db.execute(
            "INSERT INTO book_settings (key, value, updated_by, updated_at) VALUES (:key, :value, :by, :at)"
            " ON CONFLICT (key) DO UPDATE SET value = :value, updated_by = :by, updated_at = :at",
            {"key": key, "value": value, "by": ctx.user, "at": ctx.now()},
        )
        act.before[f"book_settings/{key}"] = {"value": before}
        act.after[f"book_settings/{key}"] = {"value": value}
