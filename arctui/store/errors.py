"""What the store refuses with: the message says why and what to do."""


class StoreError(Exception):
    """A database that cannot be used as it is; the message says why and what to do."""


class BookBusy(StoreError):
    """Another connection held the write lock for longer than the busy timeout; nothing of
    this transaction was written. ``holder`` is the note of who holds it, if one was left."""

    def __init__(self, message: str, holder=None):
        super().__init__(message)
        self.holder = holder


class WriteConflict(BookBusy):
    """Another writer changed what this transaction read or wrote, at the same time (PostgreSQL:
    a serialization failure or a deadlock); nothing of it was written. Running the whole action
    again will do: ``arctui.store.writing.replayed``."""
