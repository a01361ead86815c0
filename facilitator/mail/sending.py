"""One reminder as an e-mail (plain text, its links at the end, a List-Unsubscribe header), and the SMTP connection
that sends it, with every failure told apart: not sent (try again), never deliverable, or perhaps sent.

smtplib is the standard library's: under eventlet, once the server has monkey-patched sockets, it waits green.
"""

import smtplib
import socket
import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import default as email_policy
from email.utils import format_datetime, make_msgid
from types import TracebackType
from typing import Any

from facilitator.edge.log_redaction import redact
from facilitator.mail.links import follow_up_url, stop_url
from facilitator.mail.settings import MailSettings, Security
from facilitator.store.outbox import ClaimedMail
from protocols.language import Language

MAX_ERROR = 300  # characters of an error kept and shown to leaders
# Lines up to RFC 5322's limit: a link is never folded in a header nor broken in the body, so any program reads it.
MAIL_POLICY = email_policy.clone(max_line_length=998)


class SendError(Exception):
    """A message the mail server did not take, and why in words without a secret (``reason``).

    ``permanent``: it can never be delivered as it is (its address is refused or unusable): not tried again.
    ``maybe_sent``: the connection broke once the message was on its way: it may have gone, so it is not resent.
    ``connection_lost``: the connection is of no further use (or was never made): the next message needs a new one.
    """

    def __init__(self, reason: str, *, permanent: bool = False, maybe_sent: bool = False, connection_lost: bool = True):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.maybe_sent = maybe_sent
        self.connection_lost = connection_lost


def compose(mail: ClaimedMail, settings: MailSettings, base_url: str, now: float, lang: Language) -> EmailMessage:
    """The e-mail for a claimed reminder: plain text only (no HTML, no images, nothing that reports back), ending
    with the follow-up link when it has one and always with the stop-reminders link, which also goes in the
    List-Unsubscribe header for mail programs' own "unsubscribe" button. Its own lines are in ``lang``, the
    language the reminder was written in for its recipient."""
    stop = stop_url(base_url, mail.stop_token)
    lines = [mail.body.strip(), ""]
    if mail.link_token:
        lines += [lang.gettext("Open it in Pathways: {link}", link=follow_up_url(base_url, mail.link_token)), ""]
    lines += ["-- ", lang.gettext("Stop these reminders: {link}", link=stop)]
    message = EmailMessage(policy=MAIL_POLICY)
    message["From"] = settings.sender
    message["To"] = _recipient(mail.address)
    message["Subject"] = " ".join(mail.subject.split())
    message["Date"] = format_datetime(datetime.fromtimestamp(now, UTC))
    message["Message-ID"] = make_msgid(domain=email_policy.header_factory("From", settings.sender).addresses[0].domain)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies to it
    message["List-Unsubscribe"] = f"<{stop}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"  # RFC 8058: a POST to the link stops them
    message.set_content("\n".join(lines) + "\n")
    message["Content-Language"] = lang.code  # RFC 3282, after the content (which resets Content-* headers)
    return message


def _recipient(address: str) -> str:
    """The address checked as one e-mail address; SendError (permanent) for one no mail server could take."""
    header = email_policy.header_factory("To", address) if "\n" not in address and "\r" not in address else None
    if header is None or header.defects or len(header.addresses) != 1 or not header.addresses[0].domain:
        raise SendError("The address is not an e-mail address.", permanent=True, connection_lost=False)
    return str(header.addresses[0])


class _NotesData:
    """Notes when the DATA command was given: a connection that breaks after it may have delivered the message."""

    data_started = False

    def data(self, msg: Any) -> Any:
        self.data_started = True
        return super().data(msg)  # type: ignore[misc]


class _Plain(_NotesData, smtplib.SMTP):
    pass


class _Secure(_NotesData, smtplib.SMTP_SSL):
    pass


