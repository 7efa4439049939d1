"""The SMTP sender over STARTTLS and implicit TLS with login, against aiosmtpd with a
self-signed certificate made for the test."""
import datetime
import ipaddress
import ssl

import pytest
from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from arctui.services.email import open_transport, queue_email, send_queued
from tests.email.conftest import SMTP_PASSWORD, check_login, dump, free_port

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A certificate for 127.0.0.1 signed by its own key: (cert file, key file)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    localhost = x509.IPAddress(ipaddress.ip_address("127.0.0.1"))
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1)
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=36500))
            .add_extension(x509.SubjectAlternativeName([localhost]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def server_context(certificate):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


def send_one_through(ctx, tmp_path, monkeypatch, mailbox, security, ca_file, **server):
    """Start aiosmtpd with ``server`` options, send one queued email through the smtp sender
    configured for ``security`` and ``ca_file``, stop the server; return the send report."""
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port(), **server)
    controller.start()
    try:
        path = tmp_path / "config.toml"
        path.write_text(f'[email]\nfrom_addr = "ar@arctui.test"\nhost = "127.0.0.1"\n'
                        f'port = {controller.port}\nsecurity = "{security}"\n'
                        f'ca_file = "{ca_file}"\ntimeout = 5\n'
                        f'user = "ar-robot"\npassword = "{SMTP_PASSWORD}"\n')
        monkeypatch.setenv("ARCTUI_CONFIG", str(path))
        queue_email(ctx, 1, "ap1@customer1.test", f"Over {security}", "Body")
        return send_queued(ctx, open_transport("smtp"))
    finally:
        controller.stop()


def test_starttls_then_login(ctx, db, mailbox, certificate, tmp_path, monkeypatch):
    report = send_one_through(ctx, tmp_path, monkeypatch, mailbox, "starttls", certificate[0],
                              tls_context=server_context(certificate), require_starttls=True,
                              authenticator=check_login, auth_required=True)
    assert report.sent == [1]
    assert [e.rcpt_tos for e in mailbox.messages] == [["ap1@customer1.test"]]
    assert SMTP_PASSWORD not in dump(db)


def test_an_untrusted_certificate_is_a_clean_failure(ctx, db, mailbox, certificate, tmp_path,
                                                     monkeypatch):
    report = send_one_through(ctx, tmp_path, monkeypatch, mailbox, "starttls", "",
                              tls_context=server_context(certificate), require_starttls=True)
    [(_, error)] = report.failed
    assert "CERTIFICATE_VERIFY_FAILED" in error and mailbox.messages == []


def test_implicit_tls_then_login(ctx, db, mailbox, certificate, tmp_path, monkeypatch):
    report = send_one_through(ctx, tmp_path, monkeypatch, mailbox, "ssl", certificate[0],
                              ssl_context=server_context(certificate), authenticator=check_login,
                              # aiosmtpd does not count implicit TLS as TLS for its AUTH rule
                              auth_required=True, auth_require_tls=False)
    assert report.sent == [1]
    assert [e.rcpt_tos for e in mailbox.messages] == [["ap1@customer1.test"]]
