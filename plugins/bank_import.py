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


@hookimpl
def register_importers(register):
    register(
        Importer(
            name="bai2",
            kind="payments",
            applies_cash=True,
            parse=parse_bai2,
            patterns=("*.bai", "*.bai2", "*.txt"),
            size=count_lines,
            description="receipts from a BAI2 bank file, applied by the invoice numbers they carry",
        )
    )
    register(
        Importer(
            name="camt053",
            kind="payments",
            applies_cash=True,
            parse=parse_camt053,
            patterns=("*.xml",),
            size=count_lines,
            description="receipts from an ISO 20022 camt.053 statement, applied by their remittance",
        )
    )
    register(
        Importer(
            name="camt054",
            kind="payments",
            applies_cash=True,
            parse=parse_camt054,
            patterns=("*.xml",),
            size=count_lines,
            description="receipts from an ISO 20022 camt.054 notification, batches split, reversals undone",
        )
    )
    register(
        Importer(
            name="camt052",
            kind="payments",
            applies_cash=True,
            parse=parse_camt052,
            patterns=("*.xml",),
            size=count_lines,
            description="the booked receipts of an ISO 20022 camt.052 account report",
        )
    )
    register(
        Importer(
            name="mt940",
            kind="payments",
            applies_cash=True,
            parse=parse_mt940,
            patterns=("*.sta", "*.940", "*.mt940", "*.txt"),
            size=count_lines,
            description="receipts from a SWIFT MT940 statement, applied by their remittance; RC reverses",
        )
    )
    register(
        Importer(
            name="mt942",
            kind="payments",
            applies_cash=True,
            parse=parse_mt942,
            patterns=("*.sta", "*.942", "*.mt942", "*.txt"),
            size=count_lines,
            description="pending receipts from a SWIFT MT942 intraday report, cash once the MT940 books them",
        )
    )
