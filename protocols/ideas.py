"""Ideas and votes: what an ideas step asks (how many ideas, how many votes and how they may be given), when it
takes ideas and votes, the room's ranking, what each screen is shown of it, and what goes into a plan."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from protocols.answers import clean_text, validate_answer_id
from protocols.errors import DomainError
from protocols.groups import Seating, refuse_unless_answers
from protocols.language import N_, Language
from protocols.model import IdeaRules, Step, StepKind
from protocols.record_ids import record_id
from protocols.session import AgendaStep, Session, session_step_id
from protocols.visibility import Audience, may_see, shows_name

MAX_IDEAS = 10  # ideas one person may post on a step, at most, whatever a protocol file says
MAX_VOTES = 20  # votes one person may give on a step, at most
IDEA_CHARS = 280  # an idea is a sticky note, not an essay: the default limit of its text
MAX_IDEA_CHARS = 1000
ON_PROJECTOR = 10  # the room's top ideas the projector ranks
MAX_TOP_IDEAS = 10  # the room's top ideas a plan may hold
VOTING = ("when_opened", "from_start")  # voting opens when the facilitator opens it (posting closes), or at once
PLAN_IDEAS = ("mine", "voted", "top")  # the person's own ideas, those they voted for, the room's top ideas
RULE_KEYS = {"max_ideas", "votes", "spread", "voting", "vote_on", "plan_ideas", "top_ideas"}
OPEN, HIDDEN, MERGED = "open", "hidden", "merged"


@dataclass(frozen=True, slots=True)
class Idea:
    """One idea posted on a step. ``merged_into``: the idea the facilitator kept in its place (its votes went there)."""

    id: int
    participant_id: int
    step_id: str  # the step it was posted on
    idea_id: str  # the phone's own id for it: a resent idea lands once
    text: str
    posted_at: float
    group_number: int | None = None  # the table it was posted from (a foursome's idea in 1-2-4-All)
    hidden: bool = False
    spotlight: bool = False
    merged_into: int | None = None

    @property
    def status(self) -> str:
        return MERGED if self.merged_into is not None else HIDDEN if self.hidden else OPEN


@dataclass(frozen=True, slots=True)
class Vote:
    """One of a person's votes on a step: ``vote_id`` is the phone's own, so a resent vote is counted once."""

    participant_id: int
    vote_id: str
    idea: int
    step_id: str  # the step it was given on (the step that votes, which may not be the one the idea was posted on)


@dataclass(frozen=True, slots=True)
class Board:
    """A step's ideas (those of the step it votes on) and how many votes each has on it: what the screens read."""

    step: AgendaStep
    ideas: tuple[Idea, ...]
    counts: Mapping[int, int] = field(default_factory=dict)  # idea id -> votes given on ``step``
    voting_opened: bool = False  # the facilitator opened voting (steps that vote "when_opened")
    voters: int = 0  # the people holding a vote on ``step``
    everyone_posts: bool = False  # no tables are formed: everyone may post, whatever role the step asks for

    def ranked(self) -> list[Idea]:
        """The ideas the room may vote on, most votes first, then the earliest posted."""
        shown = [idea for idea in self.ideas if idea.status == OPEN]
        return sorted(shown, key=lambda idea: (-self.counts.get(idea.id, 0), idea.posted_at, idea.id))

    @property
    def votes(self) -> int:
        return sum(self.counts.values())


def rules_of(step: Step) -> IdeaRules:
    """An ideas step's rules (the defaults for a step written without them)."""
    return step.ideas or IdeaRules()


# ---- The protocol file's fields ----------------------------------------------------------------------------------


