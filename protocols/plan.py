"""A participant's personal action plan: their answers gathered under the plan fields, in agenda order."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from protocols.groups import Seating
from protocols.language import IN_ENGLISH, Language
from protocols.measures import measure_line
from protocols.model import PlanField, Step, StepKind, Visibility
from protocols.protocol_translations import localized_session
from protocols.session import Answer, Session, SystemGoal
from protocols.visibility import Audience, Tables, may_see, shared_with_group, shows_name

if TYPE_CHECKING:
    from protocols.measure_progress import MeasureChart  # which imports this module


@dataclass(frozen=True, slots=True)
class GroupNote:
    """A group-mate's answer to a step shared with the group, as it reads under that step in the plan."""

    name: str  # empty where the reader may see the answer but not who wrote it
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One step of the day in the plan: the reader's own answer (if any) and what the group shared there."""

    protocol: str
    step: str
    prompt: str
    visibility: Visibility
    field: PlanField
    lines: tuple[str, ...]
    group_notes: tuple[GroupNote, ...] = ()


@dataclass(frozen=True, slots=True)
class GoalWithCoach:
    """The person's goal as it stands with their coach: whether both agreed it, and its earlier wordings."""

    coach: str  # their coach's name, or ""
    goal: str  # the current wording
    agreement: str  # "Agreed with Ms Diaz on 12 December 2026", or "" while not agreed
    versions: tuple[tuple[str, str, str], ...]  # (day, wording, where it came from), newest first, current included


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything a plan document shows; built for one reader (the author, or the facilitator)."""

    participant: str
    session_title: str
    organisation: str
    date: str
    facilitator: str
    system_goals: tuple[SystemGoal, ...]
    chosen_goal_ids: tuple[int, ...]
    items: tuple[PlanItem, ...]
    check_in_url: str = ""
    linked_goals: tuple[tuple[int, str], ...] = ()  # (system goal id, the person's goal written for it)
    check_in: str = ""  # the check-in day, ISO YYYY-MM-DD, or empty
    calendar_url: str = ""  # where the check-in date can be added to a calendar
    reader: Audience = Audience.AUTHOR  # whose copy this is: the author's holds everything, private answers too
    with_coach: GoalWithCoach | None = None  # the author's copy, in an organisation's follow-up
    measure_chart: "MeasureChart | None" = None  # the author's copy: their goal's measure and its results

    def field(self, field: PlanField) -> tuple[str, ...]:
        """Every line the plan holds under ``field``, in agenda order."""
        return tuple(line for item in self.items if item.field is field for line in item.lines)

    @property
    def goal(self) -> str:
        return " ".join(self.field(PlanField.GOAL))

    def goals_under(self, system_goal_id: int) -> tuple[str, ...]:
        """The person's own goals tied to one system goal, in agenda order."""
        return tuple(text for goal_id, text in self.linked_goals if goal_id == system_goal_id)


def answer_lines(
    step: Step, value: object, system_goals: tuple[SystemGoal, ...], lang: Language = IN_ENGLISH
) -> tuple[str, ...]:
    """An answer's value as the lines a person reads (option labels, goal titles, list items), in ``lang``."""
    if step.kind is StepKind.GOAL:
        titles = {goal.id: goal.title for goal in system_goals}
        gone = lang.gettext("(a system goal no longer in this session)")
        return (titles.get(value, gone),)  # type: ignore[arg-type]
    if step.kind is StepKind.CHOICE:
        labels = {option.id: option.label for option in step.options}
        picked = value if isinstance(value, list) else [value]
        return tuple(labels.get(option_id, str(option_id)) for option_id in picked)
    if step.kind is StepKind.LIST:
        return tuple(_list_line(item, lang) for item in value)  # type: ignore[union-attr]
    if step.kind is StepKind.RANK:
        labels = {option.id: option.label for option in step.options}
        return tuple(f"{n}. {labels.get(option_id, option_id)}" for n, option_id in enumerate(value, 1))  # type: ignore[arg-type]
    if step.kind is StepKind.DATE:
        return (lang.day(str(value)),)
    if step.kind is StepKind.SCALE:
        scale = {"value": value, "low": step.scale_min, "high": step.scale_max}
        return (lang.gettext("{value} on a scale of {low} to {high}", **scale),)
    if step.kind is StepKind.PROGRESS:
        return tuple(
            lang.gettext("{step}: {level} of {high}", step=row["step"], level=row["level"], high=step.scale_max)
            for row in value  # type: ignore[union-attr]
        )
    if step.kind is StepKind.MEASURE:
        return (measure_line(value, lang),)  # type: ignore[arg-type]
    return (str(value),)


def _list_line(item: object, lang: Language) -> str:
    if isinstance(item, dict):
        return lang.gettext("{text} (by {day})", text=item["text"], day=lang.day(item["date"]))
    return str(item)


