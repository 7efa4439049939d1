"""A queue longer than the first page: its top shows first, the whole queue follows behind
it (the counts and the order of a full read), the cursor staying where it was."""

from arctui.console.app import ArctuiApp
from arctui.console.screens.queue import FIRST_PAGE, QueueScreen
from arctui.sample import DEFAULT_TODAY, SampleSpec, generate
from arctui.services.context import Context, fixed_clock
from arctui.services.queue import build_queue
from arctui.store.connection import connect
from tests.console.console_helpers import keys, shown, until


async def test_the_whole_team_queue_follows_its_first_page(tmp_path):
    generate(tmp_path / "book.db", SampleSpec(customers=600, invoices=3_000, seed=4, collectors=2))
    db = connect(tmp_path / "book.db")
    whole = [row.customer_id for row in build_queue(db, DEFAULT_TODAY)]
    assert len(whole) > FIRST_PAGE
    lead = db.execute("SELECT id FROM collectors WHERE role = 'lead' LIMIT 1").fetchone()[0]
    app = ArctuiApp(Context(db, lead, fixed_clock(DEFAULT_TODAY)), refresh_seconds=0)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QueueScreen) and screen.collector is None
        await until(pilot, lambda: screen.table.row_count == len(whole))
        assert keys(screen.table) == whole
        assert f"{len(whole)} of {len(whole)} accounts" in shown(screen.query_one("#status"))
