"""The progress round over Socket.IO: the console's start, next, previous and end; a phone's warm feedback; and
``progress_round`` sent to the console, the projector and every phone (again to a screen that connects)."""

from typing import Any

from facilitator.edge.language import language
from facilitator.edge.payloads import require
from facilitator.edge.replies import ack_ok
from facilitator.extensions import socketio
from facilitator.live import broadcast
from facilitator.live.namespace import acknowledged
from facilitator.store import get_store
from facilitator.usecases import answering, progress_round
from protocols.errors import DomainError
from protocols.progress_sharing import ProgressRound
from protocols.session import Participant, Session
from protocols.visibility import Audience

EVENT = "progress_round"


def send_round(session: Session, current: ProgressRound | None, room: progress_round.Room | None = None) -> None:
    """Every screen of the session: the console and projector theirs, one broadcast to the phones, then the
    featured person's own phones (no feedback box on their own card). ``room``: what the event read already."""
    shown = progress_round.views(get_store(), session, current, language(session.language), room)
    socketio.emit(EVENT, shown.console, to=broadcast.facilitator_room(session.id), namespace=broadcast.FACILITATOR_NS)
    socketio.emit(EVENT, shown.projector, to=broadcast.projector_room(session.id), namespace=broadcast.PROJECTOR_NS)
    socketio.emit(EVENT, shown.phones, to=broadcast.participants_room(session.id), namespace=broadcast.PARTICIPANT_NS)
    for participant_id in shown.featured_participants:
        socketio.emit(EVENT, shown.featured_phones, to=broadcast.participant_room(participant_id),
                      namespace=broadcast.PARTICIPANT_NS)  # fmt: skip


def send_round_to(session: Session, sid: str, audience: Audience, participant: Participant | None = None) -> None:
    """A screen that (re)connects gets the round as it is: the console and projector always (none running, too, so a
    round that ended meanwhile leaves them), a phone only while one runs. Each reads only its own picture: a room
    of phones reconnecting at once does not read the room once per phone."""
    store = get_store()
    current = store.progress_round(session.id)
    if audience is Audience.FACILITATOR:
        socketio.emit(EVENT, progress_round.console_view(store, session, current, language(session.language)), to=sid,
                      namespace=broadcast.FACILITATOR_NS)  # fmt: skip
    elif audience is Audience.PROJECTOR:
        socketio.emit(EVENT, progress_round.projector_view(store, session, current, language(session.language)), to=sid,
                      namespace=broadcast.PROJECTOR_NS)  # fmt: skip
    elif current is not None and participant is not None:
        socketio.emit(EVENT, progress_round.phone_view(store, session, current, participant), to=sid,
                      namespace=broadcast.PARTICIPANT_NS)  # fmt: skip


def refresh_rounds(organisation_id: int) -> None:
    """After someone starts or stops sharing: every round the organisation runs shows it at once (a withdrawn
    card leaves the screens; the counts change)."""
    store = get_store()
    for session_id in progress_round.rounds_of(store, organisation_id):
        session = store.session_by_id(session_id)
        if session is not None:
            send_round(session, store.progress_round(session_id))


class ProgressRoundConsole:
    """The console's events for a progress round (mixed into the facilitator's namespace, whose ``_session`` it
    uses)."""

    @acknowledged
    def on_progress_round_start(self, data: Any = None) -> dict[str, Any]:
        """``{}``: feature, one at a time, the people in the room who share with the organisation."""
        session = self._session()  # type: ignore[attr-defined]
        started, room = progress_round.start(get_store(), session)
        send_round(session, started, room)
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
        session = self._session()  # type: ignore[attr-defined]
        moved, room = progress_round.step(get_store(), session, payload["from"], direction)
        send_round(session, moved, room)
        return ack_ok(at=moved.index if moved else None, active=moved is not None)

    @acknowledged
    def on_progress_round_end(self, data: Any = None) -> dict[str, Any]:
        session = self._session()  # type: ignore[attr-defined]
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
        progress_round.send_feedback(store, answering.open_session(store, connection.session_id), sender, data)
        return ack_ok(feedback_id=data["feedback_id"])
