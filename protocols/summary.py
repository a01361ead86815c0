"""What leaders read after the day, and the rows of the answers export: plain data, filtered by visibility.

Everything here is built for the facilitator's eyes: an answer the facilitator may not see (a private reflection)
never counts towards a phrase, a follow-up or a row.
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from protocols.language import IN_ENGLISH, Language
from protocols.model import PlanField, StepKind
from protocols.phrases import Phrase, recurring_phrases
from protocols.plan import answer_lines
from protocols.session import AgendaStep, Answer, Session
from protocols.visibility import Audience, may_see

READER = Audience.FACILITATOR


@dataclass(frozen=True, slots=True)
class GoalSpread:
    """How many people tied a goal of their own to one system goal."""

    title: str
    people: int


@dataclass(frozen=True, slots=True)
class FollowUp:
    """One person's requests for support: leaders follow up on every one, ideally by their check-in day."""

    participant: str
    supports: tuple[str, ...]
    check_in: str  # the person's check-in day as people read it, or empty


@dataclass(frozen=True, slots=True)
class SupportCount:
    """How many people asked for one kind of support."""

    support: str
    people: int


@dataclass(frozen=True, slots=True)
class StepParticipation:
    """How many of those who joined answered one step."""

    protocol: str
    step: str
    answered: int
    joined: int


@dataclass(frozen=True, slots=True)
class Summary:
    """The leaders' page: goals over system goals, common obstacles, the support follow-up list, participation."""

    session_title: str
    organisation: str
    date: str
    facilitator: str
    joined: int
    goal_spread: tuple[GoalSpread, ...]
    no_system_goal: int  # people who chose none
    obstacles: tuple[Phrase, ...]
    support_counts: tuple[SupportCount, ...]  # most asked for first
    follow_ups: tuple[FollowUp, ...]  # by name
    without_support: tuple[str, ...]  # people who asked for no support: worth asking
    participation: tuple[StepParticipation, ...]


@dataclass(frozen=True, slots=True)
class AnswerRow:
    """One answer as a row of ``answers.csv``."""

    participant: str
    protocol: str
    step: str
    kind: str
    visibility: str
    system_goal: str
    value: str
    time: str  # ISO 8601, UTC


def _protocol_title(agenda_step: AgendaStep) -> str:
    """The protocol's title, with the round where it ran for several."""
    if agenda_step.item.rounds > 1:
        return f"{agenda_step.protocol.title} (round {agenda_step.round})"
    return agenda_step.protocol.title


def _visible(session: Session, answers: Sequence[Answer]) -> list[tuple[AgendaStep, Answer]]:
    """The answers the facilitator may see, each with its step, in the order given."""
    steps = {agenda_step.key: agenda_step for agenda_step in session.steps}
    return [
        (steps[answer.step_id], answer)
        for answer in answers
        if answer.step_id in steps and may_see(READER, steps[answer.step_id].step.visibility)
    ]


def _system_goal_at(session: Session, answers: Sequence[tuple[AgendaStep, Answer]]) -> dict[tuple[int, int], int]:
    """(participant, step index) -> the system goal the person had chosen by then (else the first they chose)."""
    chosen: dict[int, list[tuple[int, int]]] = {}
    for agenda_step, answer in answers:
        if agenda_step.step.kind is StepKind.GOAL and isinstance(answer.value, int):
            chosen.setdefault(answer.participant_id, []).append((agenda_step.index, answer.value))
    result = {}
    for agenda_step, answer in answers:
        picks = sorted(chosen.get(answer.participant_id, []))
        if not picks:
            continue
        before = [goal for index, goal in picks if index <= agenda_step.index]
        result[(answer.participant_id, agenda_step.index)] = before[-1] if before else picks[0][1]
    return result


def answer_rows(session: Session, names: Mapping[int, str], answers: Sequence[Answer]) -> list[AnswerRow]:
    """One row per answer the facilitator may see, in agenda order then by participant."""
    visible = _visible(session, answers)
    visible.sort(key=lambda pair: (pair[0].index, pair[1].participant_id))
    goal_at = _system_goal_at(session, visible)
    rows = []
    for agenda_step, answer in visible:
        step = agenda_step.step
        goal = session.system_goal(goal_at.get((answer.participant_id, agenda_step.index), -1))
        rows.append(
            AnswerRow(
                participant=names.get(answer.participant_id, ""),
                protocol=_protocol_title(agenda_step),
                step=step.title,
                kind=step.kind.value,
                visibility=step.visibility.value,
                system_goal=goal.title if goal else "",
                value=" | ".join(answer_lines(step, answer.value, session.system_goals)),
                time=datetime.fromtimestamp(answer.saved_at, UTC).isoformat(timespec="seconds"),
            )
        )
    return rows


def build_summary(
    session: Session, names: Mapping[int, str], answers: Sequence[Answer], lang: Language = IN_ENGLISH
) -> Summary:
    """The leaders' summary of a session from every answer, counting only what the facilitator may see; its dates
    and answers' words in ``lang`` (the session's)."""
    visible = _visible(session, answers)
    chosen: dict[int, set[int]] = {}
    obstacles: dict[int, list[str]] = {}
    supports: dict[int, list[str]] = {}
    check_ins: dict[int, str] = {}
    answered: Counter[str] = Counter()
    for agenda_step, answer in visible:
        step, person = agenda_step.step, answer.participant_id
        lines = answer_lines(step, answer.value, session.system_goals, lang)
        if step.kind is StepKind.GOAL and isinstance(answer.value, int):
            chosen.setdefault(person, set()).add(answer.value)
        if step.plan_field is PlanField.OBSTACLES:
            obstacles.setdefault(person, []).extend(lines)
        if step.plan_field is PlanField.SUPPORTS:
            supports.setdefault(person, [])
            supports[person].extend(line for line in lines if line not in supports[person])
        if step.plan_field is PlanField.CHECK_IN and step.kind is StepKind.DATE:
            check_ins[person] = lang.day(str(answer.value))
    for answer in answers:  # counts carry no content, so every step counts, private ones too
        answered[answer.step_id] += 1
    spread = tuple(
        GoalSpread(goal.title, sum(goal.id in picks for picks in chosen.values())) for goal in session.system_goals
    )
    follow_ups = tuple(
        FollowUp(names.get(person, ""), tuple(supports[person]), check_ins.get(person, ""))
        for person in sorted(supports, key=lambda p: (names.get(p, "").casefold(), p))
        if supports[person]
    )
    asked = Counter(support for requests in supports.values() for support in requests)
    ranked = sorted(asked.items(), key=lambda pair: (-pair[1], pair[0]))
    support_counts = tuple(SupportCount(support, n) for support, n in ranked)
    without = tuple(sorted((names[p] for p in names if not supports.get(p)), key=str.casefold))
    participation = tuple(
        StepParticipation(
            _protocol_title(agenda_step),
            agenda_step.step.title,
            answered[agenda_step.key],
            len(names),
        )
        for agenda_step in session.steps
        if agenda_step.step.answerable
    )
    return Summary(
        session_title=session.title,
        organisation=session.organisation,
        date=lang.day(session.date) if session.date else "",
        facilitator=session.facilitator,
        joined=len(names),
        goal_spread=spread,
        no_system_goal=sum(1 for p in names if not chosen.get(p)),
        obstacles=recurring_phrases(obstacles),
        support_counts=support_counts,
        follow_ups=follow_ups,
        without_support=without,
        participation=participation,
    )
