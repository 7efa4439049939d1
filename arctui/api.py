"""arctui's public surface: what plugins and teams' scripts may import. Everything else is
internal and may move between releases; what is here changes only with ``API_VERSION``.

Plugins implement hooks (``arctui.hookimpl``, see ``arctui/hookspecs.py``) and register the
types below; scripts open a book and call the read functions and actions. docs/plugins.md is
this module's manual.
"""

import os
import sys
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from arctui.config import Settings
from arctui.hookspecs import hookimpl
from arctui.plugins import PluginHost
from arctui.services.context import Context, acting_user, fixed_clock, utc_now
from arctui.services.queue import QueueRow, build_queue
from arctui.store.connection import connect
from arctui.store.writing import replayed as _replayed

# -- errors a plugin raises or a script catches -----------------------------------------
# ``BookBusy`` (a ``StoreError``): another collector's long write held the book past the busy
# timeout; nothing was written, its message says who and since when. ``WriteConflict`` (a
# ``BookBusy``, PostgreSQL only): another action changed the same rows at once; ``replayed``
# runs an action again until it lands.
from arctui.services.errors import InvalidInput, NotFound, ServiceError, StaleEdit
from arctui.store.errors import BookBusy, StoreError, WriteConflict

# -- importers ----------------------------------------------------------------------------
# An importer plugin registers ``Importer(name, kind, description, parse, patterns, ...)``
# (``kind`` one of ``KINDS``); ``parse(path, options)`` yields a ``Record(file, line, values)``
# per source line (values as text, the core converts and checks them) or a ``Rejected`` for
# a line it cannot cut into fields, and raises ``ImportFileError`` for a file wrong as a
# whole. A ``Notice(file, line, message)`` tells the collector something that does not
# refuse the file (a statement that does not reconcile, a copy already sent). A ``Reversal``
# (account, currency, amount, references) undoes the booked receipt it names (a bank's
# reversal of a credit); a receipt's ``state`` "pending" (an intraday entry) is not cash until
# a later file books it under the same key.
# ``header_fields`` maps a table's headers to fields as the bundled CSV importer does.
# ``run_import(book, importer, path, options, dry_run=)`` loads a file all or nothing and
# returns its ``ImportReport`` (for scripts and an importer's own tests); ``load_mapping``
# reads a ``--mapping`` TOML file into ``Options``; ``text_encoding`` refuses an encoding a
# file names (a mapping, an XML declaration) unless it is one of the ASCII-compatible ones.
from arctui.services.imports import (
    KINDS,
    Importer,
    ImportFileError,
    ImportReport,
    Notice,
    Options,
    Record,
    Rejected,
    Reversal,
    count_lines,
    header_fields,
    load_mapping,
    run_import,
    text_encoding,
)

# -- email senders ------------------------------------------------------------------------
# A sender plugin registers ``Sender(name, make, description)``; ``make(config)`` gets the
# ``[email]`` settings (user and password included, from the environment where the file has
# none) and returns ``send(message) -> Message-ID``. ``send`` raises ``SendFailed`` when the
# message was certainly not accepted, ``make`` raises ``InvalidInput`` for a bad setting.
# ``compose`` builds the ``EmailMessage`` arctui hands to ``send`` (for a plugin's tests).
from arctui.services.email import SendFailed, Sender, compose

# -- credit-memo coders -------------------------------------------------------------------
# A coder plugin registers ``Coder(name, propose)``; ``propose(context)`` gets a
# ``MemoContext`` (customer, invoice, amount_cents, hint, and ``settings``: the
# ``[credit_memos]`` table of the settings file) and returns a ``Proposal(reason_code,
# gl_code, why)`` or None. It is called on each change of the memo form, so a coder keeps
# what it read (a rules file: until the file changes). If it raises, the collector is told,
# naming the plugin, and codes the memo by hand. ``propose_coding(book, context)`` asks every
# coder, as the memo form does.
from arctui.services.credit_memos import Coder, MemoContext, Proposal, propose_coding

# -- reports and exporters ----------------------------------------------------------------
from arctui.services.reports import (
    Column,
    Exporter,
    Money,
    Report,
    ReportResult,
    Section,
    label_by_currency,
    neutralise_formula,
    open_output,
    run_report,
    total_rows,
)

