"""The operator's mail settings: ``PATHWAYS_SMTP_URL`` and ``PATHWAYS_MAIL_FROM``, read into ``MailSettings``.

``smtp+starttls://user:password@host:587`` upgrades the connection with STARTTLS and refuses a server that does
not offer it; ``smtps://user:password@host:465`` speaks TLS from the first byte; ``smtp://host:25`` is plain, for a
relay on this machine or one that takes no password. User and password are percent-encoded. Certificates are
checked against the system's trusted authorities (``SSL_CERT_FILE`` names another bundle).
"""

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from email.policy import default as email_policy
from enum import StrEnum
from typing import Any
from urllib.parse import unquote, urlsplit

HELP = "see the e-mail section of docs/DEPLOY.md"
DEFAULT_TIMEOUT = 20.0  # seconds a connection, a login or a reply may take before the attempt counts as failed


class MailConfigError(ValueError):
    """Mail settings Pathways cannot use. The message never repeats the URL: it may hold a password."""


class Security(StrEnum):
    PLAIN = "plain"  # smtp://
    STARTTLS = "starttls"  # smtp+starttls://
    TLS = "tls"  # smtps://


SCHEMES = {"smtp": (Security.PLAIN, 25), "smtp+starttls": (Security.STARTTLS, 587), "smtps": (Security.TLS, 465)}


@dataclass(frozen=True, slots=True, repr=False)
class MailSettings:
    host: str
    port: int
    security: Security
    sender: str  # the From header, e.g. "Pathways <pd@example.org>"
    username: str = ""
    password: str = ""
    timeout: float = DEFAULT_TIMEOUT

    def __repr__(self) -> str:
        """Everything but the password, so a log line or a traceback showing the settings shows no secret."""
        password = "[hidden]" if self.password else ""
        return (
            f"MailSettings(host={self.host!r}, port={self.port}, security={self.security.value!r}, "
            f"sender={self.sender!r}, username={self.username!r}, password={password!r}, timeout={self.timeout})"
        )

    __str__ = __repr__

    @property
    def server(self) -> str:
        """Host and port, as an error message names the server."""
        return f"{self.host}:{self.port}"


def mail_settings(config: Mapping[str, Any]) -> MailSettings | None:
    """The app's mail settings from ``SMTP_URL`` and ``MAIL_FROM``; None when no SMTP server is configured (reminders
    are then shown in the app only). MailConfigError for settings that cannot work, so the operator hears at start."""
    url = str(config.get("SMTP_URL") or "").strip()
    if not url:
        return None
    return parse_mail_settings(url, str(config.get("MAIL_FROM") or ""))


def parse_mail_settings(url: str, sender: str) -> MailSettings:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise MailConfigError(
            f"PATHWAYS_SMTP_URL cannot be read (is the port a number from 1 to 65535?); {HELP}."
        ) from None
    if parts.scheme not in SCHEMES:
        raise MailConfigError(
            f"PATHWAYS_SMTP_URL must start with smtp+starttls://, smtps:// or smtp://, not {parts.scheme or '?'}://; "
            f"{HELP}."
        )
    security, default_port = SCHEMES[parts.scheme]
    if not parts.hostname:
        raise MailConfigError(f"PATHWAYS_SMTP_URL names no mail server (smtp+starttls://host:587); {HELP}.")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise MailConfigError(f"PATHWAYS_SMTP_URL takes no path, ? or #: only user, password, host and port; {HELP}.")
    username, password = unquote(parts.username or ""), unquote(parts.password or "")
    if bool(username) != bool(password):
        raise MailConfigError(
            f"PATHWAYS_SMTP_URL gives a user without a password, or a password without a user; {HELP}."
        )
    if password and security is Security.PLAIN and not _loopback(parts.hostname):
        raise MailConfigError(
            f"PATHWAYS_SMTP_URL would send its password unencrypted over the network: use smtp+starttls:// or "
            f"smtps://; {HELP}."
        )
    return MailSettings(
        host=parts.hostname,
        port=port or default_port,
        security=security,
        sender=_sender(sender),
        username=username,
        password=password,
    )


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _sender(raw: str) -> str:
    """The From header, checked: one address, with an optional name."""
    problem = (
        f"PATHWAYS_MAIL_FROM must be one e-mail address, like pd@example.org or 'Pathways <pd@example.org>'; {HELP}."
    )
    if not raw.strip():
        raise MailConfigError(f"PATHWAYS_SMTP_URL is set but PATHWAYS_MAIL_FROM is not: {problem}")
    if "\r" in raw or "\n" in raw:
        raise MailConfigError(problem)
    header = email_policy.header_factory("From", raw.strip())
    if header.defects or len(header.addresses) != 1 or "." not in header.addresses[0].domain:
        raise MailConfigError(problem)
    return str(header.addresses[0])
