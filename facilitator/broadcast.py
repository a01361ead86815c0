"""Who hears what: the Socket.IO rooms of a session, who is connected, and the messages each audience is sent."""

import threading
import time
from collections import Counter
from dataclasses import dataclass

from flask import Flask, current_app

from facilitator.extensions import socketio
from facilitator.store import get_store
from protocols import views
from protocols.session import AgendaStep, Answer, Session
from protocols.visibility import Audience

PARTICIPANT_NS = "/participant"
FACILITATOR_NS = "/facilitator"
PROJECTOR_NS = "/projector"
EXTENSION_KEY = "pathways.presence"


def participants_room(session_id: int) -> str:
    return f"session:{session_id}:participants"


def participant_room(participant_id: int) -> str:
    """Every open tab of one participant: their own answers go only here."""
    return f"participant:{participant_id}"


def facilitator_room(session_id: int) -> str:
    return f"session:{session_id}:facilitator"


def projector_room(session_id: int) -> str:
    return f"session:{session_id}:projector"


@dataclass(frozen=True, slots=True)
class Seat:
    """What one Socket.IO connection is: its audience, its session and, for a phone, its participant."""

    audience: Audience
    session_id: int
    participant_id: int | None = None
    name: str = ""


class Presence:
    """Who is connected to this server process right now, and the pending live-count refreshes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seats: dict[str, Seat] = {}
        self._phones: dict[int, Counter[int]] = {}  # session id -> participant id -> open connections
        self._live_pending: set[int] = set()

    def seat(self, sid: str) -> Seat | None:
        return self._seats.get(sid)

    def sit(self, sid: str, seat: Seat) -> None:
        with self._lock:
            self._seats[sid] = seat
            if seat.participant_id is not None:
                self._phones.setdefault(seat.session_id, Counter())[seat.participant_id] += 1

    def leave(self, sid: str) -> Seat | None:
        with self._lock:
            seat = self._seats.pop(sid, None)
            if seat is not None and seat.participant_id is not None:
                phones = self._phones.get(seat.session_id, Counter())
                phones[seat.participant_id] -= 1
                if phones[seat.participant_id] <= 0:
                    del phones[seat.participant_id]
            return seat

    def connected(self, session_id: int) -> int:
        """How many distinct participants of the session have at least one open connection."""
        return len(self._phones.get(session_id, ()))

    def claim_live(self, session_id: int) -> bool:
        """True for the first caller while no refresh is pending for the session: that caller sends it."""
        with self._lock:
            if session_id in self._live_pending:
                return False
            self._live_pending.add(session_id)
            return True

    def release_live(self, session_id: int) -> None:
        with self._lock:
            self._live_pending.discard(session_id)


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = Presence()


def presence() -> Presence:
    return current_app.extensions[EXTENSION_KEY]


def _open_step(session: Session) -> tuple[dict[int, str], list[Answer], dict]:
    """Names, the open step's answers and the live counts: what the console and projector views are built from."""
    store = get_store()
    current = session.current
    step_answers = store.answers_to_step(session.id, current.key) if current else []
    names = store.participant_names(session.id)
    live = views.live_counts(session, len(names), presence().connected(session.id), step_answers, names)
    return names, step_answers, live


def send_states(session: Session) -> None:
    """After the session moves: every phone gets its own state, the console and projector their views."""
    store = get_store()
    now = time.time()
    answers = store.answers_by_participant(session.id)
    for participant_id in store.participant_names(session.id):
        state = views.participant_state(session, answers.get(participant_id, {}), now)
        socketio.emit("state", state, to=participant_room(participant_id), namespace=PARTICIPANT_NS)
    send_console_state(session, to=facilitator_room(session.id))
    send_projector_state(session, to=projector_room(session.id))


def send_participant_state(session: Session, participant_id: int, to: str) -> None:
    state = views.participant_state(session, get_store().answers_of(participant_id), time.time())
    socketio.emit("state", state, to=to, namespace=PARTICIPANT_NS)


def send_console_state(session: Session, to: str) -> None:
    names, step_answers, live = _open_step(session)
    state = views.facilitator_state(session, names, step_answers, live, time.time())
    socketio.emit("state", state, to=to, namespace=FACILITATOR_NS)


def send_projector_state(session: Session, to: str) -> None:
    state = views.projector_state(session, _open_step(session)[2], time.time())
    socketio.emit("state", state, to=to, namespace=PROJECTOR_NS)


def announce_answer(session: Session, agenda_step: AgendaStep, answer: Answer, name: str) -> None:
    """A saved answer goes to the console at once (if the facilitator may see it); counts follow, throttled."""
    view = views.answer_view(Audience.FACILITATOR, agenda_step, answer, name)
    if view is not None:
        socketio.emit("answer", view, to=facilitator_room(session.id), namespace=FACILITATOR_NS)
    schedule_live(session.id)


def schedule_live(session_id: int) -> None:
    """Refresh counts and the room's aggregate on the console and projector, at most once per LIVE_INTERVAL.

    With hundreds of answers a second, one refresh carries them all instead of one message per answer.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    interval = app.config["LIVE_INTERVAL"]
    if interval <= 0:
        _send_live(app, session_id)
        return
    if presence().claim_live(session_id):
        socketio.start_background_task(_send_live_later, app, session_id, interval)


def _send_live_later(app: Flask, session_id: int, interval: float) -> None:
    socketio.sleep(interval)
    with app.app_context():
        presence().release_live(session_id)
        _send_live(app, session_id)


def _send_live(app: Flask, session_id: int) -> None:
    session = get_store().session_by_id(session_id)
    if session is None:
        return
    live = _open_step(session)[2]
    socketio.emit("live", live, to=facilitator_room(session_id), namespace=FACILITATOR_NS)
    socketio.emit("live", live, to=projector_room(session_id), namespace=PROJECTOR_NS)
