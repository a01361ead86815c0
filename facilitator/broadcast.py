"""Who hears what: the Socket.IO rooms of a session, who is connected, and the messages each audience is sent."""

import threading
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from flask import Flask, current_app

from facilitator.extensions import socketio
from facilitator.store import get_store
from protocols import views
from protocols.groups import Seating
from protocols.session import AgendaStep, Answer, Session
from protocols.views import RoomPicture
from protocols.visibility import Audience, shared_with_group

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
        self._qr_shown: set[int] = set()  # sessions whose projector shows the join QR code full size

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

    def seated(self, session_id: int, audience: Audience | None = None) -> list[tuple[str, Seat]]:
        """The connections seated in a session, all of them or one audience's, with their seats."""
        with self._lock:
            return [(sid, seat) for sid, seat in self._seats.items()
                    if seat.session_id == session_id and (audience is None or seat.audience is audience)]  # fmt: skip

    def connected(self, session_id: int) -> int:
        """How many distinct participants of the session have at least one open connection."""
        return len(self._phones.get(session_id, ()))

    def connected_ids(self, session_id: int) -> set[int]:
        with self._lock:
            return set(self._phones.get(session_id, ()))

    def qr_shown(self, session_id: int) -> bool:
        return session_id in self._qr_shown

    def show_qr(self, session_id: int, on: bool) -> None:
        """Kept in memory: after a restart the projector simply shows the step again, with the QR in its corner."""
        with self._lock:
            if on:
                self._qr_shown.add(session_id)
            else:
                self._qr_shown.discard(session_id)

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


def picture(session: Session) -> RoomPicture:
    """What every screen is built from right now: names, groups, the open step's answers, who is connected."""
    store = get_store()
    current = session.current
    return RoomPicture(
        session=session,
        names=store.participant_names(session.id),
        step_answers=store.answers_to_step(session.id, current.key) if current else [],
        seating=Seating(store.groups(session.id)),
        connected=presence().connected(session.id),
        now=time.time(),
        show_qr=presence().qr_shown(session.id),
    )


def disconnect(session_id: int, audience: Audience | None = None) -> None:
    """Close connections whose credential no longer holds: a replaced facilitator key, a deleted session."""
    namespaces = {Audience.FACILITATOR: FACILITATOR_NS, Audience.PROJECTOR: PROJECTOR_NS}
    for sid, seat in presence().seated(session_id, audience):
        socketio.server.disconnect(sid, namespace=namespaces.get(seat.audience, PARTICIPANT_NS))


def send_states(session: Session) -> None:
    """After the session moves or its groups change: every phone gets its own state, console and projector theirs."""
    room = picture(session)
    answers = get_store().answers_by_participant(session.id)
    for participant_id in room.names:
        state = views.participant_state(room, participant_id, answers.get(participant_id, {}))
        socketio.emit("state", state, to=participant_room(participant_id), namespace=PARTICIPANT_NS)
    send_screens(session, room)


def send_screens(session: Session, room: RoomPicture | None = None) -> None:
    """The console's and the projector's state, where the phones' have not changed (the QR shown, say)."""
    room = room or picture(session)
    socketio.emit("state", views.facilitator_state(room), to=facilitator_room(session.id), namespace=FACILITATOR_NS)
    socketio.emit("state", views.projector_state(room), to=projector_room(session.id), namespace=PROJECTOR_NS)


def send_participant_states(session: Session, participant_ids: Iterable[int], to: str | None = None) -> None:
    """Fresh state for some phones, e.g. the group-mates of someone who just shared an answer with the group."""
    room = picture(session)
    store = get_store()
    for participant_id in participant_ids:
        state = views.participant_state(room, participant_id, store.answers_of(participant_id))
        socketio.emit("state", state, to=to or participant_room(participant_id), namespace=PARTICIPANT_NS)


def send_console_state(session: Session, to: str) -> None:
    socketio.emit("state", views.facilitator_state(picture(session)), to=to, namespace=FACILITATOR_NS)


def send_projector_state(session: Session, to: str) -> None:
    socketio.emit("state", views.projector_state(picture(session)), to=to, namespace=PROJECTOR_NS)


def announce_answer(session: Session, agenda_step: AgendaStep, answer: Answer, name: str) -> None:
    """A saved answer goes to the console at once (if the facilitator may see it) and to group-mates' phones (if
    its visibility shares it with the group); counts follow, throttled."""
    view = views.answer_view(Audience.FACILITATOR, agenda_step, answer, name)
    if view is not None:
        socketio.emit("answer", view, to=facilitator_room(session.id), namespace=FACILITATOR_NS)
    if shared_with_group(agenda_step.step.visibility):
        mates = Seating(get_store().groups(session.id)).mates(answer.participant_id)
        if mates:
            send_participant_states(session, mates)
    schedule_live(session.id)


def announce_moderation(session: Session, agenda_step: AgendaStep, answer: Answer) -> None:
    """A hidden or spotlighted answer: the console gets the answer with its new flags, both screens the new picture."""
    name = get_store().participant_names(session.id).get(answer.participant_id, "")
    view = views.answer_view(Audience.FACILITATOR, agenda_step, answer, name)
    if view is not None:
        socketio.emit("answer", view, to=facilitator_room(session.id), namespace=FACILITATOR_NS)
    send_live_now(session)


def send_live_now(session: Session) -> None:
    """Counts and the room's picture at once, e.g. after the facilitator hides or spotlights an answer."""
    room = picture(session)
    socketio.emit("live", room.console_live, to=facilitator_room(session.id), namespace=FACILITATOR_NS)
    socketio.emit("live", room.live, to=projector_room(session.id), namespace=PROJECTOR_NS)


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
    if session is not None:
        send_live_now(session)
