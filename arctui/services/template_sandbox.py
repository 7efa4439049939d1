"""Jinja2's immutable sandbox with a budget: a template renders within RENDER_SECONDS and
builds nothing longer than MAX_CHARS.

Jinja's sandbox keeps a template away from Python's internals, but not from the CPU or the
memory: ``{% for i in range(99999) %}{% for j in range(99999) %}...`` runs for hours and
``{{ 'x' * 10**10 }}`` asks for ten gigabytes. Here

- every ``{% for %}`` loop, every call and every attribute lookup checks a deadline;
- what can grow a value at once is measured before it runs: ``*``, ``**`` and ``%``,
  ``str.format``, string methods that pad (``center``, ``ljust`` ...), ``replace``, ``join``
  and the filters that pad or fill (``center``, ``indent``, ``format``, ``batch``, ``slice``,
  ``lipsum``); whatever a call, a filter or an operator returns is measured after;
- a value that can carry across a loop (a ``namespace`` attribute) is measured as it is set,
  and lists and dicts cannot be changed in place (the immutable sandbox);
- the caller stops reading the output when it passes MAX_CHARS.

Going over the budget raises ``RenderLimit`` (a ``SecurityError``) from inside the template.
"""

import re
import string
import threading
import time
from collections.abc import Iterable, Iterator
from functools import wraps
from types import GeneratorType

from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

RENDER_SECONDS = 2.0
MAX_CHARS = 200_000  # the longest body (about 2,000 statement lines) and any value built on the way
MAX_INT_BITS = 20_000  # about 6,000 digits: numbers in a letter are amounts and counts
_LOOP_FILTER = "_arctui_budget"  # wraps every {% for %} loop's iterable


class RenderLimit(SecurityError):
    """A template that runs too long or builds too much."""


# ---- the budget of the render in progress (one per thread) -----------------------------------

_local = threading.local()


def start(seconds: float = RENDER_SECONDS) -> None:
    """Open the budget of one render on this thread."""
    _local.deadline = time.monotonic() + seconds
    _local.seconds = seconds


def stop() -> None:
    _local.deadline = None


def _tick() -> None:
    deadline = getattr(_local, "deadline", None)
    if deadline is not None and time.monotonic() > deadline:
        raise RenderLimit(
            f"still rendering after {_local.seconds:g} seconds (a loop without end?); "
            f"a template must render within {_local.seconds:g} seconds"
        )


def _too_big(what: str, size: int) -> RenderLimit:
    return RenderLimit(f"{what} would be {size:,} characters long; a template may build at most {MAX_CHARS:,}")


