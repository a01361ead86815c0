"""Socket.IO handlers for phones: join or come back, receive the step, answer it."""

from typing import Any

from flask_socketio import emit, join_room

from facilitator.edge.payloads import require
from facilitator.edge.replies import ack_ok
from facilitator.live import broadcast
from facilitator.live import ideas as live_ideas
from facilitator.live.ideas import IdeasPhone
from facilitator.live.language import LanguagePhone
from facilitator.live.namespace import PathwaysNamespace, acknowledged, auth_dict
from facilitator.live.parking_lot import ParkingLotPhone
from facilitator.live.presence import Connection, presence
from facilitator.live.progress_round import WarmFeedbackPhone, send_round_to
from facilitator.routes import session_exports
from facilitator.store import get_store
from facilitator.usecases import answering, forgetting, joining
from protocols.errors import DomainError
from protocols.session import Participant, Session
from protocols.visibility import Audience


def _catch_up(session: Session, sid: str, participant: Participant) -> None:
    """What a phone that joins or comes back is shown of the activities under way: an open ideas step's board (with
    its own part), a running progress round."""
    live_ideas.send_ideas_to(session, sid, Audience.AUTHOR, participant.id)
    send_round_to(session, sid, Audience.AUTHOR, participant)


class ParticipantNamespace(LanguagePhone, WarmFeedbackPhone, ParkingLotPhone, IdeasPhone, PathwaysNamespace):
    """Connect with ``auth={"code", "name"}`` to join, or ``auth={"code", "token"}`` to come back. Either may carry
    ``earlier`` (tokens of the person's plans from other sessions); joining may carry an ``identifier`` (e-mail or
    staff id) with ``consent``: both link the person's sessions within an organisation."""

    def on_connect(self, auth: Any = None) -> None:
        auth, store = auth_dict(auth), get_store()
        if "token" not in auth:
            self.refuse_guesser()
        try:
            joined = joining.come_back(store, auth) if "token" in auth else joining.join(store, auth, self.address())
        except DomainError as error:
            raise self.refusal(error) from None
        session, participant, sid = joined.session, joined.participant, self.sid()
        presence().add(sid, Connection(Audience.AUTHOR, session.id, participant.id, participant.name))
        join_room(broadcast.participants_room(session.id))
        join_room(broadcast.participant_room(participant.id))
        emit("welcome", {"token": joined.token, "participant_id": participant.id, "name": participant.name})
        broadcast.announce_arrival(session, participant.id, sid, joined.seated)
        _catch_up(session, sid, participant)

    @acknowledged
    def on_answer(self, data: Any = None) -> dict[str, Any]:
        """``{"step_id", "answer_id", "value"}``; acked only once the answer is committed to the database."""
        payload = require(data, {"step_id": str, "answer_id": str, "value": None})
        connection = self.connection()
        saved = answering.save(get_store(), connection.session_id, connection.participant_id, payload)  # type: ignore[arg-type]
        if saved.changed and saved.session and saved.step:
            broadcast.announce_answer(
                saved.session, saved.step, saved.answer, connection.name, self.sid(), saved.seating
            )
        answer = saved.answer
        return ack_ok(step_id=answer.step_id, answer_id=answer.answer_id, saved_at=answer.saved_at)

    @acknowledged
    def on_forget(self, data: Any = None) -> dict[str, Any]:
        """``{"step_id"}`` deletes the participant's answer to one step; ``{}`` deletes every answer they gave.
        Allowed at any time, even on a locked or closed step: what a person wrote is theirs to take back."""
        step_id = answering.step_to_forget(require({} if data is None else data, {}))
        connection = self.connection()
        session = answering.open_session(get_store(), connection.session_id)
        answers = forgetting.Answers(session, connection.participant_id, step_id)  # type: ignore[arg-type]
        was_at = broadcast.table_of_open_answer(session, connection.participant_id)  # type: ignore[arg-type]
        ideas_leaving = live_ideas.before_forgetting([(session.id, connection.participant_id)], step_id)  # type: ignore[list-item]
        deleted = forgetting.forget(get_store(), session_exports.runner(), answers)  # an export that held them too
        broadcast.announce_forgotten(session, connection.participant_id, was_at)  # type: ignore[arg-type]
        live_ideas.announce_gone(ideas_leaving)  # the open ideas board drops their ideas and votes
        return ack_ok(deleted=deleted)
