"""A finished day in a real data folder, for plan and export tests: three scripts, groups, a private canary."""

from dataclasses import dataclass, field
from pathlib import Path

from facilitator.store import DATABASE_FILE, Store
from protocols.answers import validate_answer
from protocols.groups import Seating, answers_step
from protocols.loader import load_library
from protocols.model import GroupBy, Step, StepKind
from protocols.session import AgendaItem, GroupSettings, Session

GOALS = [
    ("Every student reads fluently by grade 3", "Literacy across the curriculum"),
    ("Feedback that moves learning forward", ""),
    ("Belonging for every learner", ""),
]
NAMES = ["Zoë Ødegård", "Αλέξανδρος Παπαδόπουλος", "Юлия Смирнова", "Amara Okafor", "CON", '=HYPERLINK("x")']


@dataclass
class Day:
    """What was written, by whom, so tests can look for it in plans and exports."""

    data_dir: Path
    session: Session
    key: str
    tokens: list[str] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    answers: list[dict[str, object]] = field(default_factory=list)  # by participant index: step key -> value

    def canary(self, index: int) -> str:
        return f"CANARY-private-worry-{index}"


def _value(step: Step, key: str, index: int, session: Session) -> object:
    step_kind = step.kind
    text = f"{key} answer from person {index}"
    if step_kind is StepKind.TEXT:
        return text
    if step_kind is StepKind.GOAL:
        return session.system_goals[index % 2].id  # the first two goals chosen, the third never
    if step_kind is StepKind.LIST:
        items = [f"Action {n} of person {index}" for n in (1, 2)]
        return [{"text": item, "date": f"2027-04-1{n}"} for n, item in enumerate(items)] if step.dated else items
    if step_kind is StepKind.CHOICE:
        ids = [option.id for option in step.options]
        return ids[: 1 + index % 2] if step.multiple else ids[index % len(ids)]
    if step_kind is StepKind.DATE:
        return f"2027-05-0{1 + index % 9}"
    if step_kind is StepKind.SCALE:
        return step.scale_min
    if step_kind is StepKind.MEASURE:
        baseline, target = {"value": 40 + index, "date": "2027-03-15"}, {"value": 80, "date": "2027-06-30"}
        return {"what": f"{key} measure of person {index}", "unit": "percent", "baseline": baseline, "target": target}
    raise AssertionError(step_kind)


def seed_day(data_dir: Path, names: list[str] | None = None, *, tuning: bool = True) -> Day:
    """Goal setting (with its private reflection), then one tuning round in groups of three."""
    library = load_library()
    agenda = [AgendaItem(1, library["goal-setting"])]
    if tuning:
        agenda.append(AgendaItem(2, library["tuning"]))
    store = Store(data_dir / DATABASE_FILE)
    session, key = store.create_session(
        "Spring PD day", "Riverside District", GOALS, agenda, facilitator="Dr. Amara Okafor", date="2027-03-15"
    )
    day = Day(data_dir, session, key)
    for name in names or NAMES:
        participant, token = store.add_participant(session.id, name)
        day.tokens.append(token)
        day.ids.append(participant.id)
        day.names.append(participant.name)
    groups = [day.ids[start : start + 3] for start in range(0, len(day.ids), 3)]
    store.save_groups(session.id, GroupSettings(3, GroupBy.RANDOM), groups)
    seating = Seating(store.groups(session.id))
    for index, participant_id in enumerate(day.ids):
        sent: dict[str, object] = {}
        for agenda_step in session.steps:
            step = agenda_step.step
            if not answers_step(agenda_step, seating, participant_id):
                continue
            value = day.canary(index) if step.id == "worry" else _value(step, agenda_step.key, index, session)
            value = validate_answer(step, value, session.system_goals)
            store.save_answer(session.id, participant_id, agenda_step.key, f"{index}-{agenda_step.key}", value)
            sent[agenda_step.key] = value
        day.answers.append(sent)
    store.close()
    return day
