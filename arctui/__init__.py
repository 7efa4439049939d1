"""arctui: a keyboard-driven terminal console for B2B accounts-receivable collectors."""

__all__ = ["hookimpl"]
__version__ = "0.1.0"


def __getattr__(name: str):
    # ``from arctui import hookimpl`` (what a plugin writes) loads pluggy then, not every
    # ``import arctui``: the command line's start time does not pay for it
    if name == "hookimpl":
        from arctui.hookspecs import hookimpl

        return hookimpl
    raise AttributeError(f"module 'arctui' has no attribute {name!r}")
