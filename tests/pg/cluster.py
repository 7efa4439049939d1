"""Throwaway PostgreSQL servers for the tests: one server, or a primary with a synchronous standby.

Real servers from the installed binaries (``initdb`` + ``pg_ctl``), each in a temp directory on
127.0.0.1 and a free port, fsync on, removed at the end whatever happens. PostgreSQL refuses to
run as root, and the tests (CI too) run as root: then every server command runs as the
package's ``postgres`` login through ``runuser``. A server that cannot start raises
``ServerError`` with the tail of its log, for the fixture to fail the run with (never a skip).
"""

import contextlib
import itertools
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg

SUPERUSER = "postgres"
STANDBY_NAME = "standby1"
WAIT_SECONDS = 60  # how long a server may take to start, promote or catch up on a loaded 2-core machine


class ServerError(RuntimeError):
    """A server that could not be set up, started, promoted or stopped."""


def bin_dir() -> Path:
    """The newest installed PostgreSQL's bin directory (``/usr/lib/postgresql/<major>/bin``)."""
    found = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / "initdb").exists()]
    if not found:
        raise ServerError(
            "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin: install them (apt-get install postgresql)"
        )
    return max(found, key=lambda p: int(re.sub(r"\D", "", p.parent.name) or 0))


def _as_server_login(argv: list[str]) -> list[str]:
    """``argv`` run as the ``postgres`` login when we are root (the server refuses root), else as we are."""
    return ["runuser", "-u", SUPERUSER, "--", *argv] if os.geteuid() == 0 else argv


def _tool(name: str) -> str:
    """One of the server's programs (``pg_ctl``, ``initdb``…)."""
    return str(bin_dir() / name)


