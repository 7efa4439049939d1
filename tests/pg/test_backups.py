"""docs/shared-server.md's backups on PostgreSQL, run as written: a nightly base backup plus the
archived WAL, restored to a moment between two collectors' actions. The restored book holds
every action up to that moment and none after, its audit chain verifies, and it takes the
team's next save.
"""

from datetime import timedelta

from arctui.services.accounts import save_collector
from arctui.services.context import Context, fixed_clock
from arctui.services.touchpoints import log_touchpoint
from arctui.store import audit
from arctui.store.connection import connect
from tests.enrol import first_lead
from tests.pg import cluster
from tests.proof.book import TODAY, add_accounts


def touchpoints(url: str, count: int) -> list[str]:
    """``count`` calls logged by alice through the service; their ids."""
    db = connect(url)
    try:
        alice = Context(db, "alice", fixed_clock(TODAY))
        follow_up = TODAY + timedelta(days=1)
        return [str(log_touchpoint(alice, 1, "call", "LVM", follow_up_date=follow_up)) for _ in range(count)]
    finally:
        db.close()


def test_a_base_backup_and_the_archived_wal_restore_the_book_to_a_moment(tmp_path):
    with cluster.server(archive=True) as server:
        url = server.create_database("ar")
        db = connect(url, create=True)
        try:
            save_collector(first_lead(db, fixed_clock(TODAY)), "alice", "Alice Archer")
            add_accounts(db, [1], ["alice"], invoices_per_customer=1)
        finally:
            db.close()
        backup = server.base_backup("nightly")
        before = touchpoints(url, 3)
        moment = server.execute("SELECT clock_timestamp()::text")[0][0]
        after = touchpoints(url, 2)
        server.archive_now()

        with cluster.restored(server, backup, moment) as restored:
            again = restored.url(url.rsplit("/", 1)[-1])
            db = connect(again)
            try:
                kept = [r[0] for r in db.execute("SELECT entity_id FROM audit WHERE action = 'touchpoint.call'")]
                checked, bad, _ = audit.verify(db)
                trail = db.execute("SELECT count(*) FROM audit").fetchone()[0]
                touchpoints(again, 1)  # the restored book goes on from where it stopped
                more = audit.verify(db)
            finally:
                db.close()

    assert kept == before and not set(after) & set(kept)
    assert bad is None and checked == trail
    assert more[:2] == (trail + 1, None)
