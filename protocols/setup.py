"""Preparing the day: what a new or edited session must hold (title, system goals, an agenda), and its state.

Every check reports the first problem found in words a facilitator understands.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from protocols.answers import clean_text, parse_date
from protocols.errors import DomainError
from protocols.language import N_
from protocols.model import Protocol, StepKind
from protocols.session import (
    LOBBY,
    MAX_AGENDA_ITEMS,
    MAX_ROUNDS,
    AgendaItem,
    JoinQuestion,
    Session,
    SystemGoal,
    sized_agenda,
)
from protocols.views import session_summary

MAX_SYSTEM_GOALS = 10
MAX_STEP_MINUTES = 240
MAX_DAY_MINUTES = 24 * 60
DRAFT, LIVE, ENDED = "draft", "live", "ended"


@dataclass(frozen=True, slots=True)
class GoalDraft:
    """A system goal as the presenter wrote it; ``id`` is None for a new goal, else the goal it rewords."""

    id: int | None
    title: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class NewSession:
    title: str
    organisation: str
    system_goals: tuple[tuple[str, str], ...]  # (title, description)
    agenda: tuple[AgendaItem, ...]  # protocol definitions copied from the library, minutes as the presenter set them
    join_question: JoinQuestion | None = None
    facilitator: str = ""  # the presenter's name, printed on every plan
    date: str = ""  # the day of the session, ISO YYYY-MM-DD
    day_minutes: int | None = None  # the time the day has for the agenda; None: not said
    organisation_id: int | None = None  # an organisation's session starts with its system goals


@dataclass(frozen=True, slots=True)
class SessionEdit:
    """A session's settings after an edit. ``system_goals`` and ``agenda`` are None when they stay as they were."""

    title: str
    organisation: str
    facilitator: str
    date: str
    day_minutes: int | None
    system_goals: tuple[GoalDraft, ...] | None = None
    agenda: tuple[AgendaItem, ...] | None = None


@dataclass(frozen=True, slots=True)
class PreparedSession:
    """A session as the preparation page sees it: with who joined and the time the day has."""

    session: Session
    participants: int

    @property
    def state(self) -> str:
        """``draft`` until it starts or someone joins, ``live`` until its last step is done, then ``ended``."""
        if self.session.position == LOBBY and self.participants == 0:
            return DRAFT
        return ENDED if self.session.ended else LIVE

    @property
    def planned_minutes(self) -> float:
        return planned_minutes(self.session.agenda)


def planned_minutes(agenda: Sequence[AgendaItem]) -> float:
    """Every step's minutes, round after round: what the agenda asks of the day."""
    return sum(item.rounds * item.protocol.minutes for item in agenda)


def _field_error(message: str, /, **params: Any) -> DomainError:
    """``bad_request`` naming the field: ``message`` (marked ``N_``) filled from ``params``."""
    return DomainError("bad_request", message, **params)


def agenda_is_live() -> DomainError:
    """The refusal for an agenda change through the API once people are in: the console owns the agenda then."""
    return DomainError(
        "session_live",
        "This session is live, so its agenda can no longer change here: change it from the console "
        "(add, reorder, skip or set rounds of what has not started).",
    )


def _text(payload: Mapping, field: str, max_chars: int, required: bool, default: str = "") -> str:
    try:
        return clean_text(payload.get(field, default), field=field, max_chars=max_chars, required=required)
    except DomainError as error:
        raise error.recoded("bad_request") from None


def _day(payload: Mapping, default: str) -> str:
    if not payload.get("date"):
        return default
    try:
        return parse_date(payload["date"], field="date").isoformat()
    except DomainError as error:
        raise error.recoded("bad_request") from None


