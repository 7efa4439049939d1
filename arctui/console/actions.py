"""The collector's actions (the forms' ``ACTIONS``) as key bindings of the account screens.

Each action is a modal form ``FormClass(ctx, customer_id)`` that calls its service and
dismisses with True on save. A form package that is missing or fails to import leaves the
console usable without actions: ``LOAD_PROBLEM`` says why, and the app shows it once.
"""

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class AccountAction:
    key: str
    label: str
    form: type


def _load() -> tuple[tuple[AccountAction, ...], str | None]:
    try:
        from arctui.console.forms import ACTIONS as FORMS
    except Exception as exc:  # a form's own bug must not keep the console from opening
        return (), f"actions unavailable: {exc}"
    return tuple(AccountAction(key, label, form) for key, label, form in FORMS), None


ACTIONS, LOAD_PROBLEM = _load()


def action_bindings(reserved: set[str]) -> list[Binding]:
    """One binding per action whose key the screen does not use for navigation."""
    return [
        Binding(act.key, f"act({index})", act.label) for index, act in enumerate(ACTIONS) if act.key not in reserved
    ]


def unbound(reserved: set[str]) -> list[str]:
    """What to tell the collector about actions a screen's own keys leave without a key."""
    return [f"action {act.label!r}: key {act.key} is taken; use ctrl+p" for act in ACTIONS if act.key in reserved]
