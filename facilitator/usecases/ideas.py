"""What posting an idea, voting, taking a vote back and the console's moderation do; each screen's board and each
person's part of it; what forgetting someone takes off the open board; what ideas steps put in plans, the export and
a person's own data."""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from facilitator.store import Store
from facilitator.usecases.answering import checked_step_id, open_session
from protocols import ideas
from protocols.answers import validate_answer_id
from protocols.errors import DomainError
from protocols.ideas import Board, Idea, Vote
from protocols.language import Language
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
    """A step's board as it stands: its ideas (the pool's), the votes given on it, whether voting was opened, how
    many people voted, whether everyone may post (no tables formed)."""
    return Board(
        agenda_step,
        tuple(store.ideas_of_step(session.id, ideas.pool_key(agenda_step))),
        store.vote_counts(session.id, agenda_step.key),
        store.voting_opened(session.id, agenda_step.key),
        store.voters(session.id, agenda_step.key),
        ideas.everyone_posts(session),
    )


def current_ideas_step(session: Session) -> AgendaStep | None:
    """The open step, if it is an ideas step."""
    current = session.current
    return current if current and current in ideas.ideas_steps(session) else None


def open_board(store: Store, session: Session) -> Board | None:
    """The open step's board, if the open step is an ideas step."""
    current = current_ideas_step(session)
    return board(store, session, current) if current else None


def post(store: Store, session_id: int, participant_id: int, request: Mapping[str, object]) -> Posted:
    """``{"step_id", "idea_id", "text"}``: an idea on the open step, from someone whose role posts there (anyone
    while no tables are formed), within the step's number. A resent idea is acknowledged again, even after its step
    closed: the ack, not the idea, was lost."""
    step_id = checked_step_id(str(request["step_id"]))
    idea_id = validate_answer_id(request["idea_id"])
    session = open_session(store, session_id)
    seating = store.table_of(session.id, participant_id)
    opened = store.voting_opened(session.id, step_id)

    def check(posted: int) -> str:
        agenda_step = ideas.open_ideas_step(session, step_id)
        ideas.refuse_unless_may_post(agenda_step, session, seating, participant_id)
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

    idea = ideas.idea_number(request["idea"])
    given, changed = store.cast_vote(session.id, step_id, participant_id, vote_id, idea, check)
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


@dataclass(frozen=True, slots=True)
class Moderated:
    """An idea after the console's moderation, and the votes it gave back to their voters (hidden: off the vote)."""

    idea: Idea
    returned: list[Vote]


def moderate(store: Store, session: Session, request: Mapping[str, object]) -> Moderated:
    """``{"idea", "hidden"?, "spotlight"?}``: an idea off the projector and the vote (its votes go back to their
    voters, who may give them again), or up on the projector."""
    flags = ideas.check_moderation(request)
    voting = current_ideas_step(session)  # a hidden idea's votes on it go back; those of steps closed stay
    idea, returned = store.moderate_idea(
        session.id, ideas.idea_number(request["idea"]), voting.key if voting else None, **flags
    )
    if idea is None:
        raise ideas.unknown_idea()
    return Moderated(idea, returned)


def end_spotlight(store: Store, before: Session, after: Session) -> Idea | None:
    """The open step changed from ``before`` to ``after``: the spotlight set on the ideas step left ends with it (a
    spotlight belongs to the step where it was set). The idea taken down, if one was up."""
    pool = ideas.spotlight_left(before, after)
    spotlit = next((idea for idea in store.ideas_of_step(before.id, pool) if idea.spotlight), None) if pool else None
    if spotlit is None:
        return None
    return store.moderate_idea(before.id, spotlit.id, None, spotlight=False)[0]


@dataclass(frozen=True, slots=True)
class Merged:
    """A duplicate merged into the idea kept (both as they are now), the votes the duplicate held, and the ideas
    merged into the duplicate before, which now point to the idea kept."""

    duplicate: Idea
    kept: Idea
    moved: list[Vote]
    followed: list[Idea]


def merge(store: Store, session: Session, request: Mapping[str, object]) -> Merged:
    """``{"idea", "into"}``: a duplicate merged into the idea kept, both checked as the merge's transaction reads
    them (another console may have merged or hidden one a moment before)."""
    duplicate, kept = ideas.idea_number(request["idea"]), ideas.idea_number(request["into"], "into")

    def plan(found: Idea | None, keeping: Idea | None) -> list[str]:
        ideas.check_merge(found, keeping)
        assert keeping is not None
        return ideas.one_per_idea_steps(session, keeping.step_id)

    return Merged(*store.merge_ideas(session.id, duplicate, kept, plan))


