"""Socket.IO handlers for phones: join or come back, receive the step, answer it."""

from typing import Any

from flask import request
from flask_socketio import emit, join_room

from facilitator import broadcast
from facilitator.broadcast import Seat
from facilitator.payloads import require
from facilitator.replies import ack_ok
from facilitator.sockets import PathwaysNamespace, acknowledged, auth_dict, refuse
from facilitator.store import get_store
from protocols.answers import clean_text, validate_answer, validate_answer_id
from protocols.credentials import normalise_join_code
from protocols.errors import DomainError
from protocols.visibility import Audience

MAX_NAME = 80


class ParticipantNamespace(PathwaysNamespace):
    """Connect with ``auth={"code", "name"}`` to join, or ``auth={"code", "token"}`` to come back."""

    def on_connect(self, auth: Any = None) -> None:
        auth = auth_dict(auth)
        store = get_store()
        code = normalise_join_code(auth.get("code"))
        session = store.session_by_code(code) if code else None
        if session is None:
            raise refuse(DomainError("unknown_session", "There is no session with that code."))
        if "token" in auth:
            participant = store.participant_by_token(auth["token"])
            if participant is None or participant.session_id != session.id:
                raise refuse(DomainError("bad_token", "That participant token does not belong to this session."))
            token = auth["token"]
        else:
            try:
                name = clean_text(auth.get("name"), field="Your name", max_chars=MAX_NAME)
            except DomainError as error:
                raise refuse(error) from None
            participant, token = store.add_participant(session.id, name)
        sid = request.sid  # type: ignore[attr-defined]
        broadcast.presence().sit(sid, Seat(Audience.AUTHOR, session.id, participant.id, participant.name))
        join_room(broadcast.participants_room(session.id))
        join_room(broadcast.participant_room(participant.id))
        emit("welcome", {"token": token, "participant_id": participant.id, "name": participant.name})
        broadcast.send_participant_state(session, participant.id, to=sid)
        broadcast.schedule_live(session.id)

    @acknowledged
    def on_answer(self, data: Any = None) -> dict[str, Any]:
        """``{"step_id", "answer_id", "value"}``; acked only once the answer is committed to the database."""
        payload = require(data, {"step_id": str, "answer_id": str, "value": None})
        seat = self.seat()
        store = get_store()
        session = store.session_by_id(seat.session_id)
        if session is None:
            raise DomainError("unknown_session", "This session no longer exists.")
        current = session.current
        if current is None or current.key != payload["step_id"]:
            raise DomainError("step_closed", "That step is not open any more; your answer was not saved.")
        answer_id = validate_answer_id(payload["answer_id"])
        value = validate_answer(current.step, payload["value"], session.system_goals)
        assert seat.participant_id is not None
        answer, changed = store.save_answer(session.id, seat.participant_id, current.key, answer_id, value)
        if changed:
            broadcast.announce_answer(session, current, answer, seat.name)
        return ack_ok(step_id=answer.step_key, answer_id=answer.answer_id, saved_at=answer.saved_at)
