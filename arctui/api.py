"""arctui's public surface: what plugins and teams' scripts may import. Everything else is
internal and may move between releases; what is here changes only with ``API_VERSION``.

Plugins implement hooks (``arctui.hookimpl``, see ``arctui/hookspecs.py``) and register the
types below; scripts open a book and call the read functions and actions. docs/plugins.md is
this module's manual.
"""
from arctui.hookspecs import hookimpl

# -- errors a plugin raises or a script catches -----------------------------------------
from arctui.services.errors import InvalidInput, NotFound, ServiceError, StaleEdit

# -- importers ----------------------------------------------------------------------------
from arctui.services.imports import (
    KINDS,
    Importer,
    ImportFileError,
    Options,
    Record,
    Rejected,
    count_lines,
    header_fields,
)

# -- email senders ------------------------------------------------------------------------
from arctui.services.email import SendFailed, Sender

# -- credit-memo coders -------------------------------------------------------------------
from arctui.services.credit_memos import Coder, MemoContext, Proposal

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
    total_rows,
)

# -- money, aging and the vocabularies a report or exporter shows --------------------------
from arctui.domain.aging import BUCKETS
from arctui.domain.money import SYMBOLS, exponent, format_money, to_decimal
from arctui.domain.statuses import DISPUTE_REASONS

API_VERSION = "1.0"
"""Major: a name removed or changed incompatibly; minor: names added."""
