"""Ideas and votes over Socket.IO: a phone's post_idea, vote and unvote; the console's open_voting, moderate_idea and
merge_ideas; every screen's board when it connects or the step changes; and the throttled deltas in between.

A vote costs its voter's ack and nothing else at once: the console and projector hear of it in the next delta (one
per ``LIVE_INTERVAL``, encoded once per audience), and phones never do (counts would sway the vote). Phones hear of
ideas posted, hidden or merged in the same deltas, one broadcast per window, never one message per idea.
"""

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app

from facilitator.edge.payloads import require
from facilitator.edge.replies import ack_ok
from facilitator.extensions import socketio
from facilitator.live import broadcast
from facilitator.live.namespace import acknowledged
from facilitator.store import get_store
from facilitator.usecases import ideas as usecase
from protocols import ideas
from protocols.ideas import Board, Idea
from protocols.reveal import results_revealed
from protocols.session import Session
from protocols.visibility import Audience

BOARD, DELTA = "ideas", "ideas_delta"
R = TypeVar("R")
PENDING_KEY = "pathways.idea_deltas"


class Pending:
    """What changed in each session since its last delta went out, in this process: idea id -> whether phones must
    hear of it (a post or a moderation) or only the screens (a vote's count)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._changed: dict[int, dict[int, bool]] = {}

    def add(self, session_id: int, idea_id: int, phones: bool) -> bool:
        """Note a change; True for the first since the last delta: that caller schedules the delta."""
        with self._lock:
            first = session_id not in self._changed
            changed = self._changed.setdefault(session_id, {})
            changed[idea_id] = changed.get(idea_id, False) or phones
            return first

    def take(self, session_id: int) -> dict[int, bool]:
        with self._lock:
            return self._changed.pop(session_id, {})


def _pending(app: Flask) -> Pending:
    return app.extensions.setdefault(PENDING_KEY, Pending())


def note_change(session_id: int, idea_id: int, *, phones: bool) -> None:
    """A delta will carry this idea as it stands then: at once without a ``LIVE_INTERVAL``, else within one."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    interval = app.config["LIVE_INTERVAL"]
    if _pending(app).add(session_id, idea_id, phones):
        if interval <= 0:
            _send_delta(app, session_id)
        else:
            socketio.start_background_task(_send_delta_later, app, session_id, interval)


def _send_delta_later(app: Flask, session_id: int, interval: float) -> None:
    socketio.sleep(interval)
    _send_delta(app, session_id)


def _send_delta(app: Flask, session_id: int) -> None:
    """The projector's ranking again (a short list), the console the ideas that changed with their counts, and every
    phone, in one broadcast, the ideas it must know changed. Read once: the open step's board."""
    with app.app_context():
        changed = _pending(app).take(session_id)
        store = get_store()
        session = store.session_by_id(session_id)
        board = usecase.open_board(store, session) if session is not None else None
        if board is None or not changed:
            return
        touched = [idea for idea in board.ideas if idea.id in changed]
        delta = ideas.console_board(board, _names(session, touched), touched)
        socketio.emit(DELTA, delta, to=broadcast.facilitator_room(session_id), namespace=broadcast.FACILITATOR_NS)
        _send_projector(session, board)
        for_phones = [idea for idea in touched if changed[idea.id]]
        if for_phones:
            message = {"step_id": board.step.key, "ideas": ideas.phone_ideas(for_phones)}
            socketio.emit(
                DELTA, message, to=broadcast.participants_room(session_id), namespace=broadcast.PARTICIPANT_NS
            )


def _names(session: Session, shown: list[Idea]) -> dict[int, str]:
    """The names of these ideas' authors alone."""
    return get_store().names_of(session.id, sorted({idea.participant_id for idea in shown}))


def _projector_view(session: Session, board: Board) -> dict[str, Any]:
    top = board.ranked()[: ideas.ON_PROJECTOR]
    return ideas.projector_board(board, _names(session, top), results_revealed(session, board.step))


def send_projector_board(session: Session) -> None:
    """The projector's ranking again, as when the open step's results are revealed or held back."""
    board = usecase.open_board(get_store(), session)
    if board is not None:
        _send_projector(session, board)


def _send_projector(session: Session, board: Board, to: str | None = None) -> None:
    to = to or broadcast.projector_room(session.id)
    socketio.emit(BOARD, _projector_view(session, board), to=to, namespace=broadcast.PROJECTOR_NS)


def send_boards(session: Session, before: Session | None = None) -> None:
    """After the step changed (from ``before``), voting opened or ideas were forgotten: the open step's whole board
    to the console and projector, one broadcast to the phones (the room's ideas), then each phone's own part to the
    people who posted ideas in its pool or gave votes on it (on a fresh step that votes: nobody)."""
    if before is not None and _open_key(before) == _open_key(session):
        return  # the timer, the lock, the agenda ahead: the board has not changed
    store = get_store()
    board = usecase.open_board(store, session)
    if board is None:
        return
    names = store.participant_names(session.id) if board.ideas else {}
    socketio.emit(BOARD, ideas.console_board(board, names), to=broadcast.facilitator_room(session.id),
                  namespace=broadcast.FACILITATOR_NS)  # fmt: skip
    _send_projector(session, board)
    room = {**ideas.phone_board(board, 0, []), "mine": None, "my_votes": None}  # None: each phone keeps its own
    socketio.emit(BOARD, room, to=broadcast.participants_room(session.id), namespace=broadcast.PARTICIPANT_NS)
    concerned = {idea.participant_id for idea in board.ideas} | store.voters(session.id, board.step.key)
    for participant_id in sorted(concerned):
        socketio.emit(BOARD, ideas.phone_board(board, participant_id, store.votes_of(participant_id, board.step.key)),
                      to=broadcast.participant_room(participant_id), namespace=broadcast.PARTICIPANT_NS)  # fmt: skip


