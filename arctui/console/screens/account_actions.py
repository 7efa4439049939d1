"""What the account screens (queue, client) share: the collector's actions on one account."""

from textual.screen import Screen

from arctui.console.actions import ACTIONS

MOVE_KEYS = frozenset(
    {
        "j",
        "k",
        "g",
        "G",
        "up",
        "down",
        "home",
        "end",
        "pageup",
        "pagedown",
        "enter",
        "escape",
        "slash",
        "question_mark",
        "q",
    }
)
"""The keys every account screen keeps for moving, opening, filtering, help and leaving."""


class AccountActionsScreen(Screen):
    """A screen with a current account; ``act(i)`` opens action ``i``'s form on it."""

    TYPE_AHEAD = True
    """A key that opens a form and the keys typed after it reach the form in order."""
    NAV_KEYS: set[str] = set()
    """The keys the screen keeps for itself; an action with one of them gets no key."""

    def current_customer_id(self) -> int | None:
        raise NotImplementedError

    def reload_data(self) -> None:
        """Show the database as it is now, keeping the cursor."""
        raise NotImplementedError

    def action_act(self, index: int) -> None:
        customer_id = self.current_customer_id()
        if customer_id is None:
            self.notify("No account selected.", severity="warning")
            return
        action = ACTIONS[index]
        self.app.push_screen(action.form(self.app.ctx, customer_id), self.app.after_action)