def _size(value, depth: int = 0) -> int:
    """Characters in a string, items and characters in a container (nested a little way)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, (list, tuple, set, frozenset, dict)) and depth < 3:
        total = len(value)
        for item in value.values() if isinstance(value, dict) else value:
            total += _size(item, depth + 1)
            if total > MAX_CHARS:
                break
        return total
    return 0


def _check(value, what: str = "a value"):
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise RenderLimit(f"{what} is a number of more than {MAX_INT_BITS:,} bits")
    if (size := _size(value)) > MAX_CHARS:
        raise _too_big(what, size)
    return value


def _count(value, what: str) -> None:
    """A width, a count or a length a template passes: at most MAX_CHARS."""
    if isinstance(value, int) and value > MAX_CHARS:
        raise _too_big(what, value)


def budgeted(iterable: Iterable, what: str = "a loop") -> Iterator:
    """``iterable`` with the deadline checked before each item and the characters of its
    string items counted."""
    chars = 0
    for item in iterable:
        _tick()
        if isinstance(item, str):
            chars += len(item)
            if chars > MAX_CHARS:
                raise _too_big(what, chars)
        yield item


# ---- formats: widths and precisions are counts -------------------------------------------

_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_NUMBERS = re.compile(r"\d+")


def _check_percent_format(text: str) -> None:
    for match in _PERCENT_SPEC.finditer(text):
        if "*" in (match[1], match[2]):
            raise RenderLimit("a '%*d' width taken from the arguments is not allowed in a template")
        for number in (match[1], match[2]):
            _check_width(number, "a %-format width")


def _check_brace_format(text: str) -> None:
    for _, _, spec, _ in string.Formatter().parse(text):
        if not spec:
            continue
        if "{" in spec:
            raise RenderLimit("a format width taken from the arguments ({:{}}) is not allowed in a template")
        for number in _NUMBERS.findall(spec):
            _check_width(number, "a format width")


def _check_width(digits: str | None, what: str) -> None:
    if digits:
        _count(int(digits) if len(digits) < 10 else 10**9, what)


# ---- filters and globals that grow a value from a small one ------------------------------


def _center(original):
    def center(value, width=80):
        _count(width, "centred text")
        return original(value, width)

    return center


def _indent(original):
    def indent(value, width=4, *args, **kwargs):
        if isinstance(width, int):
            _count((str(value).count("\n") + 1) * width + len(str(value)), "indented text")
        else:
            _count((str(value).count("\n") + 1) * len(str(width)) + len(str(value)), "indented text")
        return original(value, width, *args, **kwargs)

    return indent


def _format(original):
    def format_(value, *args, **kwargs):
        _check_percent_format(str(value))
        return original(value, *args, **kwargs)

    return format_


def _counted_arg(original, what: str):
    """batch(n) and slice(n): ``n`` at most MAX_CHARS (they fill up to it)."""

    @wraps(original)
    def counted(value, count, *args, **kwargs):
        _count(count, what)
        return original(value, count, *args, **kwargs)

    return counted


def _replace(original):
    @wraps(original)
    def replace(eval_ctx, value, old, new, count=None):
        text, old, new = str(value), str(old), str(new)
        times = text.count(old) if old else len(text) + 1
        if count is not None and isinstance(count, int):
            times = min(times, count)
        _count(len(text) + times * max(0, len(new) - len(old)), "replaced text")
        return original(eval_ctx, value, old, new, count)

    return replace


def _join(original):
    @wraps(original)
    def join(eval_ctx, value, d="", attribute=None):
        return original(eval_ctx, list(budgeted(value, "joined text")), d, attribute)

    return join


_FILTER_GUARDS = {
    "center": _center,
    "indent": _indent,
    "format": _format,
    "replace": _replace,
    "join": _join,
    "batch": lambda f: _counted_arg(f, "a batch"),
    "slice": lambda f: _counted_arg(f, "a slice"),
}


def _guarded_filter(name: str, original):
    """``original`` with its guard (if any), the deadline checked before it and its result
    measured after (an iterator it returns is budgeted item by item)."""
    guarded = _FILTER_GUARDS[name](original) if name in _FILTER_GUARDS else original

    @wraps(original)
    def run(*args, **kwargs):
        _tick()
        result = guarded(*args, **kwargs)
        if isinstance(result, GeneratorType):
            return budgeted(result, f"the {name} filter's result")
        return _check(result, f"the {name} filter's result")

    return run


class BoundedNamespace(Namespace):
    """``namespace()``, whose attributes are measured as they are set: the one value a
    template can carry from one pass of a loop to the next."""

    def __setitem__(self, name: str, value) -> None:
        _tick()
        super().__setitem__(name, _check(value, f"namespace attribute {name!r}"))


def _lipsum(original):
    def lipsum(n=5, html=True, min=20, max=100):  # Jinja's own argument names
        _count(n * max * 12, "lorem ipsum")
        return original(n, html, min, max)

    return lipsum


# ---- the environment ------------------------------------------------------------------------

_PADDING_METHODS = {"center", "ljust", "rjust", "zfill", "expandtabs"}


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with the budget above; ``start()`` before rendering."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, **options):
        super().__init__(**options)
        self.filters = {name: _guarded_filter(name, f) for name, f in self.filters.items()}
        self.filters[_LOOP_FILTER] = budgeted
        self.globals["namespace"] = BoundedNamespace
        self.globals["lipsum"] = _lipsum(self.globals["lipsum"])

    def _parse(self, source, name, filename):
        """The template's syntax tree, with every loop's iterable budgeted."""
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, _LOOP_FILTER, [], [], None, None, lineno=loop.iter.lineno)
        tree.set_environment(self)
        return tree

    def call_binop(self, context, operator, left, right):
        _tick()
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                if isinstance(times, int) and isinstance(sequence, (str, list, tuple)):
                    _count(_size(sequence) * times, "a repeated value")
            integers = isinstance(left, int) and isinstance(right, int)
            if integers and left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise RenderLimit(f"a product of more than {MAX_INT_BITS:,} bits")
        elif operator == "**":
            integers = isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0
            if integers and right * left.bit_length() > MAX_INT_BITS:
                raise RenderLimit(f"a power of more than {MAX_INT_BITS:,} bits")
        elif operator == "%" and isinstance(left, str):
            _check_percent_format(left)
        return _check(super().call_binop(context, operator, left, right), f"the result of {operator!r}")

    def call(__self, __context, __obj, *args, **kwargs):  # Jinja's signature
        _tick()
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):
            method = getattr(__obj, "__name__", "")
            if method in _PADDING_METHODS:
                for arg in args:
                    _count(arg, f"str.{method}")
            elif method == "replace" and len(args) >= 2:
                old, new = str(args[0]), str(args[1])
                times = owner.count(old) if old else len(owner) + 1
                _count(len(owner) + times * max(0, len(new) - len(old)), "replaced text")
            elif method == "join" and args:
                args = (list(budgeted(args[0], "joined text")), *args[1:])
        for arg in (*args, *kwargs.values()):
            _check(arg, "an argument")
        return _check(super().call(__context, __obj, *args, **kwargs), "a call's result")

    def getattr(self, obj, attribute):
        _tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj, argument):
        _tick()
        return super().getitem(obj, argument)

    def wrap_str_format(self, value):
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        _check_brace_format(value.__self__)
        return wrapped


def limited_output(chunks: Iterable[str], what: str) -> str:
    """The rendered text, refused (RenderLimit) once it passes MAX_CHARS."""
    out, total = [], 0
    for chunk in chunks:
        total += len(chunk)
        if total > MAX_CHARS:
            raise RenderLimit(f"{what} renders more than {MAX_CHARS:,} characters")
        out.append(chunk)
    return "".join(out)
