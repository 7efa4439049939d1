"""The SMTP sender over STARTTLS and implicit TLS with login, against aiosmtpd with a
certificate for 127.0.0.1 issued by a throwaway test CA (trustme)."""

import ssl
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
import trustme
from aiosmtpd.controller import Controller

from arctui.config import Settings
from arctui.services.email import open_transport, queue_email, send_queued
from arctui.services.errors import InvalidInput
from tests.email.conftest import SMTP_PASSWORD, check_login, dump, free_port

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


@dataclass(frozen=True)
class Certificate:
    """The test CA's certificate file (what the sender trusts) and the server's certificate."""

    ca_file: Path
    server: trustme.LeafCert


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    ca = trustme.CA()
    ca_file = tmp_path_factory.mktemp("tls") / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    return Certificate(ca_file, ca.issue_cert("127.0.0.1"))


def server_context(certificate):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.server.configure_cert(context)
    return context


def send_one_through(ctx, tmp_path, monkeypatch, mailbox, security, ca_file, **server):
    """Start aiosmtpd with ``server`` options, send one queued email through the smtp sender
    configured for ``security`` and ``ca_file``, stop the server; return the send report."""
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port(), **server)
    controller.start()
    try:
        path = tmp_path / "config.toml"
        path.write_text(
            f'[email]\nfrom_addr = "ar@arctui.test"\nhost = "127.0.0.1"\n'
            f'port = {controller.port}\nsecurity = "{security}"\n'
            f'ca_file = "{ca_file}"\ntimeout = 5\n'
            f'user = "ar-robot"\npassword = "{SMTP_PASSWORD}"\n'
        )
        ctx = replace(ctx, settings=Settings.load(path, environ={}))
        queue_email(ctx, 1, "ap1@customer1.test", f"Over {security}", "Body")
        return send_queued(ctx, open_transport(ctx, "smtp"))
    finally:
        controller.stop()


def test_starttls_then_login(ctx, db, mailbox, certificate, tmp_path, monkeypatch):
    report = send_one_through(
        ctx,
        tmp_path,
        monkeypatch,
        mailbox,
        "starttls",
        certificate.ca_file,
        tls_context=server_context(certificate),
        require_starttls=True,
        authenticator=check_login,
        auth_required=True,
    )
    assert report.sent == [1]
    assert [e.rcpt_tos for e in mailbox.messages] == [["ap1@customer1.test"]]
    assert SMTP_PASSWORD not in dump(db)


def test_an_untrusted_certificate_is_a_clean_failure(ctx, db, mailbox, certificate, tmp_path, monkeypatch):
    report = send_one_through(
        ctx,
        tmp_path,
        monkeypatch,
        mailbox,
        "starttls",
        "",
        tls_context=server_context(certificate),
        require_starttls=True,
    )
    [(_, error)] = report.failed
    assert "CERTIFICATE_VERIFY_FAILED" in error and mailbox.messages == []


def test_implicit_tls_then_login(ctx, db, mailbox, certificate, tmp_path, monkeypatch):
    report = send_one_through(
        ctx,
        tmp_path,
        monkeypatch,
        mailbox,
        "ssl",
        certificate.ca_file,
        ssl_context=server_context(certificate),
        authenticator=check_login,
        # aiosmtpd does not count implicit TLS as TLS for its AUTH rule
        auth_required=True,
        auth_require_tls=False,
    )
    assert report.sent == [1]
    assert [e.rcpt_tos for e in mailbox.messages] == [["ap1@customer1.test"]]


@pytest.mark.parametrize(
    "security, host, refused",
    [
        ("none", "mail.example.test", True),
        ("none", "192.168.1.25", True),
        ("none", "[2001:db8::25]", True),
        ("none", "127.0.0.1", False),
        ("none", "127.0.0.2", False),
        ("none", "::1", False),
        ("none", "LOCALHOST", False),
        ("starttls", "mail.example.test", False),
        ("ssl", "mail.example.test", False),
    ],
)
def test_a_login_goes_in_clear_only_to_this_machine(ctx, security, host, refused):
    config = {"from_addr": "ar@arctui.test", "host": host, "security": security, "user": "ar-robot"}
    ctx = replace(ctx, settings=Settings({"email": {**config, "password": SMTP_PASSWORD}}))
    if refused:
        with pytest.raises(InvalidInput, match=r'^security: "none" would send the SMTP login to .* in clear') as no:
            open_transport(ctx, "smtp")
        assert SMTP_PASSWORD not in str(no.value)
    else:
        assert open_transport(ctx, "smtp").name == "smtp"  # set up only: nothing connects yet


def test_plain_smtp_without_a_login_may_go_anywhere(ctx):
    ctx = replace(
        ctx, settings=Settings({"email": {"from_addr": "ar@x.test", "host": "relay.test", "security": "none"}})
    )
    assert open_transport(ctx, "smtp").name == "smtp"
