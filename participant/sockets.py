"""Socket.IO handlers for phones: join or come back, receive the step, answer it."""

from typing import Any

from flask import request
from flask_socketio import emit, join_room

from facilitator.answer_writer import answer_writer
from facilitator.edge.limits import limits
from facilitator.edge.payloads import require
from facilitator.edge.replies import ack_ok
from facilitator.live import broadcast
from facilitator.live.namespace import PathwaysNamespace, acknowledged, auth_dict, refuse
from facilitator.live.presence import Seat, presence
from facilitator.routes import session_exports
from facilitator.store import MAX_EARLIER_TOKENS, NewAnswer, get_store
from facilitator.usecases import forgetting
from protocols.answers import clean_text, validate_answer, validate_answer_id
from protocols.credentials import normalise_join_code
from protocols.errors import DomainError
from protocols.followup import Recall, identifier_with_consent, recall_view
from protocols.groups import Seating, grouping_key, place_latecomer, refuse_unless_answers
from protocols.model import GroupBy
from protocols.session import Participant, Session
from protocols.setup import parse_join_answer
from protocols.visibility import Audience, shared_with_group

MAX_NAME = 80
NO_PARTICIPANT = DomainError("bad_token", "That code and participant token do not match; join again with your name.")


def checked_step_id(raw: str) -> str:
    """A step id as a phone sends it: checked before it is used to look anything up."""
    if not 1 <= len(raw) <= 120 or not raw.isprintable():
        raise DomainError("unknown_step", "There is no such step.")
    return raw


def earlier_tokens(auth: dict[str, Any]) -> list[str]:
    """The participant tokens of other sessions the phone holds: proof that it is the person who made them."""
    earlier = auth.get("earlier")
    if not isinstance(earlier, list):
        return []
    return [token for token in earlier[:MAX_EARLIER_TOKENS] if isinstance(token, str)]


