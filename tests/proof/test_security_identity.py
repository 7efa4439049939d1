"""Security on a shared server, identity and the audit trail (issue 10, items 1-3), end to end
in real processes on real files: the acting login is the real uid's whatever LOGNAME/USER
say; nobody grants themselves authority (no self-promotion, no own limit, no --user for a
known login, active or not; the first manager only by the file's owner or root); the audit
trail refuses a forged row over an existing one, and an anchor kept outside the file
catches rows dropped (or rewritten) behind the triggers' back.

Where the machine allows it (root, as in CI), the identity proofs also run ``arctui`` as a
second real Unix login, ``arctui-proof`` (made with ``useradd`` when missing), on a book in a
setgid folder of that login's group, as collectors share one on the server. The venv's
interpreter may be out of that login's reach (here it lives under /root, mode 0700): then a
system Python of the same version runs arctui from the venv's site-packages, and where there
is none those proofs are skipped with the reason."""

import os
import pwd
import shutil
import sqlite3
import subprocess
import sys
import sysconfig
import tempfile
from datetime import date
from pathlib import Path

import pytest

from arctui.commands.common import open_context
from arctui.services import disputes, promises
from arctui.services.accounts import save_collector
from arctui.services.context import Context, fixed_clock, os_login
from arctui.services.touchpoints import log_touchpoint
from arctui.store import audit
from arctui.store.connection import connect
from tests.proof.book import TODAY, make_book, script_env

ARCTUI = shutil.which("arctui")
SECOND = "arctui-proof"
SITE = sysconfig.get_paths()["purelib"]
# ``arctui`` as a module run by any Python of ours: the venv's site-packages (and its .pth
# files: the editable install, the bundled plugins) first
LAUNCH = (
    f"import site, sys; site.addsitedir({SITE!r}); sys.argv[0] = 'arctui'; "
    "from arctui.cli import main; sys.exit(main())"
)
HUGE = "999,999.99"


def arctui(*args, **env) -> subprocess.CompletedProcess:
    """The installed ``arctui`` in a process of its own, as this login."""
    return subprocess.run([ARCTUI, *map(str, args)], capture_output=True, text=True, env=script_env(**env), timeout=120)


def one_line_error(result: subprocess.CompletedProcess) -> str:
    """What a refused command said: exit 1, one line on stderr, no traceback."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def state(path) -> tuple:
    """The team and the audit trail as they stand: what a refusal must leave as it was."""
    db = connect(path)
    try:
        team = db.execute("SELECT id, role, memo_limit_cents, active, version FROM collectors ORDER BY id").fetchall()
        trail = db.execute("SELECT count(*), max(id) FROM audit").fetchone()
        return team, trail
    finally:
        db.close()


def actors(path, action: str) -> list[str]:
    db = connect(path)
    try:
        return [r[0] for r in db.execute("SELECT actor FROM audit WHERE action = ? ORDER BY id", [action])]
    finally:
        db.close()


def invoices_file(folder: Path, number: str) -> Path:
    path = folder / f"{number}.csv"
    path.write_text(f"number,account_no,issue_date,amount\n{number},A0001,2026-11-01,10.00\n")
    return path


# ---- a second real Unix login ----------------------------------------------------------------


class SecondUser:
    """``arctui-proof``: runs ``arctui`` as that login, with its own home and a clean folder."""

    def __init__(self, name: str, python: str, home: Path):
        entry = pwd.getpwnam(name)
        self.name, self.uid, self.gid, self.python, self.home = name, entry.pw_uid, entry.pw_gid, python, home

    def arctui(self, *args, **env) -> subprocess.CompletedProcess:
        return subprocess.run(
            [self.python, "-c", LAUNCH, *map(str, args)],
            capture_output=True,
            text=True,
            cwd=self.home,
            user=self.uid,
            group=self.gid,
            extra_groups=[],
            env=script_env(HOME=self.home, **env),
            timeout=120,
        )


def _python_for(uid: int, gid: int, home: Path) -> tuple[str | None, list[str]]:
    """A Python of this version that ``uid`` may run and that imports arctui from the venv."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    candidates = [
        sys.executable,
        os.path.realpath(sys.executable),
        f"/usr/bin/python{version}",
        "/usr/local/bin/python3",
    ]
    probe = (
        f"import site, sys; site.addsitedir({SITE!r}); assert sys.version.startswith('{version}.'); import arctui.cli"
    )
    tried = []
    for python in dict.fromkeys(candidates):
        if not os.path.exists(python):
            continue
        try:
            result = subprocess.run(
                [python, "-c", probe],
                capture_output=True,
                text=True,
                cwd=home,
                user=uid,
                group=gid,
                extra_groups=[],
                env=script_env(HOME=home),
                timeout=60,
            )
        except OSError as exc:  # not even executable by that login
            tried.append(f"{python}: {exc.strerror}")
            continue
        if result.returncode == 0:
            return python, tried
        tried.append(f"{python}: {(result.stderr.strip().splitlines() or ['fails'])[-1]}")
    return None, tried


