"""A small book for the email tests, a real aiosmtpd server on 127.0.0.1, and the settings
that point arctui at it: a ``Settings`` for the services, a settings file for the CLI."""

import os
import signal
import socket
from datetime import date

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from click.testing import CliRunner

from arctui.cli import cli
from arctui.commands.common import CliState
from arctui.config import Settings
from arctui.plugins import PluginHost
from arctui.services.context import Context, fixed_clock
from arctui.store.connection import connect
from tests.enrol import enrol

TODAY = date(2026, 11, 23)
SMTP_USER = "ar-robot"
SMTP_PASSWORD = "s3cret-Pa55-do-not-store"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """An SMTP handler that keeps what it accepted; ``refuse`` answers the next DATA commands
    with 451, ``drop`` hangs up after receiving the next message (it arrived, no reply),
    ``kill`` is a process to SIGKILL once its message is in, before it hears the reply."""

    def __init__(self):
        self.messages = []
        self.refuse = 0
        self.drop = 0
        self.kill = None

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 mailbox busy, try again later"
        self.messages.append(envelope)
        if self.kill:
            os.kill(self.kill, signal.SIGKILL)
            self.kill = None
        if self.drop:
            self.drop -= 1
            server.transport.close()
        return "250 2.0.0 OK queued"


def check_login(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == SMTP_USER.encode()
        and auth_data.password == SMTP_PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def smtp_server(smtp_port):
    """A plain SMTP server that requires AUTH (allowed without TLS on localhost)."""
    controller = Controller(
        Mailbox(),
        hostname="127.0.0.1",
        port=smtp_port,
        authenticator=check_login,
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def mailbox(smtp_server):
    """What the running test server accepted (asking for it starts the server)."""
    return smtp_server.handler


@pytest.fixture
def email_settings(tmp_path, smtp_port) -> dict:
    """The ``[email]`` table that points arctui at the test server."""
    return {
        "sender": "smtp",
        "from_addr": "ar@arctui.test",
        "host": "127.0.0.1",
        "port": smtp_port,
        "security": "none",
        "timeout": 5,
        "outbox_dir": str(tmp_path / "outbox"),
    }


@pytest.fixture
def settings(email_settings) -> Settings:
    """The test server's settings with the robot's login, as ``Settings.load`` folds it in."""
    return Settings({"email": {**email_settings, "user": SMTP_USER, "password": SMTP_PASSWORD}})


@pytest.fixture
def config_file(tmp_path, email_settings):
    """The same ``[email]`` table as a settings file, for the CLI (the login: ``SMTP_LOGIN_ENV``)."""
    path = tmp_path / "config.toml"
    path.write_text("[email]\n" + "".join(f"{key} = {toml_value(value)}\n" for key, value in email_settings.items()))
    return path


SMTP_LOGIN_ENV = {"ARCTUI_SMTP_USER": SMTP_USER, "ARCTUI_SMTP_PASSWORD": SMTP_PASSWORD}
"""The SMTP login as a user gives it to ``arctui``: in the environment, not the file."""


def toml_value(value) -> str:
    return str(value) if isinstance(value, int | float) else f'"{value}"'


@pytest.fixture
def run_arctui(config_file, plugin_host):
    """``run_arctui(*ARGS, config=PATH, user="alice")`` runs ``arctui ARGS`` as the command line
    would, its settings read from ``config`` (default: the test server's file) with the SMTP
    login from the environment, and returns click's result."""

    def run(*args, config=config_file, user="alice"):
        state = CliState(settings=Settings.load(config, environ=SMTP_LOGIN_ENV), plugins=plugin_host)
        return CliRunner().invoke(cli, [*(["--user", user] if user else []), *args], obj=state)

    return run


@pytest.fixture(scope="session")
def plugin_host() -> PluginHost:
    """The installed plugins (the bundled senders among them), loaded once."""
    return PluginHost()


def seed(db):
    """Accounts, contacts and invoices as an ERP import leaves them (no service creates them).

    As of 2026-11-23: C101 oldest 20 days past due, C102 50 days, C103 disputed, C104 on a
    payment plan, C105 with a promise to pay (plans, promises and disputes are made through
    the services by the tests that need them), C106 nothing past due.
    """
    db["customers"].insert_all(
        [
            {"id": i, "account_no": f"C10{i}", "name": name, "owner": "alice", "terms_days": 30}
            for i, name in enumerate(
                [
                    "Northwind Supply",
                    "Bluebird Logistics",
                    "Cobalt Foods",
                    "Granite Works",
                    "Harbor Textiles",
                    "Juniper Labs",
                ],
                start=1,
            )
        ]
    )
    db["contacts"].insert_all(
        [
            {"customer_id": i, "name": f"Payables {i}", "email": f"ap{i}@customer{i}.test", "is_primary": 1}
            for i in range(1, 7)
        ]
    )
    db["invoices"].insert_all(
        [
            dict(zip(("id", "customer_id", "number", "issue_date", "due_date", "amount_cents", "open_cents"), r))
            for r in [
                (1, 1, "INV-1001", "2026-10-04", "2026-11-03", 123_456, 123_456),  # 20 days
                (2, 1, "INV-1002", "2026-11-01", "2026-12-01", 50_000, 50_000),  # current
                (3, 2, "INV-2001", "2026-09-04", "2026-10-04", 987_654, 987_654),  # 50 days
                (4, 3, "INV-3001", "2026-09-14", "2026-10-14", 300_000, 300_000),  # 40 days
                (5, 4, "INV-4001", "2026-09-14", "2026-10-14", 600_000, 600_000),  # 40 days
                (6, 5, "INV-5001", "2026-09-14", "2026-10-14", 200_000, 200_000),  # 40 days
                (7, 6, "INV-6001", "2026-11-10", "2026-12-10", 70_000, 70_000),  # current
            ]
        ]
    )


@pytest.fixture
def db(book_target):
    database = connect(book_target, create=True)
    enrol(database, "alice", "Alice Archer", email="alice@arctui.test")  # the book's one collector
    seed(database)
    yield database
    database.close()


@pytest.fixture
def ctx(db, settings, plugin_host):
    """Alice at work on 2026-11-23, with the settings that point at the test server."""
    return Context(db, "alice", fixed_clock(TODAY), settings, plugin_host)


def dump(db) -> str:
    """Every row of every table, as text: to prove a secret is nowhere in the file."""
    tables = db.table_names()
    return "\n".join(repr(row) for table in tables for row in db.execute(f"SELECT * FROM [{table}]"))