class ParticipantNamespace(PathwaysNamespace):
    """Connect with ``auth={"code", "name"}`` to join, or ``auth={"code", "token"}`` to come back. Either may carry
    ``earlier`` (tokens of the person's plans from other sessions); joining may carry an ``identifier`` (e-mail or
    staff id) with ``consent``: both link the person's sessions within an organisation."""

    def on_connect(self, auth: Any = None) -> None:
        auth = auth_dict(auth)
        if "token" not in auth:
            self.refuse_guesser()
        store = get_store()
        code = normalise_join_code(auth.get("code"))
        session = store.session_by_code(code) if code else None
        if "token" in auth:
            participant = store.participant_by_token(auth["token"]) if session else None
            if session is None or participant is None or participant.session_id != session.id:
                raise self.missed(NO_PARTICIPANT)  # the same whether the code or the token is wrong
            token = auth["token"]
            participant = store.link_earlier(participant, earlier_tokens(auth))
        else:
            if session is None:
                raise self.missed(DomainError("unknown_session", "There is no session with that code."))
            try:
                name = clean_text(auth.get("name"), field="Your name", max_chars=MAX_NAME)
                join_answer = parse_join_answer(session.join_question, auth.get("join_answer"))
                identifier = identifier_with_consent(auth.get("identifier"), auth.get("consent"))
                limits().joins.check(request.remote_addr or "", "people joining")
            except DomainError as error:
                raise refuse(error) from None
            participant, token = store.add_participant(
                session.id, name, join_answer, earlier=earlier_tokens(auth), identifier=identifier
            )
        sid = request.sid  # type: ignore[attr-defined]
        presence().sit(sid, Seat(Audience.AUTHOR, session.id, participant.id, participant.name))
        join_room(broadcast.participants_room(session.id))
        join_room(broadcast.participant_room(participant.id))
        emit("welcome", {"token": token, "participant_id": participant.id, "name": participant.name})
        if self._seat_latecomer(session, participant):
            broadcast.send_states(session)  # the group board, and the new member's group-mates, change
        else:
            broadcast.send_participant_states(session, [participant.id], to=sid)
        broadcast.schedule_live(session.id)

    def _seat_latecomer(self, session: Session, participant: Participant) -> bool:
        """Once groups exist, someone who has none is placed like the rest; True if they were placed."""
        store = get_store()
        if session.grouped is None:
            return False
        groups = store.groups(session.id)
        if not groups or Seating(groups).group_of(participant.id) is not None:
            return False
        by = session.grouped.by
        answers = store.answers_by_participant(session.id) if by is GroupBy.SYSTEM_GOAL else {}
        people = {p.id: p for p in store.participants(session.id)}
        keys = {pid: grouping_key(by, people[pid], answers.get(pid, {}), session) for pid in people}
        number = place_latecomer(groups, keys, keys[participant.id], session.grouped.size)
        store.seat_in_group(session.id, participant.id, number)
        return True

    @acknowledged
    def on_answer(self, data: Any = None) -> dict[str, Any]:
        """``{"step_id", "answer_id", "value"}``; acked only once the answer is committed to the database."""
        payload = require(data, {"step_id": str, "answer_id": str, "value": None})
        seat = self.seat()
        store = get_store()
        assert seat.participant_id is not None
        checked_step_id(payload["step_id"])
        answer_id = validate_answer_id(payload["answer_id"])
        session = store.session_by_id(seat.session_id)
        if session is None:
            raise DomainError("unknown_session", "This session no longer exists.")
        current = session.current
        if current is None or current.key != payload["step_id"] or session.locked:
            resent = store.saved_answer(seat.participant_id, payload["step_id"], answer_id)
            if resent is not None:  # saved before its ack was lost: true even though the step has closed since
                return ack_ok(step_id=resent.step_key, answer_id=resent.answer_id, saved_at=resent.saved_at)
        if current is None or current.key != payload["step_id"]:
            raise DomainError("step_closed", "That step is not open any more; your answer was not saved.")
        if session.locked:
            raise DomainError("step_locked", "The facilitator has closed this step; your answer was not saved.")
        assert seat.participant_id is not None
        shared = shared_with_group(current.step.visibility)
        seating = Seating(store.groups(session.id)) if shared or current.step.by_role else Seating({})
        refuse_unless_answers(current, seating, seat.participant_id)
        if current.step.returning_only and not self._returning(session, seat.participant_id):
            raise DomainError(
                "not_returning", "This step is for people returning to a goal; you set yours in the steps that follow."
            )
        value = validate_answer(current.step, payload["value"], session.system_goals)
        group = seating.group_of(seat.participant_id) if shared else None  # who sat together, kept with the answer
        new = NewAnswer(session.id, seat.participant_id, current.key, answer_id, value, group)
        answer, changed = answer_writer().save(new)  # returns once committed, together with answers sent alongside
        if changed:
            broadcast.announce_answer(session, current, answer, seat.name, request.sid)  # type: ignore[attr-defined]
        return ack_ok(step_id=answer.step_key, answer_id=answer.answer_id, saved_at=answer.saved_at)

    @staticmethod
    def _returning(session: Session, participant_id: int) -> bool:
        """Whether the person comes back to a goal: what decides who answers a step for returning people."""
        store = get_store()
        recall = store.recalls(session, [participant_id]).get(participant_id, Recall())
        return recall_view(session, store.answers_of(participant_id), recall)["status"] == "returning"

    @acknowledged
    def on_forget(self, data: Any = None) -> dict[str, Any]:
        """``{"step_id"}`` deletes the participant's answer to one step; ``{}`` deletes every answer they gave.

        Allowed at any time, even on a locked or closed step: what a person wrote is theirs to take back.
        """
        step_id = require({} if data is None else data, {}).get("step_id")
        if step_id is not None and not isinstance(step_id, str):
            raise DomainError("bad_request", "step_id must be a step id, or left out to delete every answer.")
        if step_id is not None:
            checked_step_id(step_id)
        seat = self.seat()
        store = get_store()
        session = store.session_by_id(seat.session_id)
        if session is None:
            raise DomainError("unknown_session", "This session no longer exists.")
        assert seat.participant_id is not None
        answers = forgetting.Answers(session, seat.participant_id, step_id)
        deleted = forgetting.forget(store, session_exports.runner(), answers)  # an export that held them goes too
        # This phone, group-mates who were shown the answers, and the counts on the screens change; nobody else.
        mates = Seating(store.groups(session.id)).mates(seat.participant_id)
        broadcast.send_participant_states(session, [seat.participant_id, *mates])
        broadcast.send_screens(session)
        return ack_ok(deleted=deleted)
