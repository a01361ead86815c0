"""The progress round over Socket.IO: the console's start, next, previous and end; a phone's warm feedback; and
``progress_round`` sent to the console, the projector and every phone (again to a screen that connects)."""

from typing import Any

from facilitator.edge.payloads import require
from facilitator.edge.replies import ack_ok
from facilitator.extensions import socketio
from facilitator.live import broadcast
from facilitator.live.namespace import acknowledged
from facilitator.store import get_store
from facilitator.usecases import progress_round
from protocols.errors import DomainError
from protocols.progress_sharing import ProgressRound
from protocols.session import Participant, Session
from protocols.visibility import Audience

EVENT = "progress_round"


def _session_of(connection_session_id: int) -> Session:
    session = get_store().session_by_id(connection_session_id)
    if session is None:
        raise DomainError("unknown_session", "This session no longer exists.")
    return session


def send_round(session: Session, current: ProgressRound | None) -> None:
    """Every screen of the session: the console and projector theirs, one broadcast to the phones, then the
    featured person's own phones (no feedback box on their own card)."""
    shown = progress_round.views(get_store(), session, current)
    socketio.emit(EVENT, shown.console, to=broadcast.facilitator_room(session.id), namespace=broadcast.FACILITATOR_NS)
    socketio.emit(EVENT, shown.projector, to=broadcast.projector_room(session.id), namespace=broadcast.PROJECTOR_NS)
    socketio.emit(EVENT, shown.phones, to=broadcast.participants_room(session.id), namespace=broadcast.PARTICIPANT_NS)
    for participant_id in shown.featured_participants:
        socketio.emit(EVENT, shown.featured_phones, to=broadcast.participant_room(participant_id),
                      namespace=broadcast.PARTICIPANT_NS)  # fmt: skip


def send_round_to(session: Session, sid: str, audience: Audience, participant: Participant | None = None) -> None:
    """A screen that (re)connects gets the round as it is: the console and projector always (none running, too, so a
    round that ended meanwhile leaves them), a phone only while one runs."""
    current = get_store().progress_round(session.id)
    if current is None and audience is Audience.AUTHOR:
        return
    shown = progress_round.views(get_store(), session, current)
    if audience is Audience.FACILITATOR:
        socketio.emit(EVENT, shown.console, to=sid, namespace=broadcast.FACILITATOR_NS)
    elif audience is Audience.PROJECTOR:
        socketio.emit(EVENT, shown.projector, to=sid, namespace=broadcast.PROJECTOR_NS)
    else:
        yours = participant is not None and participant.id in shown.featured_participants
        socketio.emit(
            EVENT, shown.featured_phones if yours else shown.phones, to=sid, namespace=broadcast.PARTICIPANT_NS
        )


def refresh_rounds(organisation_id: int) -> None:
    """After someone starts or stops sharing: every round the organisation runs shows it at once (a withdrawn
    card leaves the screens; the counts change)."""
    store = get_store()
    for session_id in progress_round.rounds_of(store, organisation_id):
        session = store.session_by_id(session_id)
        if session is not None:
            send_round(session, store.progress_round(session_id))


class ProgressRoundConsole:
    """The console's events for a progress round (mixed into the facilitator's namespace)."""

    def _round_session(self) -> Session:
        return _session_of(self.connection().session_id)  # type: ignore[attr-defined]

    @acknowledged
    def on_progress_round_start(self, data: Any = None) -> dict[str, Any]:
        """``{}``: feature, one at a time, the people in the room who share with the organisation."""
        session = self._round_session()
        started = progress_round.start(get_store(), session)
        send_round(session, started)
        return ack_ok(at=started.index)

    @acknowledged
    def on_progress_round_next(self, data: Any = None) -> dict[str, Any]:
        """``{"from": <the place the console shows>}``; after the last person the round ends."""
        return self._round_move(data, 1)

    @acknowledged
    def on_progress_round_prev(self, data: Any = None) -> dict[str, Any]:
        """``{"from": <the place the console shows>}``."""
        return self._round_move(data, -1)

    def _round_move(self, data: Any, direction: int) -> dict[str, Any]:
        payload = require(data, {"from": int})
        session = self._round_session()
        moved = progress_round.step(get_store(), session, payload["from"], direction)
        send_round(session, moved)
        return ack_ok(at=moved.index if moved else None, active=moved is not None)

    @acknowledged
    def on_progress_round_end(self, data: Any = None) -> dict[str, Any]:
        session = self._round_session()
        progress_round.end(get_store(), session)
        send_round(session, None)
        return ack_ok(active=False)


class WarmFeedbackPhone:
    """A phone's event for a progress round (mixed into the participants' namespace)."""

    @acknowledged
    def on_warm_feedback(self, data: Any = None) -> dict[str, Any]:
        """``{"at", "feedback_id", "body"}``: warm feedback to the person featured at ``at``, into their thread."""
        connection = self.connection()  # type: ignore[attr-defined]
        store = get_store()
        sender = store.participant_by_id(connection.participant_id)
        if sender is None:
            raise DomainError("unknown_participant", "You are no longer in this session.")
        progress_round.send_feedback(store, _session_of(connection.session_id), sender, data)
        return ack_ok(feedback_id=data["feedback_id"])