def own_parts(
    store: Store, session_id: int, board: Board, people: Iterable[int] | None = None
) -> dict[int, dict[str, Any]]:
    """Each person's part of the board (their ideas and their votes on its step): every author of its ideas and
    every voter, or only ``people``. Every voter's votes are read in one query, the ideas are the board's."""
    votes = store.votes_on_step(session_id, board.step.key, people)
    by_author: dict[int, list[Idea]] = {}
    for idea in board.ideas:  # once, not once a person: the work grows with the ideas, not people times ideas
        by_author.setdefault(idea.participant_id, []).append(idea)
    concerned = set(people) if people is not None else by_author.keys() | votes.keys()
    return {
        person: ideas.own_part(board, by_author.get(person, []), votes.get(person, [])) for person in sorted(concerned)
    }


@dataclass(frozen=True, slots=True)
class Leaving:
    """What forgetting someone takes off a session's open ideas board, read before it goes: the ideas that change
    (theirs, and those merged into theirs, which phones must hear of; those they voted for, whose counts drop) and
    the people whose own part changes (they, and whoever gave a vote to one of their ideas)."""

    session_id: int
    changes: dict[int, bool]
    people: frozenset[int]


def leaving(store: Store, session: Session, participant_id: int, step_id: str | None = None) -> Leaving | None:
    """What forgetting this person's ideas and votes (every one, or those of ``step_id``) changes on the open
    ideas board; None if no ideas step is open, or if the forgetting concerns another step (read nothing then)."""
    current = current_ideas_step(session)
    if current is None or step_id not in (None, current.key, ideas.pool_key(current)):
        return None
    shown = board(store, session, current)
    key = current.key
    theirs: set[int] = set()
    if step_id in (None, ideas.pool_key(current)):
        theirs = {idea.id for idea in shown.ideas if idea.participant_id == participant_id}
    own_votes = []
    if step_id in (None, key):
        own_votes = store.votes_on_step(session.id, key, [participant_id]).get(participant_id, [])
    lost = {vote.participant_id for vote in store.votes_on_ideas(theirs) if vote.step_id == key} if theirs else set()
    unmerged = {idea.id for idea in shown.ideas if idea.merged_into in theirs}
    changes = {**dict.fromkeys((vote.idea for vote in own_votes), False), **dict.fromkeys(theirs | unmerged, True)}
    people = lost | ({participant_id} if theirs or own_votes else set())
    return Leaving(session.id, changes, frozenset(people))


def own_data(store: Store, session: Session, participant_id: int) -> dict[str, list[dict[str, str]]]:
    """A person's ideas in a session for their own data: each with its step and what became of it, and the ideas
    they voted for."""
    posted, given, voted_for = store.own_ideas(participant_id)
    steps = {agenda_step.key: agenda_step for agenda_step in ideas.ideas_steps(session)}
    texts = {idea.id: idea.text for idea in voted_for}

    def where(step_id: str) -> dict[str, str]:
        agenda_step = steps.get(step_id)
        return {"protocol": agenda_step.protocol.title if agenda_step else "",
                "step": agenda_step.step.title if agenda_step else ""}  # fmt: skip

    return {
        "posted": [{**where(idea.step_id), "idea": idea.text, "status": idea.status} for idea in posted],
        "voted_for": [{**where(vote.step_id), "idea": texts.get(vote.idea, "")} for vote in given],
    }


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
            on_step = [given for given in votes if given.step_id == agenda_step.key]
            counts = Counter(given.idea for given in on_step)
            voters = len({given.participant_id for given in on_step})
            self.boards.append(Board(agenda_step, tuple(i for i in every if i.step_id == pool), counts, False, voters))

    def plan_lines(self, participant_id: int, lang: Language) -> dict[str, tuple[str, ...]]:
        """What each ideas step that feeds the plan puts in this person's plan, by step key, in ``lang``."""
        mine = self._votes.get(participant_id, [])
        return {
            board.step.key: ideas.plan_lines(
                board, participant_id, [v for v in mine if v.step_id == board.step.key], lang
            )
            for board in self.boards
            if board.step.step.plan_field is not PlanField.NOWHERE
        }

    def csv_rows(self, names: Mapping[int, str]) -> list[ideas.CsvIdea]:
        return ideas.csv_rows(self.boards, names)


def plan_lines(store: Store, session: Session, participant_id: int, lang: Language) -> dict[str, tuple[str, ...]]:
    """What the session's ideas steps put in one person's plan (``build_plan(ideas=...)``), in ``lang``."""
    if not ideas.ideas_steps(session):
        return {}
    return Results(store, session).plan_lines(participant_id, lang)
