"""The base every Socket.IO namespace shares: refusals that say why, one ack shape, the event budget, reserved and
malformed messages."""

import logging
from collections.abc import Callable
from typing import Any

from flask import request
from flask_socketio import ConnectionRefusedError, Namespace

from facilitator.edge.language import current
from facilitator.edge.limits import limits
from facilitator.edge.payloads import MALFORMED, UNREADABLE
from facilitator.edge.replies import ack_error
from facilitator.live import broadcast
from facilitator.live.presence import Connection, presence
from protocols.errors import DomainError

RESERVED_EVENTS = frozenset({"connect", "disconnect"})
MISSES = frozenset({"unknown_session", "bad_token", "bad_key"})  # refusals that count against the sender's address
GUESSING = DomainError("rate_limited", "Too many unknown codes from here; wait a minute and try again.")
logger = logging.getLogger(__name__)


def refuse(error: DomainError) -> ConnectionRefusedError:
    """A refused connection that says why: ``message`` for people (in the handshake's language), ``data.code`` for
    programs."""
    return ConnectionRefusedError(error.in_language(current()), {"code": error.code})


def auth_dict(auth: Any) -> dict[str, Any]:
    return auth if isinstance(auth, dict) else {}


class PathwaysNamespace(Namespace):
    """Every event answers the same way: an ack ``{"ok": true, ...}`` or ``{"ok": false, "error": ...}``.

    An event the namespace does not handle is refused with an error rather than ignored in silence.
    """

    def trigger_event(self, event: str, *args: Any) -> Any:
        if event in RESERVED_EVENTS:
            # The server runs these while the connection is on its way in or out; a connection that is fully in
            # and sends one as an ordinary event would run the lifecycle by hand (and drop out of every count).
            if not self.socketio.server.manager.is_connected(args[0], self.namespace):
                return super().trigger_event(event, *args)
            return self.refused_event(
                args[0],
                DomainError(
                    "reserved_event", "'{event}' is the server's own event; clients cannot send it.", event=event
                ),
            )
        if not hasattr(self, f"on_{event}"):
            return self.refused_event(
                args[0],
                DomainError(
                    "unknown_event", "'{event}' is not an event of {namespace}.", event=event, namespace=self.namespace
                ),
            )
        return super().trigger_event(event, *args)

    def refused_event(self, sid: str, error: DomainError) -> dict[str, Any]:
        """An event refused before any handler runs: answered, as a handler would, in the handshake's language."""
        environ = self.socketio.server.get_environ(sid, namespace=self.namespace)
        if not environ:
            return ack_error(error)
        with environ["flask.app"].request_context(environ):
            return ack_error(error)

    def refuse_guesser(self) -> None:
        """Before a look-up by join code alone: an address that has missed too many codes is refused.

        Connections that carry a secret (a participant token, a facilitator key) are not refused up front: a room
        behind one address keeps working whatever its neighbours mistype. Their misses count all the same.
        """
        if limits().code_misses.exhausted(request.remote_addr or ""):
            raise refuse(GUESSING)

    def refusal(self, error: DomainError) -> ConnectionRefusedError:
        """A refused connection; a wrong code, token or key also counts as a miss against the sender's address."""
        return self.missed(error) if error.code in MISSES else refuse(error)

    def missed(self, error: DomainError) -> ConnectionRefusedError:
        """A refusal for an unknown code, key or token, counted against the sender's address, as over HTTP: once
        the address is out of budget, every miss says only ``rate_limited``."""
        address = request.remote_addr or ""
        if limits().code_misses.exhausted(address):
            return refuse(GUESSING)
        limits().code_misses.allow(address)
        return refuse(error)

    @staticmethod
    def sid() -> str:
        """This connection's id."""
        return request.sid  # type: ignore[attr-defined]

    @staticmethod
    def address() -> str:
        """The sender's address, as the limits count it (the proxy's client address with TRUST_PROXY)."""
        return request.remote_addr or ""

    def connection(self) -> Connection:
        connection = presence().connection(request.sid)  # type: ignore[attr-defined]
        if connection is None:
            raise DomainError("not_connected", "This connection has not joined a session.")
        return connection

    def on_disconnect(self, reason: Any = None) -> None:
        limits().events.forget(request.sid)  # type: ignore[attr-defined]
        connection = presence().leave(request.sid)  # type: ignore[attr-defined]
        if connection is not None and connection.participant_id is not None:
            broadcast.schedule_live(connection.session_id)


def acknowledged(handler: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """Turn a handler's DomainError into an error ack, so every refusal reads the same on every client.

    Each connection has a budget of events (``LIMIT_EVENTS_*``); past it, events are refused unprocessed.
    """

    def wrapper(self: PathwaysNamespace, *args: Any) -> dict[str, Any]:
        if not limits().events.allow(request.sid):  # type: ignore[attr-defined]
            # A flooding connection is refused at once, before any work: everyone else's events go on as usual.
            return ack_error(DomainError("rate_limited", "Too many messages from this screen; slow down."))
        if any(arg is MALFORMED for arg in args):
            return ack_error(UNREADABLE)
        try:
            return handler(self, *args)
        except DomainError as error:
            return ack_error(error)
        except Exception:
            logger.exception("%s failed on %s", handler.__name__, self.namespace)
            return ack_error(DomainError("internal_error", "Something went wrong on the server; please try again."))

    wrapper.__name__ = handler.__name__
    wrapper.__doc__ = handler.__doc__
    return wrapper