def parse_day_minutes(raw: Any) -> int | None:
    """The minutes the day has for the agenda (e.g. 360 for 9:00 to 15:00 without lunch), or None."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= MAX_DAY_MINUTES:
        raise _field_error(N_("day_minutes must be a whole number of minutes from 1 to {most}."), most=MAX_DAY_MINUTES)
    return raw


def parse_new_session(payload: Any, library: Mapping[str, Protocol]) -> NewSession:
    """Check a create-session request."""
    if not isinstance(payload, Mapping):
        raise _field_error(N_("Send a JSON object with title, system_goals and agenda."))
    title = _text(payload, "title", 200, required=True)
    organisation = _text(payload, "organisation", 200, required=False)
    facilitator = _text(payload, "facilitator", 200, required=False)
    day = _day(payload, date.today().isoformat())
    day_minutes = parse_day_minutes(payload.get("day_minutes"))
    organisation_id = payload.get("organisation_id")
    if organisation_id is not None and (isinstance(organisation_id, bool) or not isinstance(organisation_id, int)):
        raise _field_error(N_("organisation_id must be the id of an organisation, or left out."))
    # An organisation's session starts with the organisation's goals: goals of its own are optional.
    own_goals = payload.get("system_goals") if organisation_id is None or payload.get("system_goals") else None
    goals = parse_system_goals(own_goals) if own_goals is not None or organisation_id is None else ()
    agenda = parse_agenda(payload.get("agenda", ["goal-setting"]), library)
    join_question = parse_join_question(payload.get("join_question"))
    return NewSession(
        title,
        organisation,
        tuple((goal.title, goal.description) for goal in goals),
        agenda,
        join_question,
        facilitator,
        day,
        day_minutes,
        organisation_id,
    )


def parse_session_edit(
    payload: Any, prepared: PreparedSession, library: Mapping[str, Protocol], goal_picks: Mapping[int, int]
) -> SessionEdit:
    """Check an edit: only the fields sent change. ``goal_picks`` counts who chose each system goal so far.

    A goal someone chose stays (its wording may change); the agenda changes here only while the session is a draft.
    """
    if not isinstance(payload, Mapping) or not payload:
        raise _field_error(N_("Send a JSON object with the fields to change."))
    known = {"title", "organisation", "facilitator", "date", "day_minutes", "system_goals", "agenda"}
    unknown = sorted(set(payload) - known)
    if unknown:
        fixed = N_("{field} cannot be changed here; send only {known}.")
        raise _field_error(fixed, field=repr(unknown[0][:40]), known=", ".join(sorted(known)))
    session = prepared.session
    agenda = None
    if "agenda" in payload:
        if prepared.state != DRAFT:
            raise agenda_is_live()
        agenda = parse_agenda(payload["agenda"], library, session.agenda)
    goals = None
    if "system_goals" in payload:
        goals = parse_system_goals(payload["system_goals"], session.system_goals)
        _check_removed_goals(session.system_goals, goals, goal_picks)
    return SessionEdit(
        title=_text(payload, "title", 200, required=True, default=session.title),
        organisation=_text(payload, "organisation", 200, required=False, default=session.organisation),
        facilitator=_text(payload, "facilitator", 200, required=False, default=session.facilitator),
        date=_day(payload, session.date),
        day_minutes=parse_day_minutes(payload["day_minutes"]) if "day_minutes" in payload else session.day_minutes,
        system_goals=goals,
        agenda=agenda,
    )


def parse_system_goals(raw: Any, current: Sequence[SystemGoal | Any] = ()) -> tuple[GoalDraft, ...]:
    """1 to 10 goals, in order: ``{"title", "description"}`` or a title; ``"id"`` keeps one of ``current`` (a
    session's goals, or an organisation's)."""
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_SYSTEM_GOALS:
        raise _field_error(N_("system_goals must be a list of 1 to {most} goals."), most=MAX_SYSTEM_GOALS)
    current_ids = {goal.id for goal in current}
    drafts: list[GoalDraft] = []
    for n, goal in enumerate(raw):
        if isinstance(goal, str):
            goal = {"title": goal}
        if not isinstance(goal, Mapping):
            raise _field_error(N_("system_goals[{n}] must be an object with a title."), n=n)
        goal_id = goal.get("id")
        if goal_id is not None:
            if isinstance(goal_id, bool) or goal_id not in current_ids:
                unlisted = N_("system_goals[{n}].id: {id} is not a system goal listed here.")
                raise _field_error(unlisted, n=n, id=str(goal_id)[:20])
            if any(draft.id == goal_id for draft in drafts):
                raise _field_error(N_("system_goals[{n}].id: goal {id} is listed twice."), n=n, id=goal_id)
        try:
            title = clean_text(goal.get("title"), field=f"system_goals[{n}].title", max_chars=200)
            description = clean_text(
                goal.get("description", ""), field=f"system_goals[{n}].description", max_chars=1000, required=False
            )
        except DomainError as error:
            raise error.recoded("bad_request") from None
        drafts.append(GoalDraft(goal_id, title, description))
    return tuple(drafts)


def _check_removed_goals(
    current: Sequence[SystemGoal], kept: Sequence[GoalDraft], goal_picks: Mapping[int, int]
) -> None:
    kept_ids = {draft.id for draft in kept}
    for goal in current:
        picks = goal_picks.get(goal.id, 0)
        if goal.id not in kept_ids and picks:
            if picks == 1:
                raise DomainError(
                    "goal_in_use",
                    "'{title}' was chosen by 1 participant, so it cannot be removed; you can still change its wording.",
                    title=goal.title,
                )
            raise DomainError(
                "goal_in_use",
                "'{title}' was chosen by {count} participants, so it cannot be removed; you can still change its "
                "wording.",
                title=goal.title,
                count=picks,
            )


def parse_agenda(
    raw: Any, library: Mapping[str, Protocol], current: Sequence[AgendaItem] = ()
) -> tuple[AgendaItem, ...]:
    """The agenda in order. Each entry is a library protocol id, ``{"id", "rounds", "minutes"}`` for a protocol
    from the library, or ``{"item", "rounds", "minutes"}`` to keep an item already in ``current`` (its copy of the
    protocol, e.g. one uploaded from the console). ``minutes`` maps step ids to the minutes planned for them.
    """
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_AGENDA_ITEMS:
        raise _field_error(N_("agenda must be a list of 1 to {most} protocols."), most=MAX_AGENDA_ITEMS)
    by_uid = {item.uid: item for item in current}
    next_uid = max(by_uid, default=0) + 1
    items: list[AgendaItem] = []
    for n, entry in enumerate(raw):
        entry = {"id": entry} if isinstance(entry, str) else entry
        if not isinstance(entry, Mapping):
            raise _field_error(N_("agenda[{n}] must be a protocol id or an object with an id."), n=n)
        if "item" in entry:
            uid = entry["item"]
            if isinstance(uid, bool) or uid not in by_uid:
                missing = N_("agenda[{n}]: there is no item {item} in this session's agenda.")
                raise _field_error(missing, n=n, item=str(uid)[:20])
            if any(item.uid == uid for item in items):
                raise _field_error(N_("agenda[{n}]: item {item} is listed twice."), n=n, item=uid)
            protocol, rounds = by_uid[uid].protocol, entry.get("rounds", by_uid[uid].rounds)
        else:
            protocol_id = entry.get("id")
            if not isinstance(protocol_id, str) or protocol_id not in library:
                known = ", ".join(sorted(library))
                raise _field_error(
                    N_("agenda[{n}]: {id} is not a protocol in the library ({known})."),
                    n=n,
                    id=repr(str(protocol_id)[:60]),
                    known=known,
                )
            uid, next_uid = next_uid, next_uid + 1
            protocol, rounds = library[protocol_id], entry.get("rounds", 1)
        if isinstance(rounds, bool) or not isinstance(rounds, int) or not 1 <= rounds <= MAX_ROUNDS:
            raise _field_error(N_("agenda[{n}].rounds must be a whole number from 1 to {most}."), n=n, most=MAX_ROUNDS)
        protocol = _with_minutes(protocol, entry.get("minutes"), f"agenda[{n}].minutes")
        items.append(AgendaItem(uid, protocol, rounds))
    return sized_agenda(tuple(items))


def _with_minutes(protocol: Protocol, minutes: Any, field: str) -> Protocol:
    """The protocol with the minutes planned for some of its steps changed: part of the session's own copy."""
    if minutes is None:
        return protocol
    if not isinstance(minutes, Mapping):
        example = '{"' + protocol.steps[0].id + '": 5}'
        not_minutes = N_("{field} must be an object of step id to minutes, like {example}.")
        raise _field_error(not_minutes, field=field, example=example)
    step_ids = [step.id for step in protocol.steps]
    for step_id, value in minutes.items():
        if step_id not in step_ids:
            raise _field_error(
                N_("{field}: {step} is not a step of '{title}' ({steps})."),
                field=field,
                step=repr(step_id[:40]),
                title=protocol.title,
                steps=", ".join(step_ids),
            )
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= MAX_STEP_MINUTES:
            out_of_range = N_("{field}.{step} must be a number of minutes from 0 to {most}.")
            raise _field_error(out_of_range, field=field, step=step_id, most=MAX_STEP_MINUTES)
    steps = tuple(replace(step, minutes=minutes.get(step.id, step.minutes)) for step in protocol.steps)
    return replace(protocol, steps=steps)


