"""What posting an idea, voting, taking a vote back and the console's moderation do; each screen's board; what
ideas steps put in plans and the export."""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace

from facilitator.store import Store
from facilitator.usecases.answering import checked_step_id, open_session
from protocols import ideas
from protocols.answers import validate_answer_id
from protocols.errors import DomainError
from protocols.groups import refuse_unless_answers
from protocols.ideas import Board, Idea, Vote
from protocols.model import PlanField
from protocols.session import AgendaStep, Session


@dataclass(frozen=True, slots=True)
class Posted:
    """An idea as stored; ``changed`` is False for a resend the database already held."""

    idea: Idea
    changed: bool
    session: Session


@dataclass(frozen=True, slots=True)
class Voted:
    """A vote given (``changed``: False for a resend counted already), or taken back (``vote``: None if it was not
    there)."""

    vote: Vote | None
    changed: bool
    session: Session


def board(store: Store, session: Session, agenda_step: AgendaStep) -> Board:
    """A step's board as it stands: its ideas (the pool's), the votes given on it, whether voting was opened."""
    return Board(
        agenda_step,
        tuple(store.ideas_of_step(session.id, ideas.pool_key(agenda_step))),
        store.vote_counts(session.id, agenda_step.key),
        store.voting_opened(session.id, agenda_step.key),
    )


def open_board(store: Store, session: Session) -> Board | None:
    """The open step's board, if the open step is an ideas step."""
    current = session.current
    return board(store, session, current) if current and current in ideas.ideas_steps(session) else None


def post(store: Store, session_id: int, participant_id: int, request: Mapping[str, object]) -> Posted:
    """``{"step_id", "idea_id", "text"}``: an idea on the open step, from someone whose role posts there, within the
    step's number. A resent idea is acknowledged again, even after its step closed: the ack, not the idea, was lost."""
    step_id = checked_step_id(str(request["step_id"]))
    idea_id = validate_answer_id(request["idea_id"])
    session = open_session(store, session_id)
    seating = store.table_of(session.id, participant_id)
    opened = store.voting_opened(session.id, step_id)

    def check(posted: int) -> str:
        agenda_step = ideas.open_ideas_step(session, step_id)
        refuse_unless_answers(agenda_step, seating, participant_id)
        return ideas.check_new_idea(agenda_step, request, posted, opened)[1]

    idea, changed = store.post_idea(
        session.id, step_id, participant_id, idea_id, check, seating.group_of(participant_id)
    )
    return Posted(idea, changed, session)


def vote(store: Store, session_id: int, participant_id: int, request: Mapping[str, object]) -> Voted:
    """``{"step_id", "vote_id", "idea"}``: one vote on the open step, counted once, never past the step's number."""
    step_id = checked_step_id(str(request["step_id"]))
    vote_id = validate_answer_id(request["vote_id"])
    session = open_session(store, session_id)
    opened = store.voting_opened(session.id, step_id)

    def check(idea: Idea | None, mine: list[Vote]) -> None:
        ideas.check_vote(ideas.open_ideas_step(session, step_id), idea, mine, opened)

    given, changed = store.cast_vote(session.id, step_id, participant_id, vote_id, int(request["idea"]), check)  # type: ignore[call-overload]
    return Voted(given, changed, session)


def take_back(store: Store, session_id: int, participant_id: int, request: Mapping[str, object]) -> Voted:
    """``{"step_id", "vote_id"}``: a vote taken back while voting is open; taking it back twice is no error."""
    step_id = checked_step_id(str(request["step_id"]))
    vote_id = validate_answer_id(request["vote_id"])
    session = open_session(store, session_id)
    agenda_step = ideas.open_ideas_step(session, step_id)
    if not ideas.voting_open(agenda_step, store.voting_opened(session.id, step_id)):
        raise DomainError("voting_closed", "Voting has closed on this step.")
    taken = store.take_back_vote(participant_id, step_id, vote_id)
    return Voted(taken, taken is not None, session)


def open_voting(store: Store, session: Session, request: Mapping[str, object]) -> None:
    """``{"step_id"}``: the facilitator opens voting on the open step; its posting closes."""
    agenda_step = ideas.open_ideas_step(session, checked_step_id(str(request["step_id"])))
    if not ideas.rules_of(agenda_step.step).votes:
        raise DomainError("not_ideas", "This step takes no votes.")
    store.open_voting(session.id, agenda_step.key)


def _session_idea(store: Store, session: Session, request: Mapping[str, object], field: str = "idea") -> Idea:
    found = store.idea(session.id, int(request[field]))  # type: ignore[call-overload]
    if found is None:
        raise DomainError("unknown_idea", "There is no such idea in this session.")
    return found


def moderate(store: Store, session: Session, request: Mapping[str, object]) -> Idea:
    """``{"idea", "hidden"?, "spotlight"?}``: an idea off the projector and the vote, or up on the projector."""
    flags = ideas.check_moderation(request)
    return store.moderate_idea(_session_idea(store, session, request), session.id, **flags)


def merge(store: Store, session: Session, request: Mapping[str, object]) -> tuple[Idea, Idea]:
    """``{"idea", "into"}``: a duplicate merged into the idea kept; returns both as they are now."""
    duplicate = _session_idea(store, session, request)
    kept = _session_idea(store, session, request, "into")
    ideas.check_merge(duplicate, kept)
    store.merge_ideas(duplicate.id, kept.id, ideas.one_per_idea_steps(session, kept.step_id))
    return replace(duplicate, merged_into=kept.id, spotlight=False), kept


class Results:
    """Every ideas step's board in a session, read once: what plans and the export are made from."""

    def __init__(self, store: Store, session: Session) -> None:
        every, votes = store.session_ideas(session.id)
        self._votes: dict[int, list[Vote]] = {}
        for given in votes:
            self._votes.setdefault(given.participant_id, []).append(given)
        self.boards = []
        for agenda_step in ideas.ideas_steps(session):
            pool = ideas.pool_key(agenda_step)
            counts = Counter(given.idea for given in votes if given.step_id == agenda_step.key)
            self.boards.append(Board(agenda_step, tuple(i for i in every if i.step_id == pool), counts))

    def plan_lines(self, participant_id: int) -> dict[str, tuple[str, ...]]:
        """What each ideas step that feeds the plan puts in this person's plan, by step key."""
        mine = self._votes.get(participant_id, [])
        return {
            board.step.key: ideas.plan_lines(board, participant_id, [v for v in mine if v.step_id == board.step.key])
            for board in self.boards
            if board.step.step.plan_field is not PlanField.NOWHERE
        }

    def csv_rows(self, names: Mapping[int, str]) -> list[ideas.CsvIdea]:
        return ideas.csv_rows(self.boards, names)


def plan_lines(store: Store, session: Session, participant_id: int) -> dict[str, tuple[str, ...]]:
    """What the session's ideas steps put in one person's plan (``build_plan(ideas=...)``)."""
    if not ideas.ideas_steps(session):
        return {}
    return Results(store, session).plan_lines(participant_id)
