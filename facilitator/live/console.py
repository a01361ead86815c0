"""Socket.IO handlers for the facilitator's console and the room's projector."""

import time
from collections.abc import Callable
from typing import Any

from flask import current_app, request
from flask_socketio import join_room

from facilitator.edge.payloads import require
from facilitator.edge.replies import ack_ok
from facilitator.live import broadcast
from facilitator.live.ideas import IdeasConsole, send_boards, send_ideas_to
from facilitator.live.language import LanguageConsole
from facilitator.live.media import MediaConsole
from facilitator.live.namespace import PathwaysNamespace, acknowledged, auth_dict
from facilitator.live.parking_lot import ParkingLotConsole, agenda_changed, send_board_to
from facilitator.live.presence import Connection, presence
from facilitator.live.progress_round import ProgressRoundConsole, send_round_to
from facilitator.live.reveal import RevealConsole
from facilitator.store import get_store
from facilitator.usecases import agenda, answering, artifacts, grouping, media, moderating
from protocols.artifacts import no_such_artifact
from protocols.credentials import normalise_join_code
from protocols.errors import DomainError
from protocols.groups import Seating
from protocols.record_ids import record_id
from protocols.session import Session
from protocols.visibility import Audience

# To a stranger, a wrong code and a wrong secret read the same: a refusal is no oracle for which codes exist.
NO_CONSOLE = DomainError("bad_key", "That code and facilitator key do not open a session; ask for a new console link.")
# Ids a database cannot hold name nothing: refused as the unknown ones they are, never sent to the database.
NO_ANSWER = DomainError("unknown_answer", "There is no such answer to this step.")
NO_PARTICIPANT = DomainError("unknown_participant", "There is no such participant in this session.")
NO_GROUP = DomainError("bad_request", "Choose one of the session's groups, or one past the last.")