def _group_notes(
    step: Step,
    system_goals: tuple[SystemGoal, ...],
    shared: Sequence[tuple[str, object]],
    reader: Audience,
    lang: Language,
) -> tuple[GroupNote, ...]:
    """Group-mates' answers to a step, where the step shares them with the group and ``reader`` may see them.

    The plan's owner reads them as a group-mate; the facilitator's copy follows the facilitator's rights.
    """
    audience = Audience.GROUP_MATE if reader is Audience.AUTHOR else reader
    if not shared_with_group(step.visibility) or not may_see(audience, step.visibility):
        return ()
    named = shows_name(audience, step.visibility)
    return tuple(
        GroupNote(name if named else "", answer_lines(step, value, system_goals, lang)) for name, value in shared
    )


def build_plan(
    session: Session,
    participant_name: str,
    answers: Mapping[str, object],
    *,
    reader: Audience = Audience.AUTHOR,
    check_in_url: str = "",
    group_answers: Mapping[str, Sequence[tuple[str, object]]] | None = None,
    calendar_url: str = "",
    ideas: Mapping[str, tuple[str, ...]] | None = None,
    lang: Language = IN_ENGLISH,
) -> Plan:
    """One participant's plan as ``reader`` may see it: the author sees all, others what visibility allows.

    ``group_answers`` holds the group-mates' answers by step key, as (name, value) pairs; only steps whose
    visibility shares them with the group keep them. A goal is tied to the system goal chosen last before it
    in the agenda (or, when none was chosen before it, the first chosen). ``ideas`` holds what each ideas step
    puts in this plan (``protocols/ideas.plan_lines``), by step key. Dates, answers' own words and the protocols'
    texts (titles, prompts, option labels) are in ``lang``.
    """
    session = localized_session(session, lang.code)
    items = []
    chosen: list[int] = []
    goals: list[tuple[int | None, str]] = []
    check_in = ""
    for agenda_step in session.steps:
        step = agenda_step.step
        own = agenda_step.key in answers and may_see(reader, step.visibility)
        idea_lines = (ideas or {}).get(agenda_step.key, ()) if may_see(reader, step.visibility) else ()
        shared = (group_answers or {}).get(agenda_step.key, ())
        notes = _group_notes(step, session.system_goals, shared, reader, lang) if shared else ()
        if not own and not notes and not idea_lines:
            continue
        lines: tuple[str, ...] = idea_lines
        if own:
            value = answers[agenda_step.key]
            lines = answer_lines(step, value, session.system_goals, lang)
            if step.kind is StepKind.GOAL and isinstance(value, int):
                if value in chosen:
                    chosen.remove(value)
                chosen.append(value)  # the last one chosen is the one the goals that follow serve
            if step.plan_field is PlanField.GOAL:
                goals.append((chosen[-1] if chosen else None, " ".join(lines)))
            if step.plan_field is PlanField.CHECK_IN and step.kind is StepKind.DATE:
                check_in = str(value)
        items.append(
            PlanItem(
                protocol=agenda_step.protocol.title,
                step=step.title,
                prompt=step.prompt,
                visibility=step.visibility,
                field=step.plan_field,
                lines=lines,
                group_notes=notes,
            )
        )
    chosen_ids = _chosen_in_agenda_order(session, answers, reader)
    first = chosen_ids[0] if chosen_ids else None
    linked = tuple((goal_id if goal_id is not None else first, text) for goal_id, text in goals)
    return Plan(
        participant=participant_name,
        session_title=session.title,
        organisation=session.organisation,
        date=lang.day(session.date or datetime.fromtimestamp(session.created_at, UTC).date()),
        facilitator=session.facilitator,
        system_goals=session.system_goals,
        chosen_goal_ids=chosen_ids,
        items=tuple(items),
        check_in_url=check_in_url,
        linked_goals=tuple((goal_id, text) for goal_id, text in linked if goal_id is not None),
        check_in=check_in,
        calendar_url=calendar_url if check_in else "",
        reader=reader,
    )


def _chosen_in_agenda_order(session: Session, answers: Mapping[str, object], reader: Audience) -> tuple[int, ...]:
    """Every system goal the person chose, once each, in the order they first chose it."""
    chosen: list[int] = []
    for agenda_step in session.steps:
        step = agenda_step.step
        value = answers.get(agenda_step.key)
        visible = step.kind is StepKind.GOAL and may_see(reader, step.visibility)
        if visible and isinstance(value, int) and value not in chosen:
            chosen.append(value)
    return tuple(chosen)


class GroupAnswers:
    """What each reader's group shared, step by step, at the table each answer was given at (``Tables``)."""

    def __init__(self, answers: Iterable[Answer], names: Mapping[int, str], seating: Seating) -> None:
        self._names = names
        self._tables = Tables(answers, seating)

    def for_reader(self, reader: int) -> dict[str, list[tuple[str, object]]]:
        """Group-mates' answers by step key, as (name, value) pairs, for ``build_plan(group_answers=...)``."""
        shared: dict[str, list[tuple[str, object]]] = {}
        for key in self._tables.steps:
            mates = [(self._names.get(a.participant_id, ""), a.value) for a in self._tables.mates_answers(key, reader)]
            if mates:
                shared[key] = mates
        return shared