def _open_key(session: Session) -> str | None:
    return session.current.key if session.current else None


def send_ideas_to(session: Session, sid: str, audience: Audience, participant_id: int | None = None) -> None:
    """A screen that (re)connects during an ideas step gets its whole board: the console every idea, the projector
    the ranking, a phone the room's ideas with its own and its votes."""
    store = get_store()
    board = usecase.open_board(store, session)
    if board is None:
        return
    if audience is Audience.FACILITATOR:
        names = _names(session, list(board.ideas))
        socketio.emit(BOARD, ideas.console_board(board, names), to=sid, namespace=broadcast.FACILITATOR_NS)
    elif audience is Audience.PROJECTOR:
        _send_projector(session, board, to=sid)
    elif participant_id is not None:
        mine = store.votes_of(participant_id, board.step.key)
        socketio.emit(BOARD, ideas.phone_board(board, participant_id, mine), to=sid, namespace=broadcast.PARTICIPANT_NS)


class IdeasPhone:
    """A phone's events on an ideas step (mixed into the participants' namespace)."""

    def _by_phone(self, use: Callable[..., R], payload: dict[str, Any]) -> R:
        """Run a use case for this connection's person, in their session."""
        connection = self.connection()  # type: ignore[attr-defined]
        return use(get_store(), connection.session_id, connection.participant_id, payload)

    @acknowledged
    def on_post_idea(self, data: Any = None) -> dict[str, Any]:
        """``{"step_id", "idea_id", "text"}``; acked once the idea is stored, with its ``idea`` number."""
        payload = require(data, {"step_id": str, "idea_id": str, "text": str})
        posted = self._by_phone(usecase.post, payload)
        if posted.changed:
            note_change(posted.session.id, posted.idea.id, phones=True)
        return ack_ok(step_id=payload["step_id"], idea_id=posted.idea.idea_id, idea=posted.idea.id)

    @acknowledged
    def on_vote(self, data: Any = None) -> dict[str, Any]:
        """``{"step_id", "vote_id", "idea"}``; acked once the vote is counted, with the idea it went to."""
        payload = require(data, {"step_id": str, "vote_id": str, "idea": int})
        voted = self._by_phone(usecase.vote, payload)
        assert voted.vote is not None
        if voted.changed:
            note_change(voted.session.id, voted.vote.idea, phones=False)
        return ack_ok(step_id=payload["step_id"], vote_id=voted.vote.vote_id, idea=voted.vote.idea)

    @acknowledged
    def on_unvote(self, data: Any = None) -> dict[str, Any]:
        """``{"step_id", "vote_id"}``: the vote taken back (``removed`` false: it was gone already)."""
        payload = require(data, {"step_id": str, "vote_id": str})
        taken = self._by_phone(usecase.take_back, payload)
        if taken.vote is not None:
            note_change(taken.session.id, taken.vote.idea, phones=False)
        return ack_ok(step_id=payload["step_id"], vote_id=payload["vote_id"], removed=taken.changed)


class IdeasConsole:
    """The console's events on an ideas step (mixed into the facilitator's namespace, whose ``_session`` it uses)."""

    @acknowledged
    def on_open_voting(self, data: Any = None) -> dict[str, Any]:
        """``{"step_id"}``: voting opens on the open step (posting closes); every screen hears at once."""
        payload = require(data, {"step_id": str})
        session = self._session()  # type: ignore[attr-defined]
        usecase.open_voting(get_store(), session, payload)
        send_boards(session)
        return ack_ok(step_id=payload["step_id"], voting=True)

    @acknowledged
    def on_moderate_idea(self, data: Any = None) -> dict[str, Any]:
        """``{"idea", "hidden"?, "spotlight"?}``: an idea off the projector and the vote, or up on the projector."""
        payload = require(data, {"idea": int})
        session = self._session()  # type: ignore[attr-defined]
        idea = usecase.moderate(get_store(), session, payload)
        note_change(session.id, idea.id, phones=True)
        return ack_ok(idea=idea.id, hidden=idea.hidden, spotlight=idea.spotlight)

    @acknowledged
    def on_merge_ideas(self, data: Any = None) -> dict[str, Any]:
        """``{"idea", "into"}``: a duplicate merged into the idea kept, which its votes join."""
        payload = require(data, {"idea": int, "into": int})
        session = self._session()  # type: ignore[attr-defined]
        merged, kept = usecase.merge(get_store(), session, payload)
        note_change(session.id, merged.id, phones=True)
        note_change(session.id, kept.id, phones=False)
        return ack_ok(idea=merged.id, into=kept.id)
