"""Roles and identity on a PostgreSQL book (issue 15, item 2), against a real server.

Each collector connects as their own role, a member of ``arctui_collectors``; the server, not
arctui, refuses what that role may not do to the audit trail, whatever client it uses (here
psycopg, as ``psql`` would). The acting login is the role the server authenticated: LOGNAME,
USER and ``--user`` do not change it. The team's lead adding a collector makes their role.
"""

import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest

from arctui.services.accounts import save_collector
from arctui.services.context import Context, fixed_clock
from arctui.store import audit
from arctui.store.connection import BookBusy, connect, write
from arctui.store.read.identity import COLLECTORS_GROUP as GROUP
from tests.enrol import first_lead
from tests.pg import cluster
from tests.proof.book import TODAY, make_book, script_env

CUSTOMERS = Path(__file__).parents[1] / "imports" / "data" / "customers.csv"
# logins of this module's own: roles are server-wide, and other modules' books have an alice and a lead
LEAD, ROSA, OMAR, NEWCOMER = "roles_lena", "roles_rosa", "roles_omar", "roles_nadia"


class Book:
    """A PostgreSQL book with a lead and two collectors, and how to reach it as each."""

    def __init__(self, server: cluster.Server, url: str):
        self.server, self.url = server, url
        self.name = url.rsplit("/", 1)[-1]

    def url_as(self, role: str) -> str:
        return self.server.url(self.name, role)

    def owner(self):
        return connect(self.url)

    def trail(self) -> tuple[int, int | None]:
        """(audit rows, id of the first bad row or None): what a refused attack must leave as it was."""
        db = self.owner()
        try:
            checked, bad, _ = audit.verify(db)
            return checked, bad
        finally:
            db.close()


@pytest.fixture(scope="module")
def book(pg_server: cluster.Server, pg_url: str) -> Book:
    """Made and migrated by the server's superuser (the book's owner here); the lead added as a
    test book's first lead is, then the lead adds two collectors through the service."""
    db = connect(pg_url, create=True)
    try:
        lead = first_lead(db, fixed_clock(TODAY), login=LEAD, name="Lena Lead", memo_limit_cents=1_000_000)
        save_collector(lead, ROSA, "Rosa Ruiz")
        save_collector(lead, OMAR, "Omar Okafor")
    finally:
        db.close()
    return Book(pg_server, pg_url)


def arctui(*args, **env) -> subprocess.CompletedProcess:
    """The installed ``arctui`` in a process of its own, as this Unix login (root in CI)."""
    return subprocess.run(
        [shutil.which("arctui"), *args], capture_output=True, text=True, env=script_env(**env), timeout=120
    )


def test_every_collector_the_team_adds_has_a_login_role_in_the_group(book):
    members = book.server.execute(
        "SELECT u.rolname, u.rolcanlogin FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
        " JOIN pg_roles u ON u.oid = m.member WHERE g.rolname = %s AND u.rolname = ANY(%s) ORDER BY u.rolname",
        params=[GROUP, [LEAD, ROSA, OMAR]],
    )
    assert members == [(LEAD, True), (OMAR, True), (ROSA, True)]


@pytest.mark.parametrize(
    "attack",
    [
        "UPDATE audit SET actor = 'someone else'",
        "DELETE FROM audit",
        "TRUNCATE audit",
        "ALTER TABLE audit DISABLE TRIGGER ALL",
        "DROP TABLE audit",
        f"INSERT INTO audit (at, actor, action, entity, prev_hash, hash) SELECT '2026-11-23T09:00:00Z', '{LEAD}',"
        " 'collector.save', 'collectors', hash, repeat('0', 64) FROM audit ORDER BY id DESC LIMIT 1",
        f"SET ROLE {LEAD}",
        f"SET SESSION AUTHORIZATION {LEAD}",
        "CREATE TABLE shadow (id integer)",
        "UPDATE arctui_schema SET version = version - 1",
        f"UPDATE audit_chains SET hash = repeat('0', 64) WHERE actor = '{ROSA}'",
        "DELETE FROM audit_chains",
        "UPDATE audit_chain_start SET after_id = 0",
    ],
    ids=["update", "delete", "truncate", "disable-triggers", "drop-table", "row-in-the-lead's-name",
         "set-role", "session-authorization", "create-table", "schema-version", "move-a-chain-head",
         "drop-the-chain-heads", "move-the-chains-start"],
)  # fmt: skip
def test_a_collector_role_is_refused_by_the_server(book, attack):
    before = book.trail()
    with psycopg.connect(book.url_as(ROSA), autocommit=True) as conn, pytest.raises(psycopg.Error) as refused:
        conn.execute(attack)
    assert refused.value.sqlstate == "42501", refused.value  # insufficient_privilege
    assert book.trail() == before
    assert before[1] is None  # the chain still verifies


