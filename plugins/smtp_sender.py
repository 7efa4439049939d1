"""Send email over SMTP (smtplib): plain, STARTTLS or SSL, with optional login.

Settings (``[email]``): host, port, security (starttls, ssl or none), timeout, ca_file (a
CA bundle to trust, e.g. a company CA), user and password. The credentials may instead come
from ``ARCTUI_SMTP_USER`` / ``ARCTUI_SMTP_PASSWORD``, which arctui's settings fold into
``[email]`` when the file has none; they are never logged, never put in an error message
and never stored. A login over ``security = "none"`` would send them in clear: refused,
except to the machine itself (127.0.0.1, ::1, localhost), e.g. a local relay.
"""

import ipaddress
import smtplib
import ssl

from arctui.api import InvalidInput, Sender, SendFailed, hookimpl

SECURITIES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
# the server answered with a refusal: the message was certainly not accepted
_REFUSALS = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    smtplib.SMTPNotSupportedError,
)


@hookimpl
def register_email_senders(register):
    register(Sender("smtp", make_smtp_sender, "SMTP server from the [email] settings"))


def make_smtp_sender(config):
    security = config.get("security", "starttls")
    if security not in SECURITIES:
        raise InvalidInput("security", f"{security!r} is not one of {', '.join(SECURITIES)}")
    host = config.get("host", "localhost")
    port = _number("port", config.get("port", DEFAULT_PORTS[security]), int)
    timeout = _number("timeout", config.get("timeout", 30), float)
    user = config.get("user")
    password = config.get("password")
    if security == "none" and (user or password) and not _is_this_machine(host):
        raise InvalidInput(
            "security",
            f'"none" would send the SMTP login to {host} in clear; set security = "starttls" or'
            ' "ssl" in [email] (a login without TLS goes only to 127.0.0.1, ::1 or localhost)',
        )
    try:
        tls = ssl.create_default_context(cafile=config.get("ca_file") or None)
    except (OSError, ssl.SSLError) as exc:
        raise InvalidInput("ca_file", f"{config.get('ca_file')}: {exc}") from None
    where = f"{host}:{port}"

    def connect() -> smtplib.SMTP:
        """An open, secured and logged-in session; any failure here is a clean SendFailed."""
        try:
            if security == "ssl":
                smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=tls)
            else:
                smtp = smtplib.SMTP(host, port, timeout=timeout)
        except (OSError, smtplib.SMTPException) as exc:
            raise SendFailed(f"{where}: cannot connect ({_describe(exc)})") from None
        try:
            if security == "starttls":
                smtp.starttls(context=tls)
            if user:
                smtp.login(user, password or "")
        except smtplib.SMTPAuthenticationError as exc:
            _close(smtp)
            raise SendFailed(f"{where}: login refused ({_describe(exc)})") from None
        except (OSError, smtplib.SMTPException) as exc:
            _close(smtp)
            raise SendFailed(f"{where}: {_describe(exc)}") from None
        return smtp

    def send(message):
        smtp = connect()
        try:
            smtp.send_message(message)
        except _REFUSALS as exc:
            raise SendFailed(f"{where}: refused ({_describe(exc)})") from None
        finally:
            _close(smtp)
        return message["Message-ID"]

    return send


def _is_this_machine(host: str) -> bool:
    """A loopback address or ``localhost``: a login sent there never crosses a network."""
    if str(host).lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(str(host).strip("[]")).is_loopback
    except ValueError:
        return False


def _number(name: str, value, kind):
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise InvalidInput(name, f"expected a number, got {value!r}") from None


def _describe(exc: Exception) -> str:
    """The server's code and words, never the arguments we sent (no credentials)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refusals = exc.recipients.items()
        return "; ".join(f"{rcpt}: {code} {_text(msg)}" for rcpt, (code, msg) in refusals)
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}"


def _text(raw) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


def _close(smtp: smtplib.SMTP) -> None:
    """Say goodbye; the message's fate is already settled, so a failing QUIT changes nothing."""
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()
