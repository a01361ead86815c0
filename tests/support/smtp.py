"""A real mail server for tests: aiosmtpd on a free loopback port, keeping every message it receives; optionally
asking for a login, speaking STARTTLS or TLS with a certificate made for the test. A port with nothing on it
(``free_port()``) stands for a mail server that is down."""

import asyncio
import ssl
import subprocess
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as email_policy
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.support.servers import free_port
from tests.support.waiting import wait_until

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Received:
    """One message as the server took it: the envelope, and the message parsed as a mail program would."""

    sender: str
    recipients: list[str]
    message: EmailMessage
    raw: bytes

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        """The text of its one plain-text part, with plain newlines (the test fails if there is any other part)."""
        parts = list(self.message.walk())
        assert [part.get_content_type() for part in parts] == ["text/plain"], [p.get_content_type() for p in parts]
        return self.message.get_content().replace("\r\n", "\n")


class _Recorder:
    def __init__(self, refused: set[str], stall: bool) -> None:
        self.received: list[Received] = []
        self.logins: list[str] = []
        self.lock = threading.Lock()
        self.refused = refused
        self.stall = stall
        self.released = threading.Event()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:  # noqa: N802
        if address in self.refused:
            return f"550 5.1.1 <{address}>: no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        raw = envelope.original_content or envelope.content
        message = BytesParser(policy=email_policy).parsebytes(raw)
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message, raw))  # type: ignore[arg-type]
        if self.stall:  # has the message, and says nothing until released, as a server that hangs would
            await asyncio.get_running_loop().run_in_executor(None, self.released.wait, 30)
        return "250 Message accepted"


class SmtpServer:
    """``with SmtpServer() as mail:`` a server on ``mail.port``; ``login=(user, password)`` makes it require that
    login; ``tls="starttls"`` or ``"tls"`` needs ``certificate`` (``make_certificate``); ``refused`` addresses get
    550; ``stall=True`` makes it keep a message and then go quiet, until ``release()``."""

    def __init__(
        self,
        *,
        login: tuple[str, str] | None = None,
        tls: str | None = None,
        certificate: Path | None = None,
        refused: set[str] | None = None,
        stall: bool = False,
    ) -> None:
        self.port = free_port()
        self.recorder = _Recorder(refused or set(), stall)
        self.login = login
        options: dict[str, Any] = {}
        if login is not None:  # over implicit TLS, aiosmtpd would not offer AUTH if told it needs TLS
            options.update(auth_required=True, auth_require_tls=tls == "starttls", authenticator=self._authenticate)
        if tls is not None:
            assert certificate is not None, "a TLS server needs a certificate"
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(certificate, certificate)
            if tls == "tls":
                options.update(ssl_context=context)
            else:
                options.update(tls_context=context, require_starttls=True)
        self.controller = Controller(self.recorder, hostname=HOST, port=self.port, **options)

    def _authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        given = (
            (auth_data.login.decode(), auth_data.password.decode()) if isinstance(auth_data, LoginPassword) else None
        )
        with self.recorder.lock:
            self.recorder.logins.append(given[0] if given else "")
        return AuthResult(success=given == self.login, handled=False)  # a refusal answers 535

    def __enter__(self) -> "SmtpServer":
        self.controller.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.release()
        self.controller.stop()

    def release(self) -> None:
        """A stalled server answers again."""
        self.recorder.released.set()

    @property
    def logins(self) -> list[str]:
        """The user names logins were tried with."""
        with self.recorder.lock:
            return list(self.recorder.logins)

    @property
    def received(self) -> list[Received]:
        with self.recorder.lock:
            return list(self.recorder.received)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """The messages once at least ``count`` have arrived."""
        return wait_until(lambda: len(self.received) >= count and self.received, timeout, f"{count} messages")


def make_certificate(folder: Path) -> Path:
    """A self-signed certificate (its key in the same file) for 127.0.0.1 and localhost, made by the ``openssl``
    program. Trust it in a test with ``monkeypatch.setenv("SSL_CERT_FILE", str(path))``: OpenSSL reads that
    variable each time a context is made."""
    path = folder / "mail-server.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(path), "-out", str(path.with_suffix(".crt")), "-days", "1", "-subj", "/CN=localhost",
         "-addext", f"subjectAltName=DNS:localhost,IP:{HOST}"],
        check=True, capture_output=True,
    )  # fmt: skip
    path.write_bytes(path.read_bytes() + path.with_suffix(".crt").read_bytes())
    return path
