"""The collector's actions (the forms' ``ACTIONS``) as key bindings of the account screens.

Each action is a modal form ``FormClass(ctx, customer_id)`` that calls its service and
dismisses with True on save. A form package that is missing or fails to import leaves the
console usable without actions; the error is shown once.
"""
from dataclasses import dataclass

from textual.binding import Binding

problems: list[str] = []


@dataclass(frozen=True)
class AccountAction:
    key: str
    label: str
    form: type


def _load() -> list[AccountAction]:
    try:
        from arctui.console.forms import ACTIONS
    except Exception as exc:  # a form's own bug must not keep the console from opening
        problems.append(f"actions unavailable: {exc}")
        return []
    return [AccountAction(key, label, form) for key, label, form in ACTIONS]


ACTIONS = _load()


def action_bindings(reserved: set[str]) -> list[Binding]:
    """One binding per action whose key the screen does not use for navigation."""
    bindings = []
    for index, act in enumerate(ACTIONS):
        if act.key in reserved:
            problems.append(f"action {act.label!r}: key {act.key} is taken; use ctrl+p")
            continue
        bindings.append(Binding(act.key, f"act({index})", act.label))
    return bindings
