"""Secrets never reach a log: participant tokens, facilitator and organisation keys and admin tokens are redacted
from every log record as it is made, whichever library makes it.

A filter on named loggers would miss records from their children and from loggers nobody listed (a record
propagating to the root logger skips the root's filters), and a filter on handlers would miss handlers added later
(werkzeug and engineio add their own). So the redaction wraps the log record factory: every record, from every
logger, carries only redacted text, its message with its arguments filled in and its traceback as text.
"""

import logging
import re
from typing import Any

REDACTED = "[redacted]"
URL_SAFE = r"A-Za-z0-9_\-"
# A secret by its shape: 32 or more URL-safe characters with a capital, a digit or a dash in them (a long Python
# name in a traceback has none). Pathways makes its secrets 32 characters long (protocols/credentials.py).
SECRET_SHAPE = rf"(?<![{URL_SAFE}])(?=[{URL_SAFE}]*[A-Z0-9\-])[{URL_SAFE}]{{32,}}(?![{URL_SAFE}])"
# Each pattern keeps what names the secret (group 1) and replaces the secret itself.
SECRET_PATTERNS = (
    re.compile(r"(/[pc]/)[^/\s?#\"'<>]+"),  # a participant's or check-in token in an address: /p/<token>/plan
    re.compile(r"((?:token|key)=)[^\s&#\"'<>]+", re.IGNORECASE),  # ?token=..., #key=..., &facilitator_key=...
    re.compile(r"(\bBearer\s+)\S+", re.IGNORECASE),  # the admin token in an Authorization header
    re.compile(r"((?:token|key)[\"']?\s*:\s*[\"'])[^\"']+", re.IGNORECASE),  # "token": "...", 'key': '...'
    re.compile(rf"((?:token|key):[ \t]*)[{URL_SAFE}]{{8,}}", re.IGNORECASE),  # X-Facilitator-Key: ...
    re.compile(rf"(){SECRET_SHAPE}"),  # anywhere else
)


def redact(text: str) -> str:
    """``text`` with every secret in it replaced by ``[redacted]``."""
    for pattern in SECRET_PATTERNS:
        text = pattern.sub(lambda found: found.group(1) + REDACTED, text)
    return text


def _redacted_record(record: logging.LogRecord) -> logging.LogRecord:
    """The record with its message filled in and redacted, and its traceback kept as redacted text only."""
    try:
        message = record.getMessage()
    except Exception:  # arguments that do not fit the message: both kept as text, never an error showing them
        message = f"{record.msg} {record.args!r}"
    record.msg, record.args = redact(message), ()
    if record.exc_info:
        record.exc_text = redact(record.exc_text or logging.Formatter().formatException(record.exc_info))
        record.exc_info = None  # a formatter must not render the exception again, secrets and all
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    return record


def install() -> None:
    """Redact every log record this process makes from now on. Safe to call again (each app does)."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "redacts", False):
        return

    def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return _redacted_record(factory(*args, **kwargs))

    make_record.redacts = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(make_record)
