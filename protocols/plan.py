"""A participant's personal action plan: their answers gathered under the plan fields, in agenda order."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from protocols.model import PlanField, Step, StepKind, Visibility
from protocols.session import Session, SystemGoal
from protocols.visibility import Audience, may_see


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One answered step, as it reads in the plan."""

    protocol: str
    step: str
    prompt: str
    visibility: Visibility
    field: PlanField
    lines: tuple[str, ...]


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
    plan_url: str = ""

    def field(self, field: PlanField) -> tuple[str, ...]:
        """Every line the plan holds under ``field``, in agenda order."""
        return tuple(line for item in self.items if item.field is field for line in item.lines)

    @property
    def goal(self) -> str:
        return " ".join(self.field(PlanField.GOAL))


def answer_lines(step: Step, value: object, system_goals: tuple[SystemGoal, ...]) -> tuple[str, ...]:
    """An answer's value as the lines a person reads (option labels, goal titles, list items)."""
    if step.kind is StepKind.GOAL:
        titles = {goal.id: goal.title for goal in system_goals}
        return (titles.get(value, "(a system goal no longer in this session)"),)  # type: ignore[arg-type]
    if step.kind is StepKind.CHOICE:
        labels = {option.id: option.label for option in step.options}
        picked = value if isinstance(value, list) else [value]
        return tuple(labels.get(option_id, str(option_id)) for option_id in picked)
    if step.kind is StepKind.LIST:
        return tuple(_list_line(item) for item in value)  # type: ignore[union-attr]
    if step.kind is StepKind.RANK:
        labels = {option.id: option.label for option in step.options}
        return tuple(f"{n}. {labels.get(option_id, option_id)}" for n, option_id in enumerate(value, 1))  # type: ignore[arg-type]
    if step.kind is StepKind.DATE:
        return (format_day(str(value)),)
    if step.kind is StepKind.SCALE:
        return (f"{value} on a scale of {step.scale_min} to {step.scale_max}",)
    return (str(value),)


def format_date(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%-d %B %Y")


def format_day(iso_day: str) -> str:
    """``2027-01-15`` as ``15 January 2027``."""
    return date.fromisoformat(iso_day).strftime("%-d %B %Y")


def _list_line(item: object) -> str:
    if isinstance(item, dict):
        return f"{item['text']} (by {format_day(item['date'])})"
    return str(item)


def build_plan(
    session: Session,
    participant_name: str,
    answers: Mapping[str, object],
    *,
    reader: Audience = Audience.AUTHOR,
    plan_url: str = "",
) -> Plan:
    """One participant's plan as ``reader`` may see it: the author sees all, others what visibility allows."""
    items = []
    chosen: list[int] = []
    for agenda_step in session.steps:
        step = agenda_step.step
        if agenda_step.key not in answers or not may_see(reader, step.visibility):
            continue
        value = answers[agenda_step.key]
        if step.kind is StepKind.GOAL and isinstance(value, int) and value not in chosen:
            chosen.append(value)
        items.append(
            PlanItem(
                protocol=agenda_step.protocol.title,
                step=step.title,
                prompt=step.prompt,
                visibility=step.visibility,
                field=step.plan_field,
                lines=answer_lines(step, value, session.system_goals),
            )
        )
    return Plan(
        participant=participant_name,
        session_title=session.title,
        organisation=session.organisation,
        date=format_day(session.date) if session.date else format_date(session.created_at),
        facilitator=session.facilitator,
        system_goals=session.system_goals,
        chosen_goal_ids=tuple(chosen),
        items=tuple(items),
        plan_url=plan_url,
    )