def test_a_collector_role_cannot_drop_any_audit_trigger(book):
    triggers = [
        name
        for (name,) in book.server.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit'::regclass AND NOT tgisinternal ORDER BY tgname",
            book.name,
        )
    ]
    assert "audit_actor_is_session_user" in triggers and len(triggers) >= 3  # the append-only ones, and the actor's
    with psycopg.connect(book.url_as(ROSA), autocommit=True) as conn:
        for trigger in triggers:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"DROP TRIGGER {trigger} ON audit")
    assert book.server.execute("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'audit'::regclass", book.name)[0][0]


def test_the_connected_role_acts_whatever_login_or_user_say(book):
    spoof = {"LOGNAME": LEAD, "USER": LEAD}
    named = arctui("--user", LEAD, "team", "save", OMAR, "--name", "Omar O.", "--db", book.url_as(ROSA), **spoof)
    assert named.returncode == 1 and "Traceback" not in named.stderr, named.stderr
    assert f"you are logged in as {ROSA}" in named.stderr and f"not as {LEAD}" in named.stderr
    # without --user: Rosa acts as Rosa (a collector changing a colleague is refused), not as the lead LOGNAME names
    as_lead = arctui("team", "save", OMAR, "--name", "Omar O.", "--db", book.url_as(ROSA), **spoof)
    assert as_lead.returncode == 1 and ROSA in as_lead.stderr and "Traceback" not in as_lead.stderr
    own = arctui("team", "save", ROSA, "--name", "Rosa R.", "--db", book.url_as(ROSA), **spoof)
    assert own.returncode == 0, own.stderr
    db = book.owner()
    try:
        saves = db.execute(
            "SELECT actor, entity_id FROM audit WHERE action = 'collector.save' AND entity_id IN (?, ?) ORDER BY id",
            [ROSA, OMAR],
        ).fetchall()
        name = db.execute("SELECT name FROM collectors WHERE id = ?", [OMAR]).fetchone()[0]
    finally:
        db.close()
    assert saves == [(LEAD, ROSA), (LEAD, OMAR), (ROSA, ROSA)]  # the lead added both; Rosa changed her own name
    assert name == "Omar Okafor"


def test_a_role_in_the_group_that_is_no_collector_acts_as_itself_too(book):
    """A robot's role in the collectors' group: the server refuses its audit rows in anyone else's name, so
    ``--user`` naming a collector is refused up front, in one line, as for a collector."""
    robot = "roles_robot"
    book.server.execute(f"CREATE ROLE {robot} LOGIN IN ROLE {GROUP}")
    before = book.trail()
    named = arctui("--user", LEAD, "team", "save", OMAR, "--name", "Omar O.", "--db", book.url_as(robot))
    assert named.returncode == 1 and "Traceback" not in named.stderr, named.stderr
    assert f"you are logged in as {robot}" in named.stderr and f"not as {LEAD}" in named.stderr
    assert book.trail() == before


def test_a_collector_waiting_behind_anothers_write_is_told_who_holds_the_book(book):
    """A collector's role sees little of other roles' sessions (pg_stat_activity hides their times): a write that
    waited out its busy timeout behind the lead's still says who holds the book and what they are doing."""
    lead, waiting = connect(book.url_as(LEAD)), connect(book.url_as(ROSA), busy_timeout=0.5)
    try:
        busy = f"the book is busy: {LEAD} has been importing invoices.csv since"
        with write(lead, what="importing invoices.csv"), pytest.raises(BookBusy, match=busy):
            save_collector(Context(waiting, ROSA, fixed_clock(TODAY)), ROSA, "Rosa Ruiz")
    finally:
        waiting.close()
        lead.close()


