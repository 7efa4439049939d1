"""Security on a shared server: files and sending (issue 10, items 6, 7 and two of 10).

The outbox folder and its ``.eml`` files are group-shared and never world-readable whatever
the umask; a save that cannot get the write lock during a long import says who holds it,
since when and what to do, and the console form keeps what the collector typed; a dunning
run where sends failed ends non-zero and counts them; an SMTP login never goes in clear to
another machine. Real processes, real files, a real SMTP server on 127.0.0.1.
"""

import json
import os
import pwd
import shutil
import socket
import sqlite3
import stat
import subprocess
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner

from arctui.cli import cli
from arctui.console.forms.touchpoint import TouchpointForm
from arctui.services.context import Context, fixed_clock
from arctui.store import connection, writing
from arctui.store.connection import BookBusy, connect, doing, write
from tests.console_forms.conftest import Driver, Host
from tests.email.conftest import SMTP_PASSWORD, SMTP_USER, Mailbox, check_login, free_port
from tests.proof.book import TODAY, make_book, script_env

ARCTUI = shutil.which("arctui")
LOGIN = pwd.getpwuid(os.getuid()).pw_name
SHORT_WAIT = 0.3  # the busy timeout of the saves made while the lock is held (30 s in use)


def arctui(*args, umask=None, **env):
    """The installed ``arctui`` command in a process of its own, as a user runs it."""
    return subprocess.run(
        [ARCTUI, *map(str, args)],
        capture_output=True,
        text=True,
        env=script_env(**env),
        timeout=120,
        preexec_fn=None if umask is None else (lambda: os.umask(umask)),
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def settings_file(folder: Path, **email) -> Path:
    """A settings file with an ``[email]`` table: a From address and ``email``'s keys."""
    path = folder / "config.toml"
    values = {"from_addr": "ar@arctui.test", "timeout": 5, **email}
    lines = [f"{k} = {v}" if isinstance(v, int) else f'{k} = "{v}"' for k, v in values.items()]
    path.write_text("[email]\n" + "\n".join(lines) + "\n")
    return path


# ---- item 6: the outbox's modes ---------------------------------------------------------------


def test_the_outbox_folder_and_its_eml_files_are_group_shared_whatever_the_umask(tmp_path):
    book = make_book(tmp_path / "book.db", collectors=2, customers=4, invoices_per_customer=1)
    outbox = tmp_path / "exports" / "outbox"
    config = settings_file(tmp_path)
    result = arctui(
        "dunning", "run", "--dry-run", "--outbox", outbox, "--db", book, "--today", TODAY, umask=0, ARCTUI_CONFIG=config
    )
    assert result.returncode == 0, result.stderr
    files = sorted(outbox.iterdir())
    assert len(files) == 4 and all(f.suffix == ".eml" for f in files)  # no part left behind
    assert mode(outbox) == 0o770
    assert {mode(f) for f in files} == {0o660}
    assert message_from_bytes(files[0].read_bytes(), policy=policy.default)["From"] == "ar@arctui.test"


def test_an_email_sent_to_the_file_outbox_is_0660_under_umask_0(tmp_path):
    book = make_book(tmp_path / "book.db", collectors=2, customers=2, invoices_per_customer=1)
    outbox = tmp_path / "outbox"
    config = settings_file(tmp_path, sender="file", outbox_dir=outbox)
    previous = os.umask(0)
    try:
        result = CliRunner().invoke(
            cli,
            ["--user", "w01", "email", "queue", "A0002", "statement", "--send", "--db", str(book)],
            env={"ARCTUI_CONFIG": str(config)},
        )
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    [eml] = outbox.iterdir()
    assert (mode(outbox), mode(eml)) == (0o770, 0o660)


# ---- item 7: a save during a long import ------------------------------------------------------

SLOW_IMPORTER = '''
"""An ERP export that arrives slowly. An import reads and checks its file without the write
lock and takes the lock to merge, reading the file again under it when the book moved since:
the first reading waits for ``<file>.moved`` (the book moved), the second, under the lock,
for ``<file>.go``."""
import time
from pathlib import Path

from arctui.api import Importer, Record, hookimpl


def wait_for(path):
    # never forever: a test that dies must not leave this process behind
    deadline = time.monotonic() + 120
    while not path.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {path}")
        time.sleep(0.02)


def parse(path, options):
    reading = Path(f"{path}.reading")
    if reading.exists():
        wait_for(Path(f"{path}.go"))
    else:
        reading.touch()
        wait_for(Path(f"{path}.moved"))
    for number, line in enumerate(Path(path).read_text().splitlines(), 1):
        account_no, name = line.split(",")
        yield Record(str(path), number, {"account_no": account_no, "name": name})


@hookimpl
def register_importers(register):
    register(Importer(name="slow-customers", kind="customers", parse=parse, description="a slow ERP export"))
'''


@pytest.fixture
def long_import(tmp_path):
    """``arctui import`` in a process of its own, holding the write lock (and leaving its note)
    until the test calls ``finish()``: the book moves while it reads its file, so it reads
    the file again under the lock; yields (process, the note as JSON, finish)."""
    book = make_book(tmp_path / "book.db", collectors=2, customers=4, invoices_per_customer=1)
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "slow_export.py").write_text(SLOW_IMPORTER)
    export = tmp_path / "customers-nightly.csv"
    export.write_text("N001,Nightly One\nN002,Nightly Two\n")
    process = subprocess.Popen(
        [ARCTUI, "--plugins-dir", str(plugins), "import", "slow-customers", str(export), "--db", str(book)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=script_env(),
        preexec_fn=lambda: os.umask(0),
    )
    note_file, reading = Path(f"{book}-writer"), Path(f"{export}.reading")
    deadline = time.monotonic() + 30
    while not reading.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    db = connect(book)  # a colleague adds an account while the import reads its file
    with write(db):
        db.execute("INSERT INTO customers (account_no, name) VALUES ('M900', 'Added meanwhile')")
    db.close()
    Path(f"{export}.moved").touch()
    while not note_file.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    if not note_file.exists():
        Path(f"{export}.go").touch()
        pytest.fail(f"the import never held the lock: {process.communicate(timeout=60)}")

    def finish() -> str:
        Path(f"{export}.go").touch()
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        return out

    yield book, process, json.loads(note_file.read_text()), finish
    if process.poll() is None:
        finish()


def test_the_import_leaves_a_note_of_who_holds_the_lock_and_takes_it_back(long_import):
    book, process, note, finish = long_import
    note_file = Path(f"{book}-writer")
    assert mode(note_file) == 0o660  # the importer ran under umask 0
    assert (note["login"], note["pid"], note["what"]) == (LOGIN, process.pid, "importing customers-nightly.csv")
    finish()
    assert not note_file.exists()
    assert not list(book.parent.glob(f".{book.name}-writer.*"))
    db = connect(book)
    assert db.execute("SELECT count(*) FROM customers WHERE account_no LIKE 'N%'").fetchone() == (2,)
    db.close()


def busy_words(note: dict) -> str:
    return (
        f"the book is busy: {LOGIN} has been importing customers-nightly.csv since {note['since'][11:19]} UTC"
        f" (pid {note['pid']}); nothing was saved — try again when it finishes"
    )


async def test_a_console_save_during_the_import_says_who_holds_the_lock_and_keeps_what_was_typed(long_import):
    book, process, note, finish = long_import
    db = connect(book, busy_timeout=SHORT_WAIT)
    ctx = Context(db, "w01", fixed_clock(TODAY))
    form = TouchpointForm(ctx, 2)  # account 2 is w01's
    app = Host(form)
    async with app.run_test(size=(120, 45)) as pilot:
        await pilot.pause()
        ui = Driver(pilot, form, app.results)
        await ui.choose("#outcome", "PTP")
        await ui.fill("#follow_up", "2026-11-30")
        await ui.fill("#note", "will pay Friday, cheque 1042")
        started = time.monotonic()
        await ui.save()
        assert time.monotonic() - started < 5  # the short busy timeout, not 30 s
        assert ui.is_open
        assert ui.text("#form-status").startswith(busy_words(note))
        assert (ui.value("#outcome"), ui.value("#follow_up"), ui.value("#note")) == (
            "PTP",
            "2026-11-30",
            "will pay Friday, cheque 1042",
        )
        assert db.execute("SELECT count(*) FROM touchpoints").fetchone() == (0,)
        finish()
        await ui.save()  # the same values, once the import is done
        assert ui.results == [True]
    assert db.execute("SELECT customer_id, outcome_code, follow_up_date, note, by FROM touchpoints").fetchall() == [
        (2, "PTP", "2026-11-30", "will pay Friday, cheque 1042", "w01")
    ]
    db.close()


def test_a_cli_save_during_the_import_is_one_line_and_exit_1(long_import, monkeypatch):
    book, process, note, finish = long_import
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_SECONDS", SHORT_WAIT)
    queue = ["--user", "w01", "email", "queue", "A0002", "statement", "--db", str(book)]
    result = CliRunner().invoke(cli, queue)
    assert result.exit_code == 1
    assert result.output == f"Error: {busy_words(note)}\n"
    finish()
    db = connect(book)
    assert db.execute("SELECT count(*) FROM email_outbox").fetchone() == (0,)
    db.close()
    result = CliRunner().invoke(cli, queue)  # once the import is done
    assert result.output == "email 1 queued\n"


def hold_lock(path: Path, note: dict | str | None = None) -> sqlite3.Connection:
    """Another connection holding the write lock, with ``note`` (if any) written beside the file."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    if note is not None:
        Path(f"{path}-writer").write_text(note if isinstance(note, str) else json.dumps(note))
    return holder


def test_without_a_live_note_the_words_still_say_what_happened(tmp_path):
    book = make_book(tmp_path / "book.db", collectors=1, customers=1, invoices_per_customer=1)
    db = connect(book, busy_timeout=0.1)
    gone = _a_finished_pid()
    cases = [
        None,  # a writer that left no note (sqlite3 itself, an older arctui)
        {"login": "mallory", "pid": gone, "what": "importing x.csv", "since": "2026-11-23T14:02:11+00:00"},  # stale
        "not json {",
    ]
    for note in cases:
        holder = hold_lock(book, note)
        with pytest.raises(BookBusy) as refused, write(db):
            db.execute("UPDATE customers SET name = 'changed'")
        assert str(refused.value) == (
            "the book is busy: another collector's change is being written; nothing was saved — try again"
        )
        holder.execute("ROLLBACK")
        holder.close()
    assert db.execute("SELECT name FROM customers").fetchone() == ("Account 1",)
    db.close()


def _a_finished_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_note_cannot_put_control_characters_on_a_colleagues_terminal(tmp_path):
    book = make_book(tmp_path / "book.db", collectors=1, customers=1, invoices_per_customer=1)
    db = connect(book, busy_timeout=0.1)
    evil = {
        "login": "bob\x1b]0;pwned\x07",
        "pid": os.getpid(),
        "what": "importing \x1b[2Jx.csv\u202e",
        "since": "2026-11-23T14:02:11+00:00",
    }
    holder = hold_lock(book, evil)
    with pytest.raises(BookBusy) as refused, write(db):
        pass
    holder.close()
    message = str(refused.value)
    assert message.startswith("the book is busy: bob]0;pwned has been importing [2Jx.csv since 2026-11-23 14:02:11 UTC")
    assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 or c == "\u202e" for c in message)
    db.close()


def test_every_transaction_of_a_run_leaves_the_note_and_only_while_it_holds_the_lock(tmp_path):
    book = make_book(tmp_path / "book.db", collectors=1, customers=1, invoices_per_customer=1)
    db = connect(book)
    note_file = Path(f"{book}-writer")
    seen = []
    previous = os.umask(0)
    try:
        with doing(db, "sending dunning reminders"):
            for _ in range(2):
                with write(db):
                    seen.append((json.loads(note_file.read_text())["what"], mode(note_file)))
                assert not note_file.exists()
        with pytest.raises(RuntimeError), write(db, what="importing broken.csv"):
            assert note_file.exists()
            raise RuntimeError("the import failed")
    finally:
        os.umask(previous)
    assert seen == [("sending dunning reminders", 0o660)] * 2
    assert not note_file.exists() and not db.conn.in_transaction
    with write(db):
        assert not note_file.exists()  # an ordinary save leaves none
    db.close()
    assert writing.NOTE_SUFFIX == "-writer"


# ---- item 10: a dunning run whose sends failed ------------------------------------------------


@pytest.fixture
def smtp():
    """A plain SMTP server on 127.0.0.1 (no login) whose Mailbox can refuse or drop messages."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, mailbox
    controller.stop()


@pytest.mark.parametrize(
    "refuse, drop, counts, error",
    [
        (
            99,
            0,
            "0 sent, 3 failed, 0 in doubt",
            "3 of 3 emails not sent: 3 failed (the next run tries again, up to 5 times)",
        ),
        (
            1,
            0,
            "2 sent, 1 failed, 0 in doubt",
            "1 of 3 emails not sent: 1 failed (the next run tries again, up to 5 times)",
        ),
        (0, 1, "2 sent, 0 failed, 1 in doubt", "1 of 3 emails not sent: 1 in doubt (see `arctui email stuck`)"),
    ],
)
def test_a_dunning_run_whose_sends_failed_exits_non_zero_and_counts_them(tmp_path, smtp, refuse, drop, counts, error):
    port, mailbox = smtp
    mailbox.refuse, mailbox.drop = refuse, drop
    book = make_book(tmp_path / "book.db", collectors=1, customers=3, invoices_per_customer=1)
    config = settings_file(tmp_path, sender="smtp", host="127.0.0.1", port=port, security="none")
    env = {"ARCTUI_CONFIG": config, "ARCTUI_USER": "w01"}
    result = arctui("dunning", "run", "--db", book, "--today", TODAY, **env)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1] == f"3 overdue accounts, 3 due a step, {counts}"
    assert result.stderr == f"Error: {error}\n"
    db = connect(book)
    sent = db.execute("SELECT count(*) FROM email_outbox WHERE status = 'sent'").fetchone()[0]
    assert sent == len(mailbox.messages) - drop
    assert db.execute("SELECT count(*) FROM touchpoints").fetchone()[0] == sent
    db.close()
    if refuse:  # refused emails go at the next run, which then ends 0
        mailbox.refuse = 0
        again = arctui("dunning", "run", "--db", book, "--today", TODAY, **env)
        assert again.returncode == 0, again.stderr
        assert again.stdout.splitlines()[-1].endswith(f"{min(refuse, 3)} sent, 0 failed, 0 in doubt")


