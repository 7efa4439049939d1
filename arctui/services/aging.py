"""The book's aging buckets: a manager's setting, used by every report, screen and letter
that shows aging (the queue's score keeps weighing the standard 30/60/90 bands)."""

from arctui.domain.aging import AgingBuckets
from arctui.services.book_settings import set_book_setting
from arctui.services.context import Context
from arctui.services.errors import InvalidInput
from arctui.store.read.aging import AGING_BUCKETS


def set_aging_buckets(ctx: Context, text: str) -> AgingBuckets:
    """Set the book's buckets from their bounds (``"0,15,30,60,90,120"``: days past due, the
    first bucket current, the last open-ended); only an active manager may. Returns the
    buckets as stored."""
    try:
        buckets = AgingBuckets.parse(text)
    except ValueError as exc:
        raise InvalidInput("aging buckets", str(exc)) from None
    set_book_setting(ctx, "book.aging_buckets", AGING_BUCKETS, buckets.text, "the aging buckets")
    return buckets
