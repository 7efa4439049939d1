"""arctui: a keyboard-driven terminal console for B2B accounts-receivable collectors."""
from arctui.hookspecs import hookimpl

__all__ = ["hookimpl"]
__version__ = "0.1.0"
