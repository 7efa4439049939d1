import os
import sqlite3
import stat
from datetime import date

import pytest
import sqlite_utils

from arctui.services.context import Context, fixed_clock
from arctui.services.touchpoints import log_touchpoint
from arctui.store import audit
from arctui.store.connection import StoreError, connect
from arctui.store.migrations import LATEST, schema_version
from tests.services.conftest import seed

TODAY = date(2026, 11, 23)


def test_new_file_is_migrated_wal_and_group_shared(tmp_path):
    path = tmp_path / "team.db"
    db = connect(path, create=True)
    assert schema_version(db) == LATEST
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    mode = stat.S_IMODE(os.stat(path).st_mode)
    assert mode & stat.S_IRWXO == 0, "not world-readable"
    assert mode & stat.S_IRGRP and mode & stat.S_IWGRP, "group read/write"


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(StoreError, match="no such database file"):
        connect(tmp_path / "nope.db")


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "future.db"
    connect(path, create=True).execute(f"PRAGMA user_version = {LATEST + 1}")
    with pytest.raises(StoreError, match=f"made by a newer arctui \\(schema {LATEST + 1}"):
        connect(path)


def test_older_schema_needs_migrate(tmp_path):
    path = tmp_path / "old.db"
    sqlite3.connect(path).execute("PRAGMA user_version = 0").connection.close()
    # an empty file at schema 0 counts as older: refused until `arctui migrate`
    with pytest.raises(StoreError, match="run `arctui migrate"):
        connect(path)
    assert schema_version(connect(path, upgrade=True)) == LATEST


def test_schema_1_file_is_upgraded_by_migrate_keeping_its_data(tmp_path):
    from click.testing import CliRunner

    from arctui.cli import cli
    from arctui.store.migrations import MIGRATIONS

    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path, isolation_level=None)
    import sqlite_utils

    MIGRATIONS[0](sqlite_utils.Database(conn))
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO collectors (id, name) VALUES ('alice', 'Alice')")
    conn.close()
    with pytest.raises(StoreError, match="schema 1 is older"):
        connect(path)
    result = CliRunner().invoke(cli, ["migrate", "--db", str(path)])
    assert result.exit_code == 0 and f"schema {LATEST}" in result.output
    db = connect(path)
    assert db["collectors"].get("alice")["name"] == "Alice"
    assert "applications_date" in {i.name for i in db["payment_applications"].indexes}


def test_foreign_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE stuff (x)")
    conn.commit()
    with pytest.raises(StoreError, match="not an arctui database"):
        connect(path, upgrade=True)


def test_not_sqlite_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("just some text, not a database at all" * 100)
    with pytest.raises(StoreError, match="not an arctui database"):
        connect(path)


@pytest.fixture
def book(tmp_path):
    db = connect(tmp_path / "book.db", create=True)
    seed_collectors = [("alice", "Alice"), ("bob", "Bob")]
    db["collectors"].insert_all([{"id": i, "name": n} for i, n in seed_collectors])
    seed(db)
    ctx = Context(db, "alice", fixed_clock(TODAY))
    for outcome in ("NA", "LVM", "PTP"):
        log_touchpoint(ctx, 1, "call", outcome)
    return db


