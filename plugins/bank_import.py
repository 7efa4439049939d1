"""Bank-statement importers for cash application: BAI2 (``bai2``), ISO 20022 camt.053
(``camt053``), camt.052 account reports (``camt052``) and camt.054 debit/credit notifications
(``camt054``), SWIFT MT940 (``mt940``) and MT942 (``mt942``, intraday: pending receipts).

Every credit on the statement becomes a payment keyed by its bank reference and lands as
unapplied cash; the core then applies it to the invoices its remittance text names and
leaves the rest for a collector. Debits, and camt.053 entries not yet booked, are skipped.
"""

from arctui.api import Importer, count_lines, hookimpl
from arctui_plugins.bai2 import parse_bai2
from arctui_plugins.camt import parse_camt052, parse_camt053, parse_camt054
from arctui_plugins.mt940 import parse_mt940, parse_mt942

# name, parser, file patterns, what it imports: every one a payments importer that applies cash
_FORMATS = (
    ("bai2", parse_bai2, ("*.bai", "*.bai2", "*.txt"),
     "receipts from a BAI2 bank file, applied by the invoice numbers they carry"),
    ("camt053", parse_camt053, ("*.xml",),
     "receipts from an ISO 20022 camt.053 statement, applied by their remittance"),
    ("camt054", parse_camt054, ("*.xml",),
     "receipts from an ISO 20022 camt.054 notification, batches split, reversals undone"),
    ("camt052", parse_camt052, ("*.xml",),
     "the booked receipts of an ISO 20022 camt.052 account report"),
    ("mt940", parse_mt940, ("*.sta", "*.940", "*.mt940", "*.txt"),
     "receipts from a SWIFT MT940 statement, applied by their remittance; RC reverses"),
    ("mt942", parse_mt942, ("*.sta", "*.942", "*.mt942", "*.txt"),
     "pending receipts from a SWIFT MT942 intraday report, cash once the MT940 books them"),
)  # fmt: skip


@hookimpl
def register_importers(register):
    for name, parse, patterns, description in _FORMATS:
        register(
            Importer(
                name=name,
                kind="payments",
                applies_cash=True,
                parse=parse,
                patterns=patterns,
                size=count_lines,
                description=description,
            )
        )