def test_a_dunning_run_with_nothing_failed_exits_0(tmp_path, smtp):
    port, mailbox = smtp
    book = make_book(tmp_path / "book.db", collectors=1, customers=2, invoices_per_customer=1)
    config = settings_file(tmp_path, sender="smtp", host="127.0.0.1", port=port, security="none")
    result = arctui("dunning", "run", "--db", book, "--today", TODAY, ARCTUI_CONFIG=config, ARCTUI_USER="w01")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "2 overdue accounts, 2 due a step, 2 sent, 0 failed, 0 in doubt"
    assert len(mailbox.messages) == 2


def test_send_queued_whose_sends_failed_exits_non_zero(tmp_path, smtp):
    port, mailbox = smtp
    mailbox.refuse = 99
    book = make_book(tmp_path / "book.db", collectors=1, customers=2, invoices_per_customer=1)
    config = settings_file(tmp_path, sender="smtp", host="127.0.0.1", port=port, security="none")
    env = {"ARCTUI_CONFIG": config, "ARCTUI_USER": "w01"}
    assert arctui("email", "queue", "A0001", "statement", "--db", book, **env).returncode == 0
    result = arctui("email", "send-queued", "--db", book, **env)
    assert result.returncode == 1
    assert result.stdout.startswith("0 sent, 1 failed")
    assert result.stderr.splitlines()[-1] == "Error: 1 of 1 emails not sent"