def read_rules(reader: Any, data: Mapping[str, Any], path: str) -> IdeaRules:
    """An ideas step's fields from a protocol file (``reader`` is the loader's, collecting every problem)."""
    vote_on = reader.text(data, "vote_on", path, required=False)
    max_ideas = reader.integer(data, "max_ideas", path, 0 if vote_on else 3, low=0, high=MAX_IDEAS)
    votes = reader.integer(data, "votes", path, 3, low=0, high=MAX_VOTES)
    voting = reader.text(data, "voting", path, required=False, default="from_start" if vote_on else "when_opened")
    if voting not in VOTING:
        choices = ", ".join(VOTING)
        reader.problem(f"{path}voting", N_("{value} is not one of {choices}"), value=repr(voting), choices=choices)
    plan_ideas = data.get("plan_ideas", ["top"] if vote_on else ["mine"])
    if not isinstance(plan_ideas, list) or not set(plan_ideas) <= set(PLAN_IDEAS):
        reader.problem(f"{path}plan_ideas", N_("must be a list of {choices}"), choices=", ".join(PLAN_IDEAS))
        plan_ideas = []
    if vote_on and max_ideas:
        reader.problem(f"{path}max_ideas", N_("a step that votes on another step's ideas takes no ideas of its own: 0"))
    if vote_on and voting != "from_start":
        reader.problem(f"{path}voting", N_("a step that votes on another step's ideas votes from its start"))
    if not max_ideas and not votes and not vote_on:
        reader.problem(f"{path}votes", N_("an ideas step takes ideas (max_ideas), votes (votes), or both"))
    return IdeaRules(
        max_ideas=max_ideas,
        votes=votes,
        spread=reader.flag(data, "spread", path),
        voting=voting,
        vote_on=vote_on,
        plan_ideas=tuple(item for item in PLAN_IDEAS if item in plan_ideas),
        top_ideas=reader.integer(data, "top_ideas", path, 3, low=1, high=MAX_TOP_IDEAS),
    )


def vote_on_problems(steps: Sequence[Step]) -> list[tuple[str, str, dict[str, Any]]]:
    """(path, problem marked ``N_``, its values) for each ``vote_on`` that names no earlier step taking ideas in the
    same protocol."""
    problems = []
    for index, step in enumerate(steps):
        rules = step.ideas
        if step.kind is not StepKind.IDEAS or rules is None or not rules.vote_on:
            continue
        earlier = {s.id: s for s in steps[:index]}
        target = earlier.get(rules.vote_on)
        if target is None or target.kind is not StepKind.IDEAS or not rules_of(target).max_ideas:
            problems.append(
                (
                    f"steps[{index}].vote_on",
                    N_("{step} is not an earlier ideas step that takes ideas"),
                    {"step": repr(rules.vote_on)},
                )
            )
    return problems


def rules_to_dict(rules: IdeaRules) -> dict[str, Any]:
    """The rules in the file format again (``protocol_to_dict``)."""
    data: dict[str, Any] = {
        "max_ideas": rules.max_ideas, "votes": rules.votes, "spread": rules.spread, "voting": rules.voting,
        "plan_ideas": list(rules.plan_ideas), "top_ideas": rules.top_ideas,
    }  # fmt: skip
    if rules.vote_on:
        data["vote_on"] = rules.vote_on
    return data


def rules_view(step: Step) -> dict[str, Any]:
    """What a screen is told of an ideas step's rules, beside its prompt."""
    rules = rules_of(step)
    return {"max_chars": step.max_chars, "max_ideas": rules.max_ideas, "votes": rules.votes, "spread": rules.spread,
            "voting": rules.voting, "vote_on": rules.vote_on}  # fmt: skip


# ---- When a step takes ideas and votes ---------------------------------------------------------------------------


def pool_key(agenda_step: AgendaStep) -> str:
    """The key of the step whose ideas ``agenda_step`` shows: its own, or (``vote_on``) the earlier step's in the
    same agenda item and round."""
    rules = rules_of(agenda_step.step)
    if not rules.vote_on:
        return agenda_step.key
    return session_step_id(agenda_step.item.uid, rules.vote_on, agenda_step.round)


def open_ideas_step(session: Session, step_id: str) -> AgendaStep:
    """The open step, which must be ``step_id`` and an ideas step taking what is sent now (not locked)."""
    current = session.current
    if current is None or current.key != step_id:
        raise DomainError("step_closed", "That step is not open any more; nothing was saved.")
    if current.step.kind is not StepKind.IDEAS:
        raise DomainError("not_ideas", "This step does not take ideas or votes.")
    if session.locked:
        raise DomainError("step_locked", "The facilitator has closed this step; nothing was saved.")
    return current


def posting_open(agenda_step: AgendaStep, voting_opened: bool) -> bool:
    """Whether the step takes ideas now: it takes some, and voting has not closed posting."""
    rules = rules_of(agenda_step.step)
    return rules.max_ideas > 0 and not (rules.voting == "when_opened" and voting_opened and rules.votes > 0)