def test_the_lead_adding_a_collector_makes_their_role_from_the_leads_own_session(book):
    added = arctui("team", "save", NEWCOMER, "--name", "Nadia N.", "--db", book.url_as(LEAD))
    assert added.returncode == 0, added.stderr
    with psycopg.connect(book.url_as(NEWCOMER)) as conn:
        assert conn.execute("SELECT session_user, pg_has_role(session_user, %s, 'MEMBER')", [GROUP]).fetchone() == (
            NEWCOMER,
            True,
        )


def test_a_deactivated_collector_can_no_longer_log_in(book):
    book.server.execute(f"UPDATE collectors SET active = 0 WHERE id = '{OMAR}'", book.name)
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        psycopg.connect(book.url_as(OMAR)).close()


def test_only_the_databases_owner_starts_a_team_whatever_the_clients_uid(book):
    """On a SQLite book root (or the file's owner) may run ``init --manager``; on PostgreSQL the uid of the
    client is nothing to the server: only the database's owner role or a superuser may (here the tests run as root)."""
    refused = arctui("init", "--manager", ROSA, "--db", book.url_as(ROSA))
    assert refused.returncode == 1, refused.stderr
    assert f"{ROSA} does not own the database: only its owner (role postgres) or a superuser" in refused.stderr
    db = book.owner()
    try:
        assert db.execute("SELECT role FROM collectors WHERE id = ?", [ROSA]).fetchone()[0] == "collector"
    finally:
        db.close()


OWNER = "roles_owner"  # the runbook's owner: CREATEROLE, no superuser


def closed_database(server: cluster.Server, name: str) -> None:
    """The runbook's database: owned by ``OWNER``, closed to PUBLIC."""
    server.execute(f"CREATE DATABASE {name} OWNER {OWNER}")
    server.execute(f"REVOKE ALL ON DATABASE {name} FROM PUBLIC")


def run_as(server: cluster.Server, database: str, steps: list[tuple]) -> subprocess.CompletedProcess:
    """Each step (role, arctui arguments…) on ``database`` as that role, each a success; the last one's result."""
    for role, *args in steps:
        done = arctui(*args, "--db", server.url(database, role))
        assert done.returncode == 0, (role, args, done.stderr)
    return done


@pytest.fixture(scope="module")
def owner(pg_server: cluster.Server) -> str:
    pg_server.execute(f"CREATE ROLE {OWNER} LOGIN CREATEROLE")
    return OWNER


def test_the_runbooks_setup_with_an_owner_that_is_no_superuser(pg_server, owner):
    """docs/shared-server.md's steps: an owner role with CREATEROLE only, its database closed to PUBLIC, the
    first manager named by the owner, a collector added by the manager who imports and works; a role outside the
    team cannot connect."""
    manager, collector, stranger = "roles_maria", "roles_ali", "roles_stranger"
    pg_server.execute(f"CREATE ROLE {stranger} LOGIN")
    closed_database(pg_server, "roles_ar")
    done = run_as(
        pg_server,
        "roles_ar",
        [
            (owner, "init", "--manager", manager, "--name", "Maria Lopez", "--limit", "25,000.00"),
            (manager, "team", "save", collector, "--name", "Ali Khan"),
            (collector, "import", "customers", str(CUSTOMERS)),  # stages its rows in temporary tables
            (collector, "queue"),
            (collector, "audit", "verify"),
        ],
    )
    assert "audit chain ok: 3 rows verified" in done.stdout
    shut_out = arctui("queue", "--db", pg_server.url("roles_ar", stranger))
    assert shut_out.returncode == 1 and "permission denied for database" in shut_out.stderr, shut_out.stderr
    assert "Traceback" not in shut_out.stderr


def test_the_runbooks_move_of_a_sqlite_book_by_an_owner_that_is_no_superuser(pg_server, owner, tmp_path):
    """The runbook's other way in: the team's SQLite book moved by the owner; its collectors connect as
    themselves and find their work there."""
    book = make_book(tmp_path / "ar.db", collectors=2, customers=4, invoices_per_customer=1)
    closed_database(pg_server, "roles_moved")
    moved = arctui("migrate", "--db", str(book), "--to", pg_server.url("roles_moved", owner))
    assert moved.returncode == 0, moved.stderr
    done = run_as(pg_server, "roles_moved", [("w01", "queue"), ("w02", "audit", "verify")])
    assert "audit chain ok: 3 rows verified" in done.stdout