def goal_step_ids(session: Session) -> tuple[str, ...]:
    """The keys of the steps where participants choose a system goal: whose answers make a goal "picked"."""
    return tuple(agenda_step.key for agenda_step in session.steps if agenda_step.step.kind is StepKind.GOAL)


def parse_duplicate(payload: Any, source: PreparedSession) -> str:
    """The day of a copy of ``source``: the ``date`` sent, else the source's own."""
    if payload is None:
        return source.session.date
    if not isinstance(payload, Mapping):
        raise _field_error(N_("Send a JSON object, optionally with the new date."))
    return _day(payload, source.session.date)


def prepared_view(prepared: PreparedSession) -> dict[str, Any]:
    """A session in the list of sessions: who, what and when, its state, people and planned time."""
    summary = session_summary(prepared.session)
    return {
        **{field: summary[field] for field in ("code", "title", "organisation", "facilitator", "date")},
        "organisation_id": prepared.session.organisation_id,
        "language": prepared.session.language,
        "state": prepared.state,
        "participants": prepared.participants,
        "planned_minutes": prepared.planned_minutes,
        "day_minutes": prepared.session.day_minutes,
        "created_at": prepared.session.created_at,
    }


def details_view(prepared: PreparedSession) -> dict[str, Any]:
    """Everything the preparation page edits: goals with their ids, agenda items with minutes per step."""
    session = prepared.session
    return {
        **session_summary(session),
        **prepared_view(prepared),
        "agenda": [
            {
                "item": item.uid,
                "protocol": item.protocol.id,
                "title": item.protocol.title,
                "rounds": item.rounds,
                "minutes": item.protocol.minutes,
                "steps": [
                    {"id": step.id, "title": step.title, "minutes": step.minutes} for step in item.protocol.steps
                ],
            }
            for item in session.agenda
        ],
    }


