"""Ideas and votes over Socket.IO: a phone's post_idea, vote and unvote; the console's open_voting, moderate_idea and
merge_ideas; every screen's board when it connects or the step changes; each person's own part of it; and the
throttled deltas in between.

A vote costs its voter's ack and nothing else at once: the console and projector hear of it in the next delta (one
per ``LIVE_INTERVAL``, encoded once per audience), and phones never do (counts would sway the vote). Phones hear of
ideas posted, hidden, merged or deleted in the same deltas, one broadcast per window, never one message per idea.
The room's ideas reach the phones in broadcasts alone; a person is sent only their own part (their ideas, their
votes), a few lines whatever the room's size.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from facilitator.edge.payloads import require
from facilitator.edge.replies import ack_ok
from facilitator.extensions import socketio
from facilitator.live import broadcast, throttle
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


def note_change(session_id: int, changes: Mapping[int, bool]) -> None:
    """A delta will carry these ideas as they stand then (idea id -> whether phones must hear of it: a post, a
    moderation, a deletion; or only the screens: a count): at once without a ``LIVE_INTERVAL``, else within one."""
    throttle.gather(PENDING_KEY, session_id, changes, _send_delta)


def _send_delta(session_id: int, changed: Mapping[int, bool]) -> None:
    """The projector's ranking again (a short list), the console the ideas that changed with their counts, and every
    phone, in one broadcast, the ideas it must know changed and those deleted. Read once: the open step's board."""
    store = get_store()
    session = store.session_by_id(session_id)
    board = usecase.open_board(store, session) if session is not None and changed else None
    if session is None or board is None:
        return
    touched = [idea for idea in board.ideas if idea.id in changed]
    missing = set(changed) - {idea.id for idea in touched}
    removed = sorted(missing - {idea.id for idea in store.ideas_by_id(session_id, missing)}) if missing else []
    delta = {**ideas.console_board(board, _names(session, touched), touched), "removed": removed}
    socketio.emit(DELTA, delta, to=broadcast.facilitator_room(session_id), namespace=broadcast.FACILITATOR_NS)
    _send_projector(session, board)
    for_phones = [idea for idea in touched if changed[idea.id]]
    if for_phones or removed:
        message = {"step_id": board.step.key, "ideas": ideas.phone_ideas(for_phones), "removed": removed}
        socketio.emit(DELTA, message, to=broadcast.participants_room(session_id), namespace=broadcast.PARTICIPANT_NS)


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


def send_boards(session: Session, before: Session | None = None, *, own_parts: bool = True) -> None:
    """After the step changed (from ``before``) or voting opened: the spotlight set on an ideas step left ends with
    it; the open step's whole board to the console and projector, one broadcast of the room's ideas to the phones,
    then (``own_parts``: a new step, whose parts the phones do not hold yet) each person's own part to those who
    posted in its pool or voted on it."""
    if before is not None and _open_key(before) == _open_key(session):
        return  # the timer, the lock, the agenda ahead: the board has not changed
    store = get_store()
    if before is not None:
        usecase.end_spotlight(store, before, session)
    board = usecase.open_board(store, session)
    if board is None:
        return
    names = store.participant_names(session.id) if board.ideas else {}
    socketio.emit(BOARD, ideas.console_board(board, names), to=broadcast.facilitator_room(session.id),
                  namespace=broadcast.FACILITATOR_NS)  # fmt: skip
    _send_projector(session, board)
    room = ideas.room_board(board)
    socketio.emit(BOARD, room, to=broadcast.participants_room(session.id), namespace=broadcast.PARTICIPANT_NS)
    if own_parts:
        _send_own_parts(usecase.own_parts(store, session.id, board))


def send_own_parts(session: Session, people: Iterable[int]) -> None:
    """These people's own part of the open ideas step again (their ideas, their votes), after a change to it that
    the room's deltas do not carry: a vote given back, an idea of theirs hidden or merged."""
    people = set(people)
    store = get_store()
    board = usecase.open_board(store, session) if people else None
    if board is not None:
        _send_own_parts(usecase.own_parts(store, session.id, board, people))


def _send_own_parts(parts: Mapping[int, dict[str, Any]]) -> None:
    for participant_id, part in parts.items():
        socketio.emit(BOARD, part, to=broadcast.participant_room(participant_id), namespace=broadcast.PARTICIPANT_NS)