def test_audit_refuses_update_and_delete(book):
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        book.execute("UPDATE audit SET actor = 'mallory'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        book.execute("DELETE FROM audit")


def test_audit_verify_names_the_first_tampered_row(book):
    assert audit.verify(book) == (3, None, None)
    book.execute("DROP TRIGGER audit_no_update")
    book.execute("UPDATE audit SET actor = 'mallory' WHERE id = 2")
    checked, bad, problem = audit.verify(book)
    assert (checked, bad) == (1, 2) and "content does not match" in problem


def test_audit_verify_detects_a_removed_row(book):
    book.execute("DROP TRIGGER audit_no_delete")
    book.execute("DELETE FROM audit WHERE id = 2")
    checked, bad, problem = audit.verify(book)
    assert (checked, bad) == (1, 3) and "row was removed" in problem


def test_audit_takes_only_a_new_last_row_chained_to_the_head(book):
    """Schema 3 and 20: ``INSERT OR REPLACE`` over a row (whose implicit delete fires no delete
    trigger), a row chained to anything but its actor's head, or placed before it, is refused."""
    last_id, last_hash = book.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    before_last = book.execute("SELECT hash FROM audit WHERE id = ?", [last_id - 1]).fetchone()[0]
    columns = "id, at, actor, action, entity, prev_hash, hash"
    for verb, row_id, prev in [
        ("INSERT OR REPLACE", last_id, before_last),
        ("REPLACE", 1, audit.GENESIS),
        ("INSERT", None, before_last),
        ("INSERT", last_id + 5, audit.GENESIS),
        ("INSERT", -1, last_hash),
    ]:
        with pytest.raises(sqlite3.IntegrityError, match="a new row must follow the last one"):
            book.execute(f"{verb} INTO audit ({columns}) VALUES (?, 't', 'alice', 'x', 'e', ?, 'h')", [row_id, prev])
    with pytest.raises(sqlite3.IntegrityError, match="a new row must follow the last one"):  # another's head
        book.execute(f"INSERT INTO audit ({columns}) VALUES (NULL, 't', 'mallory', 'x', 'e', ?, 'h')", [last_hash])
    assert audit.verify(book) == (3, None, None)
    audit.append(book, at="t", actor="alice", action="note", entity="customers")
    book.execute(f"INSERT INTO audit ({columns}) VALUES (NULL, 't', 'a', 'x', 'e', ?, 'h')", [audit.GENESIS])
    assert audit.chain_head(book, "a") == "h" and book["audit"].count == 5


def test_a_schema_2_file_gets_the_audit_head_trigger_from_migrate(tmp_path):
    from arctui.store.migrations import LATEST, MIGRATIONS, migrate

    path = tmp_path / "v2.db"
    conn = sqlite3.connect(path, isolation_level=None)
    db = sqlite_utils.Database(conn)
    for step in MIGRATIONS[:2]:
        step(db)
    conn.execute("PRAGMA user_version = 2")
    row = {"at": "t", "actor": "alice", "action": "note", "entity": "customers"}
    row.update(entity_id=None, before=None, after=None, prev_hash=audit.GENESIS)
    db["audit"].insert({**row, "hash": audit._digest(audit.GENESIS, row)})  # as schema 2's arctui appended
    assert migrate(db) == list(range(3, LATEST + 1))  # 3 and every migration after it
    triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {"audit_append_at_head", "audit_last_row_is_new"} <= triggers
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute(
            "INSERT OR REPLACE INTO audit (id, at, actor, action, entity, prev_hash, hash)"
            " VALUES (1, 't', 'm', 'x', 'e', ?, 'h')",
            [audit.GENESIS],
        )
    assert audit.verify(db) == (1, None, None)


def test_an_anchor_before_schema_20_names_the_row_gone_or_changed(book):
    rows, head = 3, book.execute("SELECT hash FROM audit WHERE id = 3").fetchone()[0]
    assert audit.anchor_line(rows, head) == f"rows 3 head {head}"
    assert audit.check_anchor(book, rows, head) is None and audit.check_anchor(book, None, head) is None
    assert audit.check_anchor(book, 0, audit.GENESIS) is None
    log_touchpoint(Context(book, "bob", fixed_clock(TODAY)), 3, "call", "NA")
    assert audit.check_anchor(book, rows, head) is None  # the trail grew past the anchor
    book.execute("DROP TRIGGER audit_no_delete")
    book.execute("DELETE FROM audit WHERE id >= 3")
    assert audit.check_anchor(book, rows, head) == (
        "audit row 3 is gone: the anchor counted 3 rows, the trail now has 2 (rows were deleted)"
    )
    assert audit.check_anchor(book, None, head).startswith(f"no audit row has the anchored hash {head[:16]}")
    book.execute("DROP TRIGGER audit_append_at_head")
    book.execute(
        "INSERT INTO audit (at, actor, action, entity, prev_hash, hash) VALUES ('t', 'm', 'x', 'e', ?, 'forged')",
        [audit.GENESIS],
    )
    assert audit.check_anchor(book, rows, head).startswith("audit row 3 was changed or replaced since the anchor")


def test_an_anchor_keeps_every_chains_head_and_names_a_chains_tail_gone_or_replaced(book):
    rows, head, chains = audit.head(book)
    assert (rows, chains) == (3, {"alice": 3})
    assert audit.anchor_line(rows, head, chains) == f"rows 3 head {head} chains alice=3"
    log_touchpoint(Context(book, "bob", fixed_clock(TODAY)), 3, "call", "NA")
    assert audit.check_anchor(book, rows, head, chains) is None  # the trail grew past the anchor
    rows, head, chains = audit.head(book)
    assert chains == {"alice": 3, "bob": 4}
    log_touchpoint(Context(book, "alice", fixed_clock(TODAY)), 3, "call", "LVM")
    book.execute("DROP TRIGGER audit_no_delete")
    book.execute("DELETE FROM audit WHERE id = 4")  # bob's last row, not the trail's
    assert audit.verify(book) == (4, None, None), "a chain's tail removed: the walk alone cannot tell"
    assert audit.check_anchor(book, rows, head, chains) == (
        "audit row 4, the last of bob's chain when anchored, is gone (rows were deleted)"
    )
    book.execute("DROP TRIGGER audit_append_at_head")
    book.execute("DROP TRIGGER audit_last_row_is_new")
    row = {"at": "t", "actor": "bob", "action": "x", "entity": "e", "entity_id": None, "before": None, "after": None}
    forged = {**row, "id": 4, "prev_hash": audit.GENESIS, "hash": audit._digest(audit.GENESIS, row)}
    book["audit"].insert(forged)  # the chain recomputed, same row count
    assert audit.verify(book) == (5, None, None)
    assert audit.check_anchor(book, rows, head, chains).startswith(
        "a chain's last row when anchored was changed or replaced since the anchor"
    )


def test_verify_names_a_row_removed_or_moved_within_its_actors_chain(book):
    log_touchpoint(Context(book, "bob", fixed_clock(TODAY)), 3, "call", "NA")  # row 4, bob's first
    book.execute("DROP TRIGGER audit_no_update")
    book.execute("DROP TRIGGER audit_no_delete")
    book.execute("UPDATE audit SET id = 9 WHERE id = 2")  # alice's second row after her third
    assert audit.verify(book) == (1, 3, "does not follow the row before it (a row was removed or reordered)")
    book.execute("DELETE FROM audit WHERE id = 9")
    assert audit.verify(book) == (1, 3, "does not follow the row before it (a row was removed or reordered)")


def test_rows_before_schema_20_stay_one_chain_that_every_actors_chain_starts_from(tmp_path):
    from arctui.store.migrations import MIGRATIONS, migrate

    db = sqlite_utils.Database(sqlite3.connect(tmp_path / "v19.db", isolation_level=None))
    for step in MIGRATIONS[:19]:
        step(db)
    db.execute("PRAGMA user_version = 19")
    for actor in ("alice", "bob"):  # the single chain of schema 19: bob's row follows alice's
        audit.append(db, at="t", actor=actor, action="note", entity="customers")
    migrate(db)
    for actor in ("bob", "carol", "alice"):
        audit.append(db, at="u", actor=actor, action="note", entity="customers")
    assert audit.verify(db) == (5, None, None)
    assert audit.chain_head(db, "dave") == db.execute("SELECT hash FROM audit WHERE id = 2").fetchone()[0]
    db.execute("DROP TRIGGER audit_no_delete")
    db.execute("DELETE FROM audit WHERE id = 2")  # the old chain's last row
    assert audit.verify(db) == (1, 3, "does not follow the row before it (a row was removed or reordered)")