# -- read functions for reports ----------------------------------------------------------
# What a report may read, besides the queue (``build_queue(db, today, collector, limit)``):
# the KPIs of a portfolio, the periods they are computed over, and the grouped aggregates
# the bundled reports show (each ``(db, today, collector=None)``; see arctui/store/read/reports.py).
from arctui.domain.kpi import promise_kept_rate
from arctui.services.kpis import (
    BPDSO_PERIOD_DAYS,
    CEI_PERIOD_DAYS,
    DSO_MONTHS,
    PROMISE_PERIOD_DAYS,
    NoRate,
    compute_kpis,
    kpis_by_currency,
    portfolio_kpis,
)
from arctui.store.read.reports import (
    NO_COLLECTOR,
    UNASSIGNED,
    Summary,
    aging_by_account,
    cadence_by_collector,
    cash_against_target,
    cash_in_other_currencies,
    collector_names,
    credit_memos_by_reason,
    disputes_by_reason,
    owners,
    promises_by_collector,
)
from arctui.services.cash import unapplied_cash_aging  # unapplied receipts by currency and age
from arctui.services.currency import convert_cents
from arctui.store.read.rates import book_currency  # the team's book currency (else the accounts' most common)
from arctui.store.read.controls import cash_by_bucket, write_offs  # cash per bucket it came from; write-offs
from arctui.store.read.disputes import dispute_cases  # open disputes with owner, age and due date
from arctui.store.read.escalations import escalation_rows  # escalations, decisions, placements, recoveries

# -- reading one account (scripts) ---------------------------------------------------------
# ``customer(db, customer_id)`` and ``customer_id_by_account_no(db, account_no)`` find an
# account, ``contacts(db, customer_id)`` its people, ``timeline(db, customer_id, offset=,
# limit=)`` its history newest first and ``account_summary(db, customer_id)`` its totals.
from arctui.store.read.accounts import contacts, customer, customer_id_by_account_no
from arctui.store.read.timeline import Event, account_summary, timeline

# -- collector actions (scripts) -----------------------------------------------------------
# Each takes the book first, runs as one transaction with one audit row, acts as the book's
# login and refuses (ServiceError) exactly what the console and the CLI refuse.
from arctui.services.accounts import credit_hold, escalate, release_hold
from arctui.services.cash import allocate_payment, apply_payment, record_payment, refund_payment
from arctui.services.contacts import add_contact, edit_contact, retire_contact
from arctui.services.correspondence import send_account_email
from arctui.services.credit_memos import approve_memo, post_memo, prepare_memo, reject_memo, submit_memo
from arctui.services.disputes import add_dispute_note, assign_dispute, open_dispute, resolve_dispute
from arctui.services.escalations import (
    decide_escalation,
    recommend_escalation,
    recommend_reinstatement,
    record_recovery,
)
from arctui.services.plans import cancel_plan, create_plan, edit_plan
from arctui.services.promises import cancel_promise, record_promise
from arctui.services.touchpoints import log_touchpoint

# -- money, aging and the vocabularies a report or exporter shows --------------------------
# ``visible(text)`` shows control characters as escapes (``\x1b``): for a plugin command
# that prints what the book holds. ``book_buckets(db)`` is the book's ``AgingBuckets`` (a
# manager sets them: ``names``, ``past_due``, ``bucket_for(due, today)``, ``due_range``);
# pass it as ``buckets=`` to ``aging_by_account`` and ``cash_by_bucket``, which age by the
# standard buckets otherwise. ``BUCKETS`` names the standard ones (current, 1-30 ... 90+).
from arctui.domain.aging import BUCKETS, AgingBuckets
from arctui.store.read.aging import book_buckets
from arctui.domain.control_chars import visible
from arctui.domain.money import SYMBOLS, exponent, format_money, to_decimal
from arctui.domain.statuses import DISPUTE_REASONS

