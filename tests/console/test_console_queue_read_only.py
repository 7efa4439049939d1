"""The console on a book it may not write, on a day the kept facts are not of: the queue is
the one a writable book ranks that day, and a warning says it was computed from the ledger."""

import shutil
from datetime import timedelta

from arctui.console.app import ArctuiApp
from arctui.services.context import Context, fixed_clock
from arctui.services.queue import build_queue
from arctui.store.connection import connect
from arctui.store.read.accounts import facts_day
from tests.console.console_helpers import TODAY, keys

LATER = TODAY + timedelta(days=12)


async def test_a_read_only_book_on_a_new_day_shows_the_days_queue_and_says_it_was_slower(book, tmp_path):
    writer = connect(book)
    build_queue(writer, TODAY, "alice")  # the facts kept for TODAY
    writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    writer.close()
    shutil.copy(book, tmp_path / "writable.db")
    expected = [row.customer_id for row in build_queue(connect(tmp_path / "writable.db"), LATER, "alice")]
    db = connect(book, read_only=True)
    app = ArctuiApp(Context(db, "alice", fixed_clock(LATER)), refresh_seconds=0)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        assert keys(app.screen.table) == expected
        (warning,) = [n for n in app._notifications if n.severity == "warning"]
        assert f"kept facts are not {LATER.isoformat()}'s, so it is computed from the ledger" in warning.message
    assert facts_day(connect(book)) == TODAY.isoformat()