# ---- item 10: no SMTP login in clear to another machine ---------------------------------------


def this_machines_other_address() -> str | None:
    """An address of this machine that is not loopback (where a server can listen), if any."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # no packet is sent: only the route is chosen
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


@pytest.fixture
def listening_elsewhere():
    """A real SMTP server on a non-loopback address of this machine, counting connections."""
    address = this_machines_other_address()
    if address is None:
        pytest.skip("this machine has no non-loopback address")
    mailbox = Mailbox()
    mailbox.connections = 0

    class Counting(Mailbox):
        async def handle_EHLO(self, server, session, envelope, hostname, responses):
            mailbox.connections += 1
            session.host_name = hostname
            return responses

    controller = Controller(
        Counting(),
        hostname=address,
        port=free_port(),
        authenticator=check_login,
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    yield address, controller.port, mailbox
    controller.stop()


@pytest.mark.parametrize("host", ["mail.example.test", "10.20.30.40", "fe80::1"])
def test_a_login_over_security_none_to_another_machine_is_refused(tmp_path, host):
    book = make_book(tmp_path / "book.db", collectors=1, customers=2, invoices_per_customer=1)
    config = settings_file(tmp_path, sender="smtp", host=host, port=25, security="none")
    env = {"ARCTUI_CONFIG": config, "ARCTUI_USER": "w01", "ARCTUI_SMTP_USER": SMTP_USER}
    result = arctui("dunning", "run", "--db", book, "--today", TODAY, ARCTUI_SMTP_PASSWORD=SMTP_PASSWORD, **env)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f'Error: security: "none" would send the SMTP login to {host} in clear; set security = "starttls" or'
        ' "ssl" in [email] (a login without TLS goes only to 127.0.0.1, ::1 or localhost)\n'
    )
    assert SMTP_PASSWORD not in result.stderr
    db = connect(book)
    assert db.execute("SELECT count(*) FROM email_outbox").fetchone() == (0,)  # refused before anything
    db.close()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_no_connection_reaches_a_real_server_on_another_address(tmp_path, listening_elsewhere):
    address, port, mailbox = listening_elsewhere
    book = make_book(tmp_path / "book.db", collectors=1, customers=1, invoices_per_customer=1)
    config = settings_file(tmp_path, sender="smtp", host=address, port=port, security="none")
    env = {"ARCTUI_CONFIG": config, "ARCTUI_USER": "w01", "ARCTUI_SMTP_USER": SMTP_USER}
    result = arctui("dunning", "run", "--db", book, "--today", TODAY, ARCTUI_SMTP_PASSWORD=SMTP_PASSWORD, **env)
    assert result.returncode == 1 and "in clear" in result.stderr
    assert (mailbox.connections, mailbox.messages) == (0, [])
    # without a login, plain SMTP to that server is still allowed (a relay that needs none)
    plain = Controller(Mailbox(), hostname=address, port=free_port())
    plain.start()
    try:
        config = settings_file(tmp_path, sender="smtp", host=address, port=plain.port, security="none")
        result = arctui("dunning", "run", "--db", book, "--today", TODAY, ARCTUI_CONFIG=config, ARCTUI_USER="w01")
        assert result.returncode == 0, result.stderr
        assert len(plain.handler.messages) == 1
    finally:
        plain.stop()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_a_login_over_security_none_to_this_machine_still_works(tmp_path):
    mailbox = Mailbox()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=check_login,
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    try:
        book = make_book(tmp_path / "book.db", collectors=1, customers=1, invoices_per_customer=1)
        config = settings_file(tmp_path, sender="smtp", host="127.0.0.1", port=controller.port, security="none")
        env = {"ARCTUI_CONFIG": config, "ARCTUI_USER": "w01", "ARCTUI_SMTP_USER": SMTP_USER}
        result = arctui("dunning", "run", "--db", book, "--today", TODAY, ARCTUI_SMTP_PASSWORD=SMTP_PASSWORD, **env)
        assert result.returncode == 0, result.stderr
        assert len(mailbox.messages) == 1
    finally:
        controller.stop()