__all__ = [
    "account_summary",
    "add_contact",
    "add_dispute_note",
    "aging_by_account",
    "AgingBuckets",
    "allocate_payment",
    "API_VERSION",
    "apply_payment",
    "approve_memo",
    "assign_dispute",
    "Book",
    "book_buckets",
    "book_currency",
    "BookBusy",
    "BPDSO_PERIOD_DAYS",
    "BUCKETS",
    "build_queue",
    "cadence_by_collector",
    "cancel_plan",
    "cancel_promise",
    "cash_against_target",
    "cash_by_bucket",
    "cash_in_other_currencies",
    "CEI_PERIOD_DAYS",
    "Coder",
    "collector_names",
    "Column",
    "compose",
    "compute_kpis",
    "contacts",
    "convert_cents",
    "count_lines",
    "create_plan",
    "credit_hold",
    "credit_memos_by_reason",
    "customer",
    "customer_id_by_account_no",
    "decide_escalation",
    "dispute_cases",
    "DISPUTE_REASONS",
    "disputes_by_reason",
    "DSO_MONTHS",
    "edit_contact",
    "edit_plan",
    "escalate",
    "escalation_rows",
    "Event",
    "exponent",
    "Exporter",
    "format_money",
    "header_fields",
    "hookimpl",
    "Importer",
    "ImportFileError",
    "ImportReport",
    "InvalidInput",
    "KINDS",
    "kpis",
    "kpis_by_currency",
    "label_by_currency",
    "load_mapping",
    "log_touchpoint",
    "MemoContext",
    "Money",
    "neutralise_formula",
    "NO_COLLECTOR",
    "NoRate",
    "NotFound",
    "Notice",
    "open_book",
    "open_dispute",
    "open_output",
    "Options",
    "owners",
    "PluginHost",
    "portfolio_kpis",
    "post_memo",
    "prepare_memo",
    "promise_kept_rate",
    "PROMISE_PERIOD_DAYS",
    "promises_by_collector",
    "Proposal",
    "propose_coding",
    "queue",
    "QueueRow",
    "recommend_escalation",
    "recommend_reinstatement",
    "Record",
    "record_payment",
    "record_promise",
    "record_recovery",
    "refund_payment",
    "reject_memo",
    "Rejected",
    "Reversal",
    "release_hold",
    "Report",
    "report",
    "ReportResult",
    "resolve_dispute",
    "retire_contact",
    "run_import",
    "run_report",
    "Section",
    "send_account_email",
    "Sender",
    "SendFailed",
    "ServiceError",
    "Settings",
    "StaleEdit",
    "StoreError",
    "submit_memo",
    "Summary",
    "SYMBOLS",
    "text_encoding",
    "timeline",
    "to_decimal",
    "total_rows",
    "unapplied_cash_aging",
    "UNASSIGNED",
    "visible",
    "write_offs",
    "WriteConflict",
    "replayed",
]

API_VERSION = "1.4"
"""Major: a name removed or changed incompatibly; minor: names added."""


# -- scripting: open a book, read it, act in it --------------------------------------------
Book = Context
T = TypeVar("T")
"""An open book: the database, the acting login, the clock, the settings and the plugins."""


def replayed(book: Book, call: Callable[[], T]) -> T:
    """``call()``, one action on ``book``, run again while it loses a write conflict to another
    (``WriteConflict``, PostgreSQL only; ``arctui.store.writing.replayed``)."""
    return _replayed(book.db, call)


def open_book(
    path: str | os.PathLike,
    *,
    user: str | None = None,
    today: date | None = None,
    settings: Settings | None = None,
    plugins: PluginHost | None = None,
) -> Book:
    """Open an arctui database for a script, acting as the OS login (or ``user``, where the
    login may act as someone else, as on the command line). ``today`` stops the clock at
    that day; ``settings`` default to the user's settings file, ``plugins`` to the installed
    plugins."""
    db = connect(path)
    return Book(
        db,
        acting_user(db, user),
        fixed_clock(today) if today else utc_now,
        settings if settings is not None else Settings.load(),
        plugins if plugins is not None else PluginHost(),
    )


def queue(
    book: Book, collector: str | None = None, limit: int | None = 200, today: date | None = None
) -> list[QueueRow]:
    """The ranked queue of ``collector`` (None: the whole team), highest score first; each
    row has ``account_no``, ``name``, ``past_due_cents``, ``score.total`` and
    ``score.components`` (name, points, reason)."""
    return build_queue(book.db, today or book.today(), collector, limit)


def report(
    book: Book, name: str, *, today: date | None = None, fmt: str | None = None, out=None, **params
) -> ReportResult:
    """Run report ``name`` (``collector=`` narrows a bundled report to one portfolio) as of
    ``today`` (default: the book's today) and return its ``ReportResult``. With ``out`` (a
    path or a stream) it is also written there, as ``fmt`` or as ``out``'s extension says;
    ``fmt`` alone writes it to standard output. A plugin's failure is a ``ServiceError``."""
    if fmt is not None and out is None:
        out = sys.stdout
    return run_report(book, name, fmt.lower() if fmt else None, out, today, **params)


def kpis(book: Book, collector: str | None = None, today: date | None = None, currency: str | None = None) -> dict:
    """The KPIs of ``collector``'s portfolio (None: the whole team) as of ``today``:
    ``currency``, ``total_ar_cents``, ``current_ar_cents``, ``past_due_cents``, ``dso``,
    ``cei``, ``best_possible_dso``, ``add``, ``percent_current``, ``promise_kept_rate``,
    ``promises_resolved``, ``avg_days_since_contact`` (None where there is nothing to divide).
    ``currency``: of that currency's invoices and cash alone; None: every currency in the
    book currency (``converted`` names the others; ``NoRate`` when one has no rate)."""
    return compute_kpis(book.db, today or book.today(), collector, currency=currency)