class FacilitatorNamespace(
    LanguageConsole,
    RevealConsole,
    ProgressRoundConsole,
    ParkingLotConsole,
    MediaConsole,
    IdeasConsole,
    PathwaysNamespace,
):
    """The console: moves through the agenda, runs the timer and the progress round (live/progress_round.py).
    Connect with ``auth={"code", "key"}``."""

    def on_connect(self, auth: Any = None) -> None:
        auth = auth_dict(auth)
        try:
            session = get_store().facilitator_session(normalise_join_code(auth.get("code")), auth.get("key"))
        except DomainError:
            raise self.missed(NO_CONSOLE) from None
        presence().add(request.sid, Connection(Audience.FACILITATOR, session.id))  # type: ignore[attr-defined]
        join_room(broadcast.facilitator_room(session.id))
        broadcast.send_console_state(session, to=request.sid)  # type: ignore[attr-defined]
        send_round_to(session, request.sid, Audience.FACILITATOR)  # type: ignore[attr-defined]
        send_board_to(session, request.sid, Audience.FACILITATOR)  # type: ignore[attr-defined]
        send_ideas_to(session, request.sid, Audience.FACILITATOR)  # type: ignore[attr-defined]

    def _session(self) -> Session:
        """The connection's session (``unknown_session`` once deleted); the progress round's events use it too."""
        return answering.open_session(get_store(), self.connection().session_id)

    def _move(self, change: Callable[[Session], Session]) -> dict[str, Any]:
        """Apply a change to the run state or agenda, store it, then send every screen its new view."""
        before = self._session()
        moved = change(before)
        get_store().save_run_state(moved)
        broadcast.send_step(before, moved)
        send_boards(moved, before)  # an ideas step opened: its ideas
        return ack_ok(position=moved.position, phase=moved.phase, step_id=moved.current.key if moved.current else None)

    @acknowledged
    def on_next(self, data: Any = None) -> dict[str, Any]:
        """``{"from": <the step id the console sees open, or null>}``; without ``from``, moves regardless."""
        seen = _seen_step(data)
        return self._move(lambda session: seen(session).next(time.time()))

    @acknowledged
    def on_prev(self, data: Any = None) -> dict[str, Any]:
        seen = _seen_step(data)
        return self._move(lambda session: seen(session).prev(time.time()))

    @acknowledged
    def on_goto(self, data: Any = None) -> dict[str, Any]:
        payload = require(data, {"step_id": str})
        seen = _seen_step(payload)
        return self._move(lambda session: seen(session).goto(payload["step_id"], time.time()))

    @acknowledged
    def on_timer(self, data: Any = None) -> dict[str, Any]:
        """``{"action": "start"|"pause"|"resume"|"extend", "seconds": n}``; seconds for start and extend."""
        payload = require(data, {"action": str})
        return self._move(lambda session: session.run_timer(payload["action"], payload.get("seconds"), time.time()))

    @acknowledged
    def on_lock(self, data: Any = None) -> dict[str, Any]:
        """``{"locked": true}`` closes the open step to answers; ``false`` opens it again."""
        payload = require(data, {"locked": bool})
        return self._move(lambda session: session.with_lock(payload["locked"]))

    @acknowledged
    def on_moderate(self, data: Any = None) -> dict[str, Any]:
        """``{"participant_id", "step_id", "hidden"?, "spotlight"?, "approved"?}``: take an answer off the
        projector, put it up there, or let the room see it (approve steps)."""
        payload = require(data, {"participant_id": int, "step_id": str})
        record_id(payload["participant_id"], "participant_id", NO_ANSWER)
        session = self._session()
        agenda_step, answer = moderating.moderate(get_store(), session, payload)
        broadcast.announce_moderation(session, agenda_step, answer)
        return ack_ok(**moderating.moderation_flags(agenda_step, answer))

    @acknowledged
    def on_show_qr(self, data: Any = None) -> dict[str, Any]:
        """``{"on": true}`` puts the join QR code up full size on the projector, for latecomers; false takes it down."""
        payload = require(data, {"on": bool})
        session = self._session()
        presence().show_qr(session.id, payload["on"])
        broadcast.send_screens(session)  # phones do not change
        return ack_ok(show_qr=payload["on"])

    @acknowledged
    def on_artifact_page(self, data: Any = None) -> dict[str, Any]:
        """``{"artifact_id": 5, "page": 2}``: the page of the room's student work the projector shows."""
        payload = require(data, {"artifact_id": int, "page": int})
        record_id(payload["artifact_id"], "artifact_id", no_such_artifact())
        session = self._session()
        page = artifacts.show_page(get_store(), session, payload)
        broadcast.send_screens(session)  # phones turn their own pages
        return ack_ok(page=page)

    @acknowledged
    def on_form_groups(self, data: Any = None) -> dict[str, Any]:
        """``{"size": 6, "by": "random"|"system_goal"|"join_answer", "confirm": false}``, each optional: groups of
        everyone connected now (everyone who joined, if no phone is); latecomers are placed as they arrive."""
        payload = require(data if data is not None else {}, {})
        session = self._session()
        groups, placed = grouping.form(get_store(), session, payload, presence().connected_ids(session.id))
        formed = get_store().session_by_id(session.id) or session
        broadcast.send_states(formed)
        send_boards(formed, own_parts=False)  # an open ideas step: who may post changed with the tables
        return ack_ok(groups=groups, placed=placed)

    @acknowledged
    def on_move(self, data: Any = None) -> dict[str, Any]:
        """``{"participant_id": 17, "group": 3}`` moves a person; a group number one past the last opens a new table."""
        payload = require(data, {"participant_id": int, "group": int})
        record_id(payload["participant_id"], "participant_id", NO_PARTICIPANT)
        record_id(payload["group"], "group", NO_GROUP)
        session = self._session()
        was_at = Seating(get_store().groups(session.id)).group_of(payload["participant_id"])
        grouping.move(get_store(), session, payload["participant_id"], payload["group"])
        broadcast.announce_seating(session, [payload["participant_id"]], left=was_at)
        return ack_ok()

    @acknowledged
    def on_agenda_add(self, data: Any = None) -> dict[str, Any]:
        """``{"protocol_id": "tuning"}`` from the library, or ``{"toml": "..."}`` for an uploaded protocol file;
        optional ``rounds``. The protocol goes at the end of the agenda."""
        protocol, rounds = agenda.protocol_to_add(require(data, {}))
        answered = get_store().answered_items(self.connection().session_id)
        return self._move(lambda session: session.with_item_added(protocol, rounds, answered))

    @acknowledged
    def on_agenda_move(self, data: Any = None) -> dict[str, Any]:
        """``{"item": 3, "to": 1}``: reorder what is still ahead (``to`` is the new index in the agenda)."""
        payload = require(data, {"item": int, "to": int})
        return self._move(lambda session: session.with_item_moved(payload["item"], payload["to"]))

    @acknowledged
    def on_agenda_remove(self, data: Any = None) -> dict[str, Any]:
        """``{"item": 3}``: skip a protocol that has not started."""
        payload = require(data, {"item": int})
        answered = get_store().answered_items(self.connection().session_id)
        before = self._session()
        moved = self._move(lambda session: session.with_item_removed(payload["item"], answered))
        _removed_from_agenda(before, self._session())
        return moved

    @acknowledged
    def on_agenda_rounds(self, data: Any = None) -> dict[str, Any]:
        """``{"item": 3, "rounds": 4}``: how many rounds a protocol ahead runs (one per presenter, say)."""
        payload = require(data, {"item": int, "rounds": int})
        return self._move(lambda session: session.with_rounds(payload["item"], payload["rounds"]))


def _removed_from_agenda(before: Session, after: Session) -> None:
    """What went with a protocol taken out: its steps' media, and a parking-lot item's place (it may move again)."""
    media.items_removed(get_store(), current_app.config["DATA_DIR"], before, after)
    agenda_changed(before, after)


def _seen_step(data: Any) -> Callable[[Session], Session]:
    """The check a move's ``from`` asks for: the session must still be on that step (no ``from``: no check)."""
    payload = require({} if data is None else data, {})
    if "from" not in payload:
        return lambda session: session
    seen = payload["from"]
    if seen is not None and not isinstance(seen, str):
        raise DomainError("bad_request", "'from' must be the id of the step the console shows open, or null.")
    return lambda session: session.still_on(seen)


class ProjectorNamespace(PathwaysNamespace):
    """The room's screen: read-only. Connect with ``auth={"code"}``; it sends nothing but receives views."""

    def on_connect(self, auth: Any = None) -> None:
        self.refuse_guesser()
        code = normalise_join_code(auth_dict(auth).get("code"))
        session = get_store().session_by_code(code) if code else None
        if session is None:
            raise self.missed(DomainError("unknown_session", "There is no session with that code."))
        presence().add(request.sid, Connection(Audience.PROJECTOR, session.id))  # type: ignore[attr-defined]
        join_room(broadcast.projector_room(session.id))
        broadcast.send_projector_state(session, to=request.sid)  # type: ignore[attr-defined]
        send_round_to(session, request.sid, Audience.PROJECTOR)  # type: ignore[attr-defined]
        send_board_to(session, request.sid, Audience.PROJECTOR)  # type: ignore[attr-defined]
        send_ideas_to(session, request.sid, Audience.PROJECTOR)  # type: ignore[attr-defined]