def _run(argv: list[str], what: str, log: Path | None = None) -> None:
    """Run ``argv`` as the server's login."""
    done = subprocess.run(_as_server_login(argv), capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if done.returncode:
        tail = log_tail(log) if log else ""
        raise ServerError(f"{what} failed (exit {done.returncode}): {done.stderr.strip()}\n{tail}")


def log_tail(log: Path, lines: int = 30) -> str:
    """The last lines of a server log, to put in a failure message."""
    try:
        text = log.read_text(errors="replace").splitlines()[-lines:]
    except OSError as error:
        return f"(no server log: {error})"
    return f"--- last lines of {log} ---\n" + "\n".join(text)


def free_port() -> int:
    """A TCP port nobody listens on at 127.0.0.1 now (the server binds it a moment later)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_dir(parent: Path, name: str) -> Path:
    """An empty directory under ``parent`` that the server's login owns."""
    path = parent / name
    path.mkdir(mode=0o700)
    if os.geteuid() == 0:
        try:
            entry = pwd.getpwnam(SUPERUSER)
        except KeyError:
            raise ServerError(f"no {SUPERUSER} login to run the server as (the postgresql package makes it)") from None
        os.chown(path, entry.pw_uid, entry.pw_gid)
    return path


class Server:
    """One PostgreSQL server: its data directory, port and log, and how to start, kill, promote it."""

    def __init__(self, home: Path, name: str):
        self.home = home
        self.data = home / name
        self.log = home / f"{name}.log"
        self.port = 0
        self._names = itertools.count(1)

    def url(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def configure(self, **settings: object) -> None:
        """Append settings to postgresql.conf (a later line wins), before the next start."""
        with (self.data / "postgresql.conf").open("a") as conf:  # appending keeps the server login's ownership
            conf.writelines(f"{key} = '{value}'\n" for key, value in settings.items())

    def start(self) -> None:
        """Start on a free port and wait until it accepts connections; one retry if the port was taken."""
        for attempt in (1, 2):
            self.port = free_port()
            self.configure(port=self.port)
            try:
                _run(
                    [
                        _tool("pg_ctl"),
                        "start",
                        "-w",
                        "-t",
                        str(WAIT_SECONDS),
                        "-D",
                        str(self.data),
                        "-l",
                        str(self.log),
                    ],
                    "starting PostgreSQL",
                    self.log,
                )
                return
            except ServerError:
                if attempt == 2 or "Address already in use" not in log_tail(self.log):
                    raise

    def pid(self) -> int:
        """The postmaster's process id (the first line of postmaster.pid)."""
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def kill(self) -> None:
        """SIGKILL the postmaster and every backend it started: the machine is gone, nothing is flushed
        or shut down cleanly."""
        pid = self.pid()
        if not _running(pid, self.data):  # killed already: postmaster.pid is stale, its pid may be another's now
            return
        children = _children(pid)
        os.kill(pid, signal.SIGKILL)
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
        _wait_gone(pid, self.data)

    def promote(self) -> None:
        """Make a standby the primary and wait until it accepts writes."""
        _run(
            [_tool("pg_ctl"), "promote", "-w", "-t", str(WAIT_SECONDS), "-D", str(self.data)],
            "promoting the standby",
            self.log,
        )

    def stop(self) -> None:
        """Stop now (immediate mode: the data is thrown away next); kill it if pg_ctl cannot."""
        if not (self.data / "postmaster.pid").exists():
            return
        try:
            _run([_tool("pg_ctl"), "stop", "-m", "immediate", "-w", "-D", str(self.data)], "stopping PostgreSQL")
        except ServerError:
            with contextlib.suppress(OSError, ValueError):
                self.kill()

    def base_backup(self, name: str) -> Path:
        """A base backup as docs/shared-server.md takes it (tar, gzip, its WAL streamed in); its folder."""
        folder = self.home / name
        options = f"-h 127.0.0.1 -p {self.port} -U {SUPERUSER} -Ft -z -X stream -c fast"
        _run([_tool("pg_basebackup"), *options.split(), "-D", str(folder)], "pg_basebackup", self.log)
        return folder

    def archive_now(self) -> None:
        """Close the WAL segment being written and wait until the archiver has copied it."""
        segment = self.execute("SELECT pg_walfile_name(pg_switch_wal())")[0][0]
        archived = "SELECT 1 FROM pg_stat_archiver WHERE last_archived_wal >= %s"
        _wait_until(lambda: self.execute(archived, params=[segment]), f"WAL segment {segment} archived", self.log)

    def execute(self, sql: str, database: str = "postgres", params=None) -> list[tuple]:
        """Run one statement as the superuser outside a transaction (CREATE DATABASE, CREATE ROLE); its rows."""
        with psycopg.connect(self.url(database), autocommit=True) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def create_database(self, hint: str = "book") -> str:
        """A new empty database (a name made from ``hint``, unique on this server); its URL."""
        name = f"{re.sub(r'[^a-z0-9_]', '_', hint.lower())[:40]}_{next(self._names)}"
        self.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (read from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            # the field after the parenthesised command name: state, then the parent's pid
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(stat.parent.name))
    return found


def _running(pid: int, data: Path) -> bool:
    """Whether ``pid`` is a live postmaster of ``data`` (a zombie, waiting for init to reap it, has no command line)."""
    try:
        return str(data).encode() in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _wait_gone(pid: int, data: Path) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while _running(pid, data) and time.monotonic() < deadline:
        time.sleep(0.05)


def _initdb(server: Server) -> None:
    options = f"-U {SUPERUSER} -A trust -E UTF8 --locale C --no-sync"
    _run([_tool("initdb"), *options.split(), "-D", str(server.data)], "initdb")
    # one socket directory of its own (the system's /var/run/postgresql may not exist); TCP on loopback only
    server.configure(
        listen_addresses="127.0.0.1",
        unix_socket_directories=str(server.home),
        fsync="on",
        synchronous_commit="on",
        max_connections=200,
        shared_buffers="32MB",
        log_min_messages="warning",
    )
    hba = "host all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\nlocal all all trust\n"
    (server.data / "pg_hba.conf").write_text(hba)


@contextlib.contextmanager
def _home() -> Iterator[Path]:
    """A temp directory the server's login can enter, removed at the end: under /tmp, not $TMPDIR, which may
    be root's own (0700) and too long a path for the server's socket (107 bytes at most)."""
    home = Path(tempfile.mkdtemp(prefix="arctui-pg-", dir="/tmp"))
    try:
        home.chmod(0o755)
        yield _server_dir(home, "run")
    finally:
        shutil.rmtree(home, ignore_errors=True)


@contextlib.contextmanager
def server(archive: bool = False, **settings: object) -> Iterator[Server]:
    """One running server (``settings``: more postgresql.conf lines), stopped and removed at the end
    (even on failure). With ``archive`` it archives its WAL into ``home/archive`` with the runbook's
    ``archive_command``."""
    with _home() as home:
        one = Server(home, "data")
        try:
            _initdb(one)
            if archive:
                folder = _server_dir(home, "archive")
                command = f"test ! -f {folder}/%f && cp %p {folder}/%f"
                settings = {**settings, "archive_mode": "on", "archive_command": command}
            one.configure(**settings)
            one.start()
            yield one
        finally:
            one.stop()


@contextlib.contextmanager
def primary_and_standby() -> Iterator[tuple[Server, Server]]:
    """A primary and a streaming standby it waits for on every commit (``synchronous_standby_names``):
    a commit acknowledged to a client is on both. Both stopped and removed at the end."""
    with _home() as home:
        primary, standby = Server(home, "primary"), Server(home, "standby")
        try:
            _initdb(primary)
            primary.configure(synchronous_standby_names=STANDBY_NAME, wal_level="replica")
            primary.start()
            # -R writes primary_conninfo (with the application_name the primary waits for) and standby.signal
            options = f"-h 127.0.0.1 -p {primary.port} -U {SUPERUSER} -R -X stream -c fast --no-sync"
            application = f"application_name={STANDBY_NAME}"
            _run(
                [_tool("pg_basebackup"), *options.split(), "-d", application, "-D", str(standby.data)], "pg_basebackup"
            )
            standby.configure(synchronous_standby_names="")  # once promoted, it has no standby to wait for
            standby.start()
            _wait_sync(primary)
            yield primary, standby
        finally:
            standby.stop()
            primary.stop()


def _wait_sync(primary: Server) -> None:
    """Wait until the primary sees the standby streaming as its synchronous standby."""
    query = f"SELECT 1 FROM pg_stat_replication WHERE application_name = '{STANDBY_NAME}' AND sync_state = 'sync'"
    _wait_until(lambda: primary.execute(query), "the standby streaming synchronously", primary.log)


def _wait_until(condition, what: str, log: Path) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise ServerError(f"waited {WAIT_SECONDS} s in vain for {what}\n{log_tail(log)}")
        time.sleep(0.05)


@contextlib.contextmanager
def restored(source: Server, backup: Path, target_time: str) -> Iterator[Server]:
    """A new server restored as docs/shared-server.md restores: ``backup`` unpacked, then ``source``'s
    archived WAL replayed up to ``target_time`` and promoted. Stopped at the end."""
    one = Server(source.home, "restored")
    _server_dir(source.home, "restored")
    try:
        _run(["tar", "-xzf", str(backup / "base.tar.gz"), "-C", str(one.data)], "unpacking the base backup")
        _run(["tar", "-xzf", str(backup / "pg_wal.tar.gz"), "-C", str(one.data / "pg_wal")], "unpacking its WAL")
        one.configure(
            restore_command=f"cp {source.home / 'archive'}/%f %p",
            recovery_target_time=target_time,
            recovery_target_action="promote",
            archive_mode="off",
        )
        (one.data / "recovery.signal").touch()
        one.start()
        _wait_until(lambda: not one.execute("SELECT pg_is_in_recovery()")[0][0], "the end of recovery", one.log)
        yield one
    finally:
        one.stop()
