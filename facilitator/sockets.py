"""Socket.IO handlers for the facilitator's console and the room's projector, and the base every namespace shares."""

import logging
import time
from collections.abc import Callable
from typing import Any

from flask import request
from flask_socketio import ConnectionRefusedError, Namespace, join_room

from facilitator import broadcast
from facilitator.broadcast import Seat
from facilitator.payloads import require
from facilitator.replies import ack_error, ack_ok
from facilitator.store import get_store
from protocols.credentials import normalise_join_code
from protocols.errors import DomainError
from protocols.session import Session, Timer
from protocols.visibility import Audience

MAX_TIMER_SECONDS = 4 * 60 * 60
logger = logging.getLogger(__name__)


def refuse(error: DomainError) -> ConnectionRefusedError:
    """A refused connection that says why: ``message`` for people, ``data.code`` for programs."""
    return ConnectionRefusedError(error.message, {"code": error.code})


def auth_dict(auth: Any) -> dict[str, Any]:
    return auth if isinstance(auth, dict) else {}


class PathwaysNamespace(Namespace):
    """Every event answers the same way: an ack ``{"ok": true, ...}`` or ``{"ok": false, "error": ...}``.

    An event the namespace does not handle is refused with an error rather than ignored in silence.
    """

    def trigger_event(self, event: str, *args: Any) -> Any:
        if event in ("connect", "disconnect"):
            return super().trigger_event(event, *args)
        if not hasattr(self, f"on_{event}"):
            return ack_error(DomainError("unknown_event", f"'{event}' is not an event of {self.namespace}."))
        return super().trigger_event(event, *args)

    def seat(self) -> Seat:
        seat = broadcast.presence().seat(request.sid)  # type: ignore[attr-defined]
        if seat is None:
            raise DomainError("not_connected", "This connection has not joined a session.")
        return seat

    def on_disconnect(self, reason: Any = None) -> None:
        seat = broadcast.presence().leave(request.sid)  # type: ignore[attr-defined]
        if seat is not None and seat.participant_id is not None:
            broadcast.schedule_live(seat.session_id)


def acknowledged(handler: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """Turn a handler's DomainError into an error ack, so every refusal reads the same on every client."""

    def wrapper(self: PathwaysNamespace, *args: Any) -> dict[str, Any]:
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


class FacilitatorNamespace(PathwaysNamespace):
    """The console: moves through the agenda and runs the timer. Connect with ``auth={"code", "key"}``."""

    def on_connect(self, auth: Any = None) -> None:
        auth = auth_dict(auth)
        try:
            session = get_store().facilitator_session(normalise_join_code(auth.get("code")), auth.get("key"))
        except DomainError as error:
            raise refuse(error) from None
        broadcast.presence().sit(request.sid, Seat(Audience.FACILITATOR, session.id))  # type: ignore[attr-defined]
        join_room(broadcast.facilitator_room(session.id))
        broadcast.send_console_state(session, to=request.sid)  # type: ignore[attr-defined]

    def _move(self, change: Callable[[Session], Session]) -> dict[str, Any]:
        store = get_store()
        session = store.session_by_id(self.seat().session_id)
        if session is None:
            raise DomainError("unknown_session", "This session no longer exists.")
        moved = change(session)
        store.save_run_state(moved)
        broadcast.send_states(moved)
        return ack_ok(position=moved.position, phase=moved.phase, step_id=moved.current.key if moved.current else None)

    @acknowledged
    def on_next(self, data: Any = None) -> dict[str, Any]:
        return self._move(lambda session: session.next())

    @acknowledged
    def on_prev(self, data: Any = None) -> dict[str, Any]:
        return self._move(lambda session: session.prev())

    @acknowledged
    def on_goto(self, data: Any = None) -> dict[str, Any]:
        payload = require(data, {"step_id": str})
        return self._move(lambda session: session.goto(payload["step_id"]))

    @acknowledged
    def on_timer(self, data: Any = None) -> dict[str, Any]:
        """``{"action": "start"|"pause"|"resume"|"extend", "seconds": n}``; seconds for start and extend."""
        payload = require(data, {"action": str})
        action = payload["action"]
        now = time.time()

        def seconds() -> float:
            value = payload.get("seconds")
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= MAX_TIMER_SECONDS:
                raise DomainError("bad_request", f"'seconds' must be a number from 1 to {MAX_TIMER_SECONDS}.")
            return float(value)

        def change(session: Session) -> Session:
            timer = session.timer
            if action == "start":
                return session.with_timer(Timer().start(now, seconds()))
            if action == "pause":
                return session.with_timer(timer.pause(now))
            if action == "resume":
                return session.with_timer(timer.resume(now))
            if action == "extend":
                return session.with_timer(timer.extend(now, seconds()))
            raise DomainError("bad_request", "'action' must be start, pause, resume or extend.")

        return self._move(change)


class ProjectorNamespace(PathwaysNamespace):
    """The room's screen: read-only. Connect with ``auth={"code"}``; it sends nothing but receives views."""

    def on_connect(self, auth: Any = None) -> None:
        code = normalise_join_code(auth_dict(auth).get("code"))
        session = get_store().session_by_code(code) if code else None
        if session is None:
            raise refuse(DomainError("unknown_session", "There is no session with that code."))
        broadcast.presence().sit(request.sid, Seat(Audience.PROJECTOR, session.id))  # type: ignore[attr-defined]
        join_room(broadcast.projector_room(session.id))
        broadcast.send_projector_state(session, to=request.sid)  # type: ignore[attr-defined]