def voting_open(agenda_step: AgendaStep, voting_opened: bool) -> bool:
    """Whether the step takes votes now: from its start, or once the facilitator opened voting."""
    rules = rules_of(agenda_step.step)
    return rules.votes > 0 and (rules.voting == "from_start" or voting_opened)


def everyone_posts(session: Session) -> bool:
    """Whether everyone may post on a step whose posting is one role's: while no tables are formed nobody holds a
    role, so a step kept for one (1-2-4-All's reporters) would take no ideas at all."""
    return session.grouped is None


def refuse_unless_may_post(agenda_step: AgendaStep, session: Session, seating: Seating, participant_id: int) -> None:
    """Refuse an idea from someone whose role does not post here, unless no tables are formed (``everyone_posts``)."""
    if not everyone_posts(session):
        refuse_unless_answers(agenda_step, seating, participant_id)


def spotlight_left(before: Session, after: Session) -> str | None:
    """The pool whose spotlight ends as the open step changes from ``before`` to ``after``: a spotlight belongs to
    the step where it was set, so leaving an ideas step takes it down (the next step of the same pool, a dot vote
    after grouping, opens with the whole screen for its ranking). None when the step has not changed."""
    left = before.current
    if left is None or left.step.kind is not StepKind.IDEAS:
        return None
    if after.current is not None and after.current.key == left.key:
        return None
    return pool_key(left)


def check_new_idea(
    agenda_step: AgendaStep, request: Mapping[str, object], posted: int, opened: bool
) -> tuple[str, str]:
    """``{"idea_id", "text"}`` as an idea to post by someone who posted ``posted`` ideas here: (idea_id, text)."""
    idea_id = validate_answer_id(request.get("idea_id"))
    if not posting_open(agenda_step, opened):
        raise DomainError("posting_closed", "Ideas are closed on this step: voting has opened.")
    text = clean_text(request.get("text"), field=N_("Your idea"), max_chars=agenda_step.step.max_chars)
    limit = rules_of(agenda_step.step).max_ideas
    if posted >= limit:
        if limit == 1:
            raise DomainError("no_ideas_left", "You have posted your {limit} idea here.", limit=limit)
        raise DomainError("no_ideas_left", "You have posted your {limit} ideas here.", limit=limit)
    return idea_id, text


def check_vote(agenda_step: AgendaStep, idea: Idea | None, mine: Sequence[Vote], opened: bool) -> None:
    """Whether someone holding ``mine`` (their votes on this step) may give one more to ``idea``."""
    rules = rules_of(agenda_step.step)
    if not voting_open(agenda_step, opened):
        raise DomainError("voting_closed", "Voting has not opened on this step.")
    if idea is None or idea.status != OPEN or idea.step_id != pool_key(agenda_step):
        raise unknown_idea(N_("That idea is not one to vote on here."))
    if len(mine) >= rules.votes:
        raise DomainError(
            "no_votes_left", "You have given all {votes} of your votes; take one back first.", votes=rules.votes
        )
    if not rules.spread and any(vote.idea == idea.id for vote in mine):
        raise DomainError("already_voted", "You have a vote on that idea already: one vote per idea here.")


def one_per_idea_steps(session: Session, pool: str) -> list[str]:
    """The steps voting on ``pool``'s ideas where a person gives one vote per idea: where a merge returns a voter's
    second vote on what became one idea."""
    return [
        agenda_step.key
        for agenda_step in ideas_steps(session)
        if pool_key(agenda_step) == pool and not rules_of(agenda_step.step).spread
    ]


def check_moderation(request: Mapping[str, object]) -> dict[str, bool]:
    """``hidden`` and ``spotlight`` as the console sends them: at least one, each true or false."""
    flags = {name: request[name] for name in ("hidden", "spotlight") if name in request}
    if not flags or not all(isinstance(value, bool) for value in flags.values()):
        raise DomainError("bad_request", "Send 'hidden' or 'spotlight' as true or false.")
    if flags.get("hidden"):
        flags["spotlight"] = False  # a hidden idea is never up on the projector
    return flags


def unknown_idea(message: str = N_("There is no such idea in this session.")) -> DomainError:
    return DomainError("unknown_idea", message)


def idea_number(value: object, field: str = "idea") -> int:
    """An idea's id as a screen sends it: a whole number a database can hold (any other names no idea)."""
    return record_id(value, field, unknown_idea())