class MailConnection:
    """One connection to the mail server, opened, secured and logged in when made; used for several messages."""

    def __init__(self, settings: MailSettings) -> None:
        """SendError when the server cannot be reached, will not secure the connection, or refuses the login."""
        self.settings = settings
        self._smtp: _Plain | _Secure | None = None
        logging_in = False
        try:
            context = ssl.create_default_context()  # checks the certificate and the host name
            if settings.security is Security.TLS:
                self._smtp = _Secure(settings.host, settings.port, timeout=settings.timeout, context=context)
            else:
                self._smtp = _Plain(settings.host, settings.port, timeout=settings.timeout)
                if settings.security is Security.STARTTLS:
                    self._smtp.starttls(context=context)
            if settings.username:
                logging_in = True
                self._smtp.login(settings.username, settings.password)
        except Exception as error:
            self.close()
            raise SendError(describe(error, settings, logging_in=logging_in)) from None

    def send(self, message: EmailMessage) -> None:
        """Hand the message to the server; SendError if it did not take it (or may have, ``maybe_sent``)."""
        assert self._smtp is not None
        self._smtp.data_started = False
        try:
            self._smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            permanent = all(500 <= code < 600 for code in codes)
            raise SendError(describe(error, self.settings), permanent=permanent, connection_lost=False) from None
        except smtplib.SMTPResponseException as error:  # the server said no: the message did not go
            permanent = isinstance(error, smtplib.SMTPDataError) and 500 <= error.smtp_code < 600
            lost = error.smtp_code == 421  # "service not available, closing channel"
            raise SendError(describe(error, self.settings), permanent=permanent, connection_lost=lost) from None
        except Exception as error:  # the connection broke, or timed out waiting for an answer
            maybe_sent = self._smtp.data_started
            raise SendError(describe(error, self.settings), maybe_sent=maybe_sent) from None

    def close(self) -> None:
        if self._smtp is None:
            return
        try:
            self._smtp.quit()
        except Exception:  # a connection already broken: nothing left to say goodbye on
            self._smtp.close()
        self._smtp = None

    def __enter__(self) -> "MailConnection":
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None):
        self.close()


def describe(error: BaseException, settings: MailSettings, *, logging_in: bool = False) -> str:
    """Why sending failed, in words a leader or an operator can act on, never holding the password or a token."""
    server = settings.server
    if isinstance(error, smtplib.SMTPAuthenticationError):
        text = f"The mail server {server} refused the login: {_reply(error)}"
    elif logging_in and isinstance(error, smtplib.SMTPServerDisconnected):  # some hang up on a wrong password
        text = f"The mail server {server} refused the login: it closed the connection."
    elif isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = "; ".join(f"{code} {_text(reply)}" for code, reply in error.recipients.values())
        for address in error.recipients:  # the log and the leaders' view say why, not whose
            replies = replies.replace(str(address), "(the address)")
        text = f"The mail server refused the address: {replies}"
    elif isinstance(error, smtplib.SMTPSenderRefused):
        text = f"The mail server refused the sender address (PATHWAYS_MAIL_FROM): {_reply(error)}"
    elif isinstance(error, smtplib.SMTPResponseException):
        text = f"The mail server {server} answered: {_reply(error)}"
    elif isinstance(error, smtplib.SMTPNotSupportedError):
        text = f"The mail server {server} does not offer what is needed: {error}"
    elif isinstance(error, smtplib.SMTPServerDisconnected):
        text = f"The mail server {server} closed the connection."
    elif isinstance(error, ssl.SSLCertVerificationError):
        text = f"The mail server {server}'s certificate is not trusted: {error.verify_message}."
    elif isinstance(error, ssl.SSLError):
        text = f"TLS with the mail server {server} failed ({error.reason}); is the port right for {settings.security}?"
    elif isinstance(error, ConnectionRefusedError):
        text = f"The mail server {server} refused the connection (is it running, and is the port right?)."
    elif isinstance(error, socket.gaierror):
        text = f"The mail server's name {settings.host} cannot be found."
    elif isinstance(error, TimeoutError):
        text = f"The mail server {server} did not answer within {settings.timeout:g} seconds."
    elif isinstance(error, OSError):
        text = f"The connection to the mail server {server} failed: {error.strerror or type(error).__name__}."
    else:
        text = f"Sending failed: {type(error).__name__}."
    return _without_secrets(text, settings)


def _reply(error: smtplib.SMTPResponseException) -> str:
    return f"{error.smtp_code} {_text(error.smtp_error)}"


def _text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return " ".join(text.split())


def _without_secrets(text: str, settings: MailSettings) -> str:
    """Whatever a server echoed, the password never stays in the text, nor anything shaped like a token."""
    if settings.password:
        text = text.replace(settings.password, "[redacted]")
    return redact(text)[:MAX_ERROR]