def parse_join_question(raw: Any) -> JoinQuestion | None:
    """``{"label": "Grade level", "options": ["K-2", "3-5"]}`` (options optional), or nothing."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, str):
        raw = {"label": raw}
    if not isinstance(raw, Mapping):
        raise _field_error(N_("join_question must be an object with a label and optional options."))
    try:
        label = clean_text(raw.get("label"), field="join_question.label", max_chars=100)
        options = raw.get("options", [])
        if not isinstance(options, list) or len(options) > 40:
            raise _field_error(N_("join_question.options must be a list of up to 40 answers."))
        cleaned = tuple(clean_text(o, field="join_question.options", max_chars=80) for o in options)
    except DomainError as error:
        raise error.recoded("bad_request") from None
    if len(set(cleaned)) != len(cleaned):
        raise _field_error(N_("join_question.options has the same answer twice."))
    return JoinQuestion(label, cleaned)


def parse_join_answer(question: JoinQuestion | None, raw: Any) -> str:
    """The answer a participant gave to the join question: one of its options, or a short free answer."""
    if question is None:
        return ""
    answer = clean_text(raw, field=question.label, max_chars=80)
    if question.options and answer not in question.options:
        options = ", ".join(question.options)
        raise DomainError("bad_join_answer", "{label}: pick one of {options}.", label=question.label, options=options)
    return answer