def check_merge(duplicate: Idea | None, kept: Idea | None) -> None:
    """Two different ideas of one step, as they stand in the merge's transaction: a duplicate not merged already,
    and an open idea kept in its place (a hidden one is off the vote; a merged one lives on in the idea it joined)."""
    if duplicate is None or kept is None:
        raise unknown_idea()
    if duplicate.id == kept.id or duplicate.step_id != kept.step_id:
        raise unknown_idea(N_("Merge two different ideas of the same step."))
    if duplicate.status == MERGED:
        raise unknown_idea(N_("That idea was merged already."))
    if kept.status != OPEN:
        raise DomainError("idea_not_open", "Keep an open idea: show the hidden one again, or merge into the idea "
                                           "it joined.")  # fmt: skip


# ---- What each screen is shown -----------------------------------------------------------------------------------


def _room_view(idea: Idea) -> dict[str, Any]:
    """An idea as any phone may hold it: the text of an open idea, the status of one that left the vote."""
    view: dict[str, Any] = {"id": idea.id, "status": idea.status, "table": idea.group_number}
    if idea.status == OPEN:
        view["text"] = idea.text
    if idea.merged_into is not None:
        view["merged_into"] = idea.merged_into
    return view


def phone_ideas(ideas: Iterable[Idea]) -> list[dict[str, Any]]:
    """Ideas as every phone is sent them: without authors or vote counts (a count would sway the vote)."""
    return [_room_view(idea) for idea in ideas]


def phone_board(board: Board, participant_id: int, mine: Sequence[Vote]) -> dict[str, Any]:
    """One phone's whole board, for a phone that (re)connects: the room's ideas with this person's own part."""
    own = [idea for idea in board.ideas if idea.participant_id == participant_id]
    others = (idea for idea in board.ideas if idea.participant_id != participant_id)
    return {**own_part(board, own, mine), "ideas": phone_ideas(others)}


def room_board(board: Board) -> dict[str, Any]:
    """The board every phone is sent in one broadcast: the room's ideas; ``mine`` and ``my_votes`` null, as each
    phone keeps its own."""
    return {**_board_head(board), "ideas": phone_ideas(board.ideas), "mine": None, "my_votes": None}


def own_part(board: Board, own_ideas: Sequence[Idea], mine: Sequence[Vote]) -> dict[str, Any]:
    """One person's part of the board: their own ideas (hidden or merged ones too, with their text) and their votes
    on the step; ``ideas`` null, as the phone keeps the room's list. A few lines, whatever the room's size."""
    own = [{**_room_view(idea), "text": idea.text} for idea in own_ideas]
    return {**_board_head(board), "ideas": None, "mine": own,
            "my_votes": [{"vote_id": vote.vote_id, "idea": vote.idea} for vote in mine]}  # fmt: skip


def _board_head(board: Board) -> dict[str, Any]:
    step = board.step
    return {
        "step_id": step.key,
        "pool": pool_key(step),
        "posting": posting_open(step, board.voting_opened),
        "voting": voting_open(step, board.voting_opened),
        "everyone_posts": board.everyone_posts,
    }


def console_idea(board: Board, idea: Idea, names: Mapping[int, str]) -> dict[str, Any]:
    """An idea as the facilitator sees it: text, votes, who posted it, what they did with it."""
    return {
        "id": idea.id,
        "text": idea.text,
        "votes": board.counts.get(idea.id, 0),
        "status": idea.status,
        "merged_into": idea.merged_into,
        "spotlight": idea.spotlight,
        "table": idea.group_number,
        "posted_at": idea.posted_at,
        "name": names.get(idea.participant_id, ""),  # the facilitator sees names wherever they see the idea
    }


def console_board(board: Board, names: Mapping[int, str], ideas: Iterable[Idea] | None = None) -> dict[str, Any]:
    """The console's board: every idea (or only ``ideas``, for a delta) with its votes; the totals."""
    shown = board.ideas if ideas is None else ideas
    return {
        **_board_head(board),
        "ideas": [console_idea(board, idea, names) for idea in shown],
        "total_ideas": sum(1 for idea in board.ideas if idea.status == OPEN),
        "total_votes": board.votes,
        "total_voters": board.voters,
        "full": ideas is None,
    }


