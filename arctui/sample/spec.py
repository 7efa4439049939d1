"""What to generate: the arguments of ``arctui sample``, checked."""

from dataclasses import dataclass
from datetime import date

DEFAULT_TODAY = date(2026, 11, 23)
MAX_CUSTOMERS = 999_999  # account numbers are C + 6 digits
MAX_INVOICES = 9_999_000  # invoice numbers are INV- + 7 digits


class SampleError(ValueError):
    """Arguments that cannot make a book; the message names the argument."""


@dataclass(frozen=True)
class SampleSpec:
    customers: int
    invoices: int
    seed: int
    today: date = DEFAULT_TODAY
    collectors: int | None = None  # None: one per ~500 accounts, at least 3

    def checked(self) -> "SampleSpec":
        if not 1 <= self.customers <= MAX_CUSTOMERS:
            raise SampleError(f"--customers: expected 1 to {MAX_CUSTOMERS}, got {self.customers}")
        if not 0 <= self.invoices <= MAX_INVOICES:
            raise SampleError(f"--invoices: expected 0 to {MAX_INVOICES}, got {self.invoices}")
        if self.collectors is not None and not 1 <= self.collectors <= self.customers:
            raise SampleError(
                f"--collectors: expected 1 to the number of customers ({self.customers}), got {self.collectors}"
            )
        return self

    @property
    def collector_count(self) -> int:
        return self.collectors or max(3, round(self.customers / 500))


def parse_today(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SampleError(f"--today: {text!r} is not a date (expected YYYY-MM-DD)") from None