def before_forgetting(people: Iterable[tuple[int, int]], step_id: str | None = None) -> list[usecase.Leaving]:
    """For (session id, participant id) pairs about to be forgotten (their ideas and votes on ``step_id``, or all):
    what leaves each session's open ideas board, read while it is still there."""
    store = get_store()
    leaving = []
    for session_id, participant_id in people:
        session = store.session_by_id(session_id)
        gone = usecase.leaving(store, session, participant_id, step_id) if session is not None else None
        if gone is not None:
            leaving.append(gone)
    return leaving


def announce_gone(leaving: Iterable[usecase.Leaving]) -> None:
    """After forgetting: the screens drop the ideas that went (a delta: deleted ones, counts), and whoever lost a vote
    on them, or their own ideas, gets their own part again. Nobody else is sent anything."""
    store = get_store()
    for gone in leaving:
        if gone.changes:
            note_change(gone.session_id, gone.changes)
        session = store.session_by_id(gone.session_id)
        if session is not None:
            send_own_parts(session, gone.people)


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
            note_change(posted.session.id, {posted.idea.id: True})
        return ack_ok(step_id=payload["step_id"], idea_id=posted.idea.idea_id, idea=posted.idea.id)

    @acknowledged
    def on_vote(self, data: Any = None) -> dict[str, Any]:
        """``{"step_id", "vote_id", "idea"}``; acked once the vote is counted, with the idea it went to."""
        payload = require(data, {"step_id": str, "vote_id": str, "idea": int})
        voted = self._by_phone(usecase.vote, payload)
        assert voted.vote is not None
        if voted.changed:
            note_change(voted.session.id, {voted.vote.idea: False})
        return ack_ok(step_id=payload["step_id"], vote_id=voted.vote.vote_id, idea=voted.vote.idea)

    @acknowledged
    def on_unvote(self, data: Any = None) -> dict[str, Any]:
        """``{"step_id", "vote_id"}``: the vote taken back (``removed`` false: it was gone already)."""
        payload = require(data, {"step_id": str, "vote_id": str})
        taken = self._by_phone(usecase.take_back, payload)
        if taken.vote is not None:
            note_change(taken.session.id, {taken.vote.idea: False})
        return ack_ok(step_id=payload["step_id"], vote_id=payload["vote_id"], removed=taken.changed)


class IdeasConsole:
    """The console's events on an ideas step (mixed into the facilitator's namespace, whose ``_session`` it uses)."""

    @acknowledged
    def on_open_voting(self, data: Any = None) -> dict[str, Any]:
        """``{"step_id"}``: voting opens on the open step (posting closes); every screen hears at once. Nobody's own
        part changes: the phones keep theirs."""
        payload = require(data, {"step_id": str})
        session = self._session()  # type: ignore[attr-defined]
        usecase.open_voting(get_store(), session, payload)
        send_boards(session, own_parts=False)
        return ack_ok(step_id=payload["step_id"], voting=True)

    @acknowledged
    def on_moderate_idea(self, data: Any = None) -> dict[str, Any]:
        """``{"idea", "hidden"?, "spotlight"?}``: an idea off the projector and the vote (its votes go back to their
        voters, who hear so with its author), or up on the projector."""
        payload = require(data, {"idea": int})
        session = self._session()  # type: ignore[attr-defined]
        moderated = usecase.moderate(get_store(), session, payload)
        idea = moderated.idea
        note_change(session.id, {idea.id: True})
        if "hidden" in payload:
            send_own_parts(session, {idea.participant_id, *(vote.participant_id for vote in moderated.returned)})
        return ack_ok(idea=idea.id, hidden=idea.hidden, spotlight=idea.spotlight)

    @acknowledged
    def on_merge_ideas(self, data: Any = None) -> dict[str, Any]:
        """``{"idea", "into"}``: a duplicate merged into the idea kept, which its votes join (as do the ideas merged
        into it before); the authors of those ideas and its voters get their own part again."""
        payload = require(data, {"idea": int, "into": int})
        session = self._session()  # type: ignore[attr-defined]
        merged = usecase.merge(get_store(), session, payload)
        changed = [merged.duplicate, *merged.followed]
        note_change(session.id, {**{idea.id: True for idea in changed}, merged.kept.id: False})
        send_own_parts(session, {*(idea.participant_id for idea in changed), *(v.participant_id for v in merged.moved)})
        return ack_ok(idea=merged.duplicate.id, into=merged.kept.id)