def projector_board(board: Board, names: Mapping[int, str], revealed: bool = True) -> dict[str, Any]:
    """The room's ranking for the projector: the top ideas with their votes, the spotlighted one apart; names only
    on a room-named step. While the step's results are held back (``reveal``), counts alone."""
    visibility = board.step.step.visibility
    head = {**_board_head(board), "total_ideas": len(board.ranked()), "total_votes": board.votes}
    if not may_see(Audience.PROJECTOR, visibility) or not revealed:
        return {**head, "ranked": [], "spotlight": None}
    named = shows_name(Audience.PROJECTOR, visibility)

    def view(idea: Idea) -> dict[str, Any]:
        shown: dict[str, Any] = {"id": idea.id, "text": idea.text, "votes": board.counts.get(idea.id, 0),
                                 "table": idea.group_number}  # fmt: skip
        if named:
            shown["name"] = names.get(idea.participant_id, "")
        return shown

    spotlit = next((idea for idea in board.ranked() if idea.spotlight), None)
    return {**head, "ranked": [view(idea) for idea in board.ranked()[:ON_PROJECTOR]],
            "spotlight": view(spotlit) if spotlit else None}  # fmt: skip


# ---- What goes into a plan ---------------------------------------------------------------------------------------


def plan_lines(board: Board, participant_id: int, mine: Sequence[Vote], lang: Language) -> tuple[str, ...]:
    """What an ideas step puts in one person's plan, as its ``plan_ideas`` says, in ``lang`` (the reader's): their
    own ideas (a merged one as the idea it joined), the ideas they voted for, the room's top ideas with their votes.
    Never a name."""
    rules = rules_of(board.step.step)
    by_id = {idea.id: idea for idea in board.ideas}
    lines: list[str] = []
    if "mine" in rules.plan_ideas:
        for idea in (i for i in board.ideas if i.participant_id == participant_id and not i.hidden):
            kept = by_id.get(idea.merged_into) if idea.merged_into is not None else None
            if kept:
                lines.append(lang.gettext("My idea: {idea} (merged into “{kept}”)", idea=idea.text, kept=kept.text))
            else:
                lines.append(lang.gettext("My idea: {idea}", idea=idea.text))
    if "voted" in rules.plan_ideas:
        voted = dict.fromkeys(vote.idea for vote in mine if vote.idea in by_id and by_id[vote.idea].status == OPEN)
        lines.extend(lang.gettext("I voted for: {idea}", idea=by_id[idea_id].text) for idea_id in voted)
    if "top" in rules.plan_ideas and board.votes:
        top = [idea for idea in board.ranked() if board.counts.get(idea.id, 0)][: rules.top_ideas]
        for rank, idea in enumerate(top, 1):
            votes = board.counts.get(idea.id, 0)
            lines.append(lang.ngettext("The room's idea {rank}: {idea} ({n} vote)",
                                       "The room's idea {rank}: {idea} ({n} votes)", votes,
                                       rank=lang.number(rank), idea=idea.text))  # fmt: skip
    return tuple(lines)


@dataclass(frozen=True, slots=True)
class CsvIdea:
    """One idea as the export's ``ideas.csv`` lists it, with its author's name: the facilitator's copy carries what
    the console shows."""

    protocol: str
    step: str
    idea: str
    votes: int
    status: str
    participant: str
    table: int | None
    posted_at: float


def csv_rows(boards: Iterable[Board], names: Mapping[int, str]) -> list[CsvIdea]:
    """Every idea of every board that takes ideas or votes, each step's most voted first, with who posted it where
    the facilitator may see names (as the console shows them, whatever the step shows the room)."""
    rows = []
    for board in boards:
        rules = rules_of(board.step.step)
        if not rules.max_ideas and not rules.votes:
            continue  # a step showing another's ideas to sort them: listed under that step
        named = shows_name(Audience.FACILITATOR, board.step.step.visibility)
        order = {idea.id: n for n, idea in enumerate(board.ranked())}
        for idea in sorted(board.ideas, key=lambda i: (order.get(i.id, len(order)), i.posted_at)):
            rows.append(CsvIdea(board.step.protocol.title, board.step.step.title, idea.text,
                                board.counts.get(idea.id, 0), idea.status,
                                names.get(idea.participant_id, "") if named else "", idea.group_number,
                                idea.posted_at))  # fmt: skip
    return rows


def ideas_steps(session: Session) -> list[AgendaStep]:
    """The session's ideas steps, in agenda order."""
    return [agenda_step for agenda_step in session.steps if agenda_step.step.kind is StepKind.IDEAS]