@pytest.fixture(scope="module")
def shared_folder():
    """A folder under /tmp every login of the test may reach (pytest's own is root's, 0700)."""
    folder = Path(tempfile.mkdtemp(prefix="arctui-identity-", dir="/tmp"))
    os.chmod(folder, 0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def second_user(shared_folder) -> SecondUser:
    if os.geteuid() != 0:
        pytest.skip("running arctui as a second Unix login needs root to create it and switch to it")
    try:
        pwd.getpwnam(SECOND)
    except KeyError:
        made = subprocess.run(
            ["useradd", "--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", SECOND],
            capture_output=True,
            text=True,
        )
        if made.returncode != 0:
            pytest.skip(f"useradd {SECOND} failed: {made.stderr.strip()}")
    entry = pwd.getpwnam(SECOND)
    home = shared_folder / "home"
    home.mkdir()
    os.chown(home, entry.pw_uid, entry.pw_gid)
    os.chmod(home, 0o700)
    python, tried = _python_for(entry.pw_uid, entry.pw_gid, home)
    if python is None:
        pytest.skip(
            f"no Python {sys.version_info.major}.{sys.version_info.minor} that {SECOND} may run: {'; '.join(tried)}"
        )
    return SecondUser(SECOND, python, home)


@pytest.fixture
def team_folder(shared_folder, second_user, request):
    """The team's folder: root-owned, setgid, of the second login's group, closed to others
    (as docs/shared-server.md sets up /srv/arctui)."""
    folder = shared_folder / request.node.name[:40]
    folder.mkdir()
    os.chown(folder, 0, second_user.gid)
    os.chmod(folder, 0o2770)
    return folder


def team_book(folder: Path, *members: tuple[str, int]) -> Path:
    """A proof book (its manager ``lead``, collectors w01, w02) with ``members`` added by the
    lead as collectors (login, memo limit)."""
    path = make_book(folder / "book.db", collectors=2, customers=2, invoices_per_customer=1)
    db = connect(path)
    lead = Context(db, "lead", fixed_clock(TODAY))
    for login, limit in members:
        save_collector(lead, login, f"Collector {login}", memo_limit_cents=limit)
    db.close()
    return path


# ---- 1. identity: the real uid, never LOGNAME / USER ---------------------------------------


def test_logname_and_user_do_not_change_the_audit_actor(tmp_path):
    """Run by this login (no collector here) with LOGNAME=lead USER=lead: the import's audit
    row names the real login, and a lead's action is refused as that login."""
    me = os_login()
    path = team_book(tmp_path)
    spoofed = arctui("import", "invoices", invoices_file(tmp_path, "INV-S1"), "--db", path, LOGNAME="lead", USER="lead")
    assert spoofed.returncode == 0, spoofed.stderr
    assert actors(path, "import.invoices") == [me]
    before = state(path)
    raised = arctui("team", "save", "w01", "--name", "W", "--limit", HUGE, "--db", path, LOGNAME="lead", USER="lead")
    assert one_line_error(raised) == f"Error: {me} is not a lead or manager: only they add or change collectors"
    assert state(path) == before


def test_the_console_and_scripts_take_the_same_path(tmp_path, monkeypatch):
    """The console opens its book with ``open_context`` (as every command does), a script
    with ``arctui.api.open_book``: both act as the real uid's login."""
    from arctui import api

    monkeypatch.setenv("LOGNAME", "lead")
    monkeypatch.setenv("USER", "lead")
    path = team_book(tmp_path)
    for book in (open_context(str(path)), api.open_book(path)):
        assert book.user == pwd.getpwuid(os.getuid()).pw_name
        book.db.close()


def test_a_collector_calling_themselves_lead_raises_nothing(team_folder, second_user):
    """The issue's attack: collector ``arctui-proof`` runs ``LOGNAME=lead arctui team save``
    on their own record (and a colleague's) with a huge limit: refused as themselves, nothing
    changed; what they may do (an import) is audited under their own login."""
    me = second_user.name
    path = team_book(team_folder, (me, 50_000))
    before = state(path)
    spoof = {"LOGNAME": "lead", "USER": "lead"}
    own = second_user.arctui("team", "save", me, "--name", "Me", "--limit", HUGE, "--db", path, **spoof)
    assert one_line_error(own) == f"Error: {me}: nobody changes their own authority limit or role"
    other = second_user.arctui("team", "save", "w01", "--name", "W", "--limit", HUGE, "--db", path, **spoof)
    assert one_line_error(other) == f"Error: {me} is not a lead or manager: only they add or change collectors"
    assert state(path) == before
    csv = invoices_file(second_user.home, "INV-P1")
    allowed = second_user.arctui("import", "invoices", csv, "--db", path, **spoof)
    assert allowed.returncode == 0, allowed.stderr
    assert actors(path, "import.invoices") == [me]


# ---- 2. self-promotion ----------------------------------------------------------------------


def test_a_collector_cannot_raise_their_own_limit_or_role(tmp_path):
    me = os_login()
    path = team_book(tmp_path, (me, 50_000))
    before = state(path)
    for extra in (["--limit", HUGE], ["--limit", "500", "--role", "manager"]):
        result = arctui("team", "save", me, "--name", "Me", *extra, "--db", path)
        assert one_line_error(result) == f"Error: {me}: nobody changes their own authority limit or role"
    assert state(path) == before


def test_a_login_not_in_the_team_cannot_enter_itself(tmp_path):
    me = os_login()
    path = team_book(tmp_path)
    before = state(path)
    result = arctui("team", "save", me, "--name", "Me", "--role", "manager", "--limit", HUGE, "--db", path)
    assert one_line_error(result) == (
        f"Error: {me} is not in the team: a lead or manager adds you"
        " (a team with none yet: the database file's owner runs `arctui init --manager LOGIN`)"
    )
    assert state(path) == before


def test_a_team_without_a_lead_is_started_only_by_init(tmp_path):
    path = tmp_path / "new.db"
    connect(path, create=True).close()
    as_w01 = arctui("--user", "w01", "team", "save", "w01", "--name", "W", "--role", "manager", "--db", path)
    assert one_line_error(as_w01) == (
        "Error: w01 is not in the team: a lead or manager adds you"
        " (a team with none yet: the database file's owner runs `arctui init --manager LOGIN`)"
    )
    anyone = arctui("team", "save", "w01", "--name", "W", "--role", "manager", "--limit", HUGE, "--db", path)
    assert one_line_error(anyone) == (
        "Error: this team has no lead or manager yet, and only they add or change collectors:"
        " the database file's owner starts the team with `arctui init --manager LOGIN`"
    )
    assert state(path) == ([], (0, None))
    started = arctui("init", "--manager", "maria", "--db", path)
    assert started.returncode == 0, started.stderr
    assert state(path)[0] == [("maria", "manager", 0, 1, 1)]
    assert actors(path, "collector.init") == [os_login()]
    again = arctui("init", "--manager", "w01", "--db", path)
    assert "the team already has a lead or manager (maria)" in one_line_error(again)


@pytest.mark.parametrize("active", [1, 0], ids=["active", "deactivated"])
def test_a_known_login_never_names_someone_else(tmp_path, active):
    """``--user`` is only for a login that is no collector: a collector, active or
    deactivated, naming the lead is refused as themselves, and nothing changes."""
    me = os_login()
    path = team_book(tmp_path, (me, 50_000))
    db = connect(path)
    db.execute("UPDATE collectors SET active = ? WHERE id = ?", [active, me])  # a lead deactivated them
    db.close()
    before = state(path)
    result = arctui("--user", "lead", "team", "save", "w01", "--name", "W", "--limit", HUGE, "--db", path)
    assert one_line_error(result) == (
        f"Error: you are logged in as {me}, a collector in this book: you act as yourself, not as lead"
        " (--user / ARCTUI_USER is only for a login that is no collector)"
    )
    assert state(path) == before


def test_a_deactivated_collector_cannot_use_user_as_a_second_login(team_folder, second_user):
    me = second_user.name
    path = team_book(team_folder, (me, 50_000))
    db = connect(path)
    db.execute("UPDATE collectors SET active = 0 WHERE id = ?", [me])
    db.close()
    before = state(path)
    for how in ({"args": ["--user", "lead"]}, {"env": {"ARCTUI_USER": "lead"}}):
        result = second_user.arctui(
            *how.get("args", []),
            "team",
            "save",
            "w01",
            "--name",
            "W",
            "--limit",
            HUGE,
            "--db",
            path,
            **how.get("env", {}),
        )
        assert f"you are logged in as {me}, a collector in this book: you act as yourself" in one_line_error(result)
    assert state(path) == before


def test_init_by_someone_who_does_not_own_the_file_is_refused(team_folder, second_user):
    """The team's file belongs to root; the second login (in the team's group, so it may
    write the file) tries to make itself the first manager: refused, nothing written. Its
    own file it may start; root may start any."""
    path = team_folder / "team.db"
    connect(path, create=True).close()
    assert os.stat(path).st_uid == 0 and os.stat(path).st_gid == second_user.gid
    result = second_user.arctui("init", "--manager", second_user.name, "--limit", HUGE, "--db", path)
    assert one_line_error(result) == (
        f"Error: {second_user.name} does not own the database file: only its owner (uid 0) or root starts the team"
    )
    assert state(path) == ([], (0, None))
    own = second_user.home / "own.db"
    started = second_user.arctui("init", "--manager", second_user.name, "--db", own)
    assert started.returncode == 0, started.stderr
    assert os.stat(own).st_uid == second_user.uid
    assert actors(own, "collector.init") == [second_user.name]
    by_root = arctui("init", "--manager", "maria", "--db", path)
    assert by_root.returncode == 0, by_root.stderr
    assert state(path)[0] == [("maria", "manager", 0, 1, 1)]


# ---- 3. audit forgery ------------------------------------------------------------------------


@pytest.fixture
def worked_book(tmp_path) -> Path:
    path = make_book(tmp_path / "book.db", collectors=2, customers=3)
    db = connect(path)
    for user in ("w01", "w02"):
        ctx = Context(db, user, fixed_clock(TODAY))
        log_touchpoint(ctx, 1, "call", "PTP", note="will pay Friday")
        promises.record_promise(ctx, 1, 120_000, date(2026, 11, 27))
        disputes.open_dispute(ctx, 2, 5_000, "pricing")
    db.close()
    return path


def trail(path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT * FROM audit ORDER BY id").fetchall()
    finally:
        conn.close()


def forged(conn, row_id: int, prev_hash: str, actor: str = "w02") -> dict:
    """Row ``row_id`` rewritten (another actor) with its hash recomputed from ``prev_hash``."""
    row = dict(conn.execute("SELECT * FROM audit WHERE id = ?", [row_id]).fetchone())
    row.update(actor=actor, prev_hash=prev_hash)
    row["hash"] = audit._digest(prev_hash, row)
    return row


def insert(conn, row: dict, verb: str = "INSERT OR REPLACE") -> None:
    conn.execute(f"{verb} INTO audit ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values()))


def hash_of(conn, row_id: int) -> str:
    return conn.execute("SELECT hash FROM audit WHERE id = ?", [row_id]).fetchone()[0]


def forgeries(conn, last: int) -> dict:
    """Each way to slip a row into the trail with SQL, the chain recomputed where it can be."""
    return {
        "INSERT OR REPLACE over the last row": lambda: insert(conn, forged(conn, last, hash_of(conn, last - 1))),
        "INSERT OR REPLACE over a middle row": lambda: insert(conn, forged(conn, 4, hash_of(conn, 3))),
        "REPLACE INTO the last row": lambda: insert(conn, forged(conn, last, hash_of(conn, last - 1)), "REPLACE"),
        "a new row chained to an older row": lambda: insert(
            conn, {**forged(conn, last, hash_of(conn, 2)), "id": last + 1}, "INSERT"
        ),
        "a new row with id -1 chained to the head": lambda: insert(
            conn, {**forged(conn, last, hash_of(conn, last)), "id": -1}, "INSERT"
        ),
    }


FORGERIES = list(forgeries(None, 0))


@pytest.mark.parametrize("forgery", FORGERIES)
def test_a_forged_audit_row_is_refused_by_the_trigger(worked_book, forgery):
    before = trail(worked_book)
    conn = sqlite3.connect(worked_book, isolation_level=None)
    conn.row_factory = sqlite3.Row
    with pytest.raises(sqlite3.IntegrityError, match="audit is append-only: a new row must follow the last one"):
        forgeries(conn, before[-1][0])[forgery]()
    conn.close()
    assert trail(worked_book) == before
    ok = arctui("audit", "verify", "--db", worked_book)
    assert ok.returncode == 0 and ok.stdout.strip() == f"audit chain ok: {len(before)} rows verified"


def test_arctui_still_appends_after_the_forgeries_are_refused(worked_book):
    db = connect(worked_book)
    rows = db["audit"].count
    log_touchpoint(Context(db, "w01", fixed_clock(TODAY)), 1, "note", "NOTE", "after the attempt")
    assert db["audit"].count == rows + 1 and audit.verify(db) == (rows + 1, None, None)
    db.close()


def drop_the_triggers(conn) -> None:
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'"):
        conn.execute(f"DROP TRIGGER [{name}]")


def test_dropping_the_triggers_and_the_last_rows_is_caught_by_the_anchor(worked_book, tmp_path):
    anchors = tmp_path / "anchors"
    anchors.mkdir(mode=0o755)
    taken = arctui("audit", "head", "--db", worked_book, "-o", anchors / "ar.anchor")
    assert taken.returncode == 0, taken.stderr
    rows, head, chains = audit.head(connect(worked_book))
    line = (anchors / "ar.anchor").read_text()
    assert line == audit.anchor_line(rows, head, chains) + "\n" and line.startswith(f"rows {rows} head {head} chains ")
    assert taken.stdout.strip() == f"{anchors / 'ar.anchor'}: {line.strip()}"
    assert arctui("audit", "head", "--db", worked_book).stdout.strip() == line.strip()

    conn = sqlite3.connect(worked_book, isolation_level=None)
    drop_the_triggers(conn)
    conn.execute("DELETE FROM audit WHERE id > ?", [rows - 2])  # the afternoon's last two actions, both w02's
    conn.close()
    plain = arctui("audit", "verify", "--db", worked_book)
    assert plain.returncode == 0, "without an anchor the shortened chain still verifies (what the anchor is for)"
    for anchor in (anchors / "ar.anchor", head):
        caught = arctui("audit", "verify", "--db", worked_book, "--anchor", anchor)
        if anchor == head:
            assert one_line_error(caught).startswith(f"Error: no audit row has the anchored hash {head[:16]}")
        else:
            assert one_line_error(caught) == (
                f"Error: audit row {rows}, the last of w02's chain when anchored, is gone (rows were deleted);"
                f" the chain's {rows - 2} rows verify, but not against the anchor"
            )


def test_rows_deleted_and_recomputed_to_the_same_count_are_caught_by_the_anchor(worked_book, tmp_path):
    anchor = tmp_path / "ar.anchor"
    assert arctui("audit", "head", "--db", worked_book, "-o", anchor).returncode == 0
    rows = audit.head(connect(worked_book)).rows
    conn = sqlite3.connect(worked_book, isolation_level=None)
    conn.row_factory = sqlite3.Row
    drop_the_triggers(conn)
    # w02's last two rows rewritten as w01's, chained to w01's last (rows - 3, its dispute)
    rewritten = [forged(conn, rows - 1, hash_of(conn, rows - 3), actor="w01")]
    rewritten.append(forged(conn, rows, rewritten[0]["hash"], actor="w01"))
    conn.execute("DELETE FROM audit WHERE id >= ?", [rows - 1])
    for row in rewritten:
        insert(conn, row, "INSERT")
    conn.close()
    assert arctui("audit", "verify", "--db", worked_book).returncode == 0  # whole, recomputed chains
    caught = arctui("audit", "verify", "--db", worked_book, "--anchor", anchor)
    assert one_line_error(caught).startswith(f"Error: audit row {rows}, the last of w02's chain when anchored, is gone")


def test_a_nightly_anchor_log_checks_every_night(worked_book, tmp_path):
    """Cron appends one line a night (with a date before it); verify checks them all."""
    log = tmp_path / "anchors.log"
    night = arctui("audit", "head", "--db", worked_book)
    log.write_text(f"2026-11-22 {night.stdout}")
    db = connect(worked_book)
    log_touchpoint(Context(db, "w02", fixed_clock(TODAY)), 1, "call", "NA")
    db.close()
    log.write_text(log.read_text() + f"2026-11-23 {arctui('audit', 'head', '--db', worked_book).stdout}")
    held = arctui("audit", "verify", "--db", worked_book, "--anchor", log)
    assert held.returncode == 0 and held.stdout.strip().endswith("; 2 anchors held")
    conn = sqlite3.connect(worked_book, isolation_level=None)
    drop_the_triggers(conn)
    conn.execute("DELETE FROM audit WHERE id = (SELECT max(id) FROM audit)")
    conn.close()
    assert "is gone" in one_line_error(arctui("audit", "verify", "--db", worked_book, "--anchor", log))


def test_head_refuses_to_anchor_a_broken_chain(worked_book):
    conn = sqlite3.connect(worked_book, isolation_level=None)
    drop_the_triggers(conn)
    conn.execute("UPDATE audit SET actor = 'w02' WHERE id = 4")
    conn.close()
    assert one_line_error(arctui("audit", "head", "--db", worked_book)).startswith(
        "Error: audit row 4 its content does not match its hash"
    )


# ---- 10. an edit that names no version ------------------------------------------------------


@pytest.fixture(scope="module")
def loaded_records(tmp_path_factory):
    """One record of each kind a person edits, as the console would have loaded it."""
    from arctui.domain.plans import equal_schedule
    from arctui.services import accounts, cash, credit_memos, plans

    path = make_book(tmp_path_factory.mktemp("versions") / "book.db", collectors=2, customers=2)
    db = connect(path)
    w01, w02 = (Context(db, user, fixed_clock(TODAY)) for user in ("w01", "w02"))
    accounts.credit_hold(w01, 2, 1, "over the limit")
    ids = {
        "draft": credit_memos.prepare_memo(w01, 1, 1_000, "PRICE", "4100", invoice_id=1, submit=False),
        "pending": credit_memos.prepare_memo(w01, 1, 100_000, "PRICE", "4100", invoice_id=1),
        "approved": credit_memos.prepare_memo(w02, 1, 1_000, "PRICE", "4100", invoice_id=2),
        "plan": plans.create_plan(w01, 1, 100_000, equal_schedule(100_000, 2, date(2026, 12, 1), "monthly"), "monthly"),
        "dispute": disputes.open_dispute(w01, 1, 5_000, "pricing"),
        "promise": promises.record_promise(w01, 1, 10_000, date(2026, 11, 30)),
        "payment": cash.record_payment(w01, 10_000, TODAY, "ach", customer_id=1),
    }
    db.close()
    return path, ids


def version_edits(ids: dict) -> dict:
    """Each public service that saves a record a person loaded, called with version None."""
    from arctui.domain.plans import equal_schedule
    from arctui.services import accounts, cash, credit_memos, plans

    return {
        "accounts.escalate": lambda w01, w02: accounts.escalate(w01, 1, "management", "call them", version=None),
        "accounts.credit_hold": lambda w01, w02: accounts.credit_hold(w01, 1, None, "over the limit"),
        "accounts.release_hold": lambda w01, w02: accounts.release_hold(w01, 2, None, "paid down"),
        "accounts.save_collector": lambda w01, w02: accounts.save_collector(
            Context(w01.db, "lead", w01.clock), "w01", "Renamed", memo_limit_cents=50_000, version=None
        ),
        "cash.apply_payment": lambda w01, w02: cash.apply_payment(w01, ids["payment"], [(1, 100)], None),
        "cash.refund_payment": lambda w01, w02: cash.refund_payment(w01, ids["payment"], 100, "overpaid", None),
        "cash.allocate_payment": lambda w01, w02: cash.allocate_payment(w01, ids["payment"], [(1, 100)], 100, "", None),
        "credit_memos.submit_memo": lambda w01, w02: credit_memos.submit_memo(w01, ids["draft"], None),
        "credit_memos.approve_memo": lambda w01, w02: credit_memos.approve_memo(w02, ids["pending"], None),
        "credit_memos.reject_memo": lambda w01, w02: credit_memos.reject_memo(w02, ids["pending"], None, "no"),
        "credit_memos.post_memo": lambda w01, w02: credit_memos.post_memo(w02, ids["approved"], None),
        "disputes.resolve_dispute": lambda w01, w02: disputes.resolve_dispute(w01, ids["dispute"], None, "withdrawn"),
        "plans.edit_plan": lambda w01, w02: plans.edit_plan(
            w01, ids["plan"], None, 100_000, equal_schedule(100_000, 4, date(2026, 12, 1), "monthly")
        ),
        "plans.cancel_plan": lambda w01, w02: plans.cancel_plan(w01, ids["plan"], None),
        "promises.cancel_promise": lambda w01, w02: promises.cancel_promise(w01, ids["promise"], None),
    }


def everything(db) -> dict:
    tables = [t for t in db.table_names() if not t.startswith("sqlite_")]
    return {t: db.execute(f"SELECT * FROM [{t}] ORDER BY rowid").fetchall() for t in tables}


@pytest.mark.parametrize("service", list(version_edits({})))
def test_an_edit_that_names_no_version_is_refused(loaded_records, service):
    """No caller skips the stale check by leaving the version out: refused, nothing written."""
    from arctui.services.errors import InvalidInput

    path, ids = loaded_records
    db = connect(path)
    w01, w02 = (Context(db, user, fixed_clock(TODAY)) for user in ("w01", "w02"))
    before = everything(db)
    with pytest.raises(InvalidInput, match=r"^version: saving \w[\w ]* \S+ needs the version you loaded"):
        version_edits(ids)[service](w01, w02)
    assert everything(db) == before
    db.close()
