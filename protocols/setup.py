"""What a new session needs before it can start: a title, 1 to 10 system goals, an agenda from the library."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from protocols.answers import clean_text, parse_date
from protocols.errors import DomainError
from protocols.session import MAX_ROUNDS, JoinQuestion

MAX_SYSTEM_GOALS = 10
MAX_AGENDA_ITEMS = 30


@dataclass(frozen=True, slots=True)
class NewSession:
    title: str
    organisation: str
    system_goals: tuple[tuple[str, str], ...]  # (title, description)
    agenda: tuple[tuple[str, int], ...]  # (protocol id, rounds)
    join_question: JoinQuestion | None = None
    facilitator: str = ""  # the presenter's name, printed on every plan
    date: str = ""  # the day of the session, ISO YYYY-MM-DD


def _field_error(message: str) -> DomainError:
    return DomainError("bad_request", message)


def parse_new_session(payload: Any, known_protocols: Mapping[str, object]) -> NewSession:
    """Check a create-session request; the first problem found is reported in words a facilitator understands."""
    if not isinstance(payload, Mapping):
        raise _field_error("Send a JSON object with title, system_goals and agenda.")
    try:
        title = clean_text(payload.get("title"), field="title", max_chars=200)
        organisation = clean_text(payload.get("organisation", ""), field="organisation", max_chars=200, required=False)
        facilitator = clean_text(payload.get("facilitator", ""), field="facilitator", max_chars=200, required=False)
        day = parse_date(payload["date"], field="date") if payload.get("date") else date.today()
    except DomainError as error:
        raise _field_error(error.message) from None
    goals = payload.get("system_goals")
    if not isinstance(goals, list) or not 1 <= len(goals) <= MAX_SYSTEM_GOALS:
        raise _field_error(f"system_goals must be a list of 1 to {MAX_SYSTEM_GOALS} goals.")
    system_goals = []
    for n, goal in enumerate(goals, start=1):
        if isinstance(goal, str):
            goal = {"title": goal}
        if not isinstance(goal, Mapping):
            raise _field_error(f"system_goals[{n - 1}] must be an object with a title.")
        try:
            goal_title = clean_text(goal.get("title"), field=f"system_goals[{n - 1}].title", max_chars=200)
            description = clean_text(
                goal.get("description", ""), field=f"system_goals[{n - 1}].description", max_chars=1000, required=False
            )
        except DomainError as error:
            raise _field_error(error.message) from None
        system_goals.append((goal_title, description))
    raw_agenda = payload.get("agenda", ["goal-setting"])
    if not isinstance(raw_agenda, list) or not 1 <= len(raw_agenda) <= MAX_AGENDA_ITEMS:
        raise _field_error(f"agenda must be a list of 1 to {MAX_AGENDA_ITEMS} protocol ids.")
    agenda = []
    for n, entry in enumerate(raw_agenda):
        protocol_id, rounds = (entry.get("id"), entry.get("rounds", 1)) if isinstance(entry, Mapping) else (entry, 1)
        if not isinstance(protocol_id, str) or protocol_id not in known_protocols:
            known = ", ".join(sorted(known_protocols))
            raise _field_error(f"agenda[{n}]: {str(protocol_id)[:60]!r} is not a protocol in the library ({known}).")
        if isinstance(rounds, bool) or not isinstance(rounds, int) or not 1 <= rounds <= MAX_ROUNDS:
            raise _field_error(f"agenda[{n}].rounds must be a whole number from 1 to {MAX_ROUNDS}.")
        agenda.append((protocol_id, rounds))
    join_question = parse_join_question(payload.get("join_question"))
    return NewSession(
        title, organisation, tuple(system_goals), tuple(agenda), join_question, facilitator, day.isoformat()
    )


def parse_join_question(raw: Any) -> JoinQuestion | None:
    """``{"label": "Grade level", "options": ["K-2", "3-5"]}`` (options optional), or nothing."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, str):
        raw = {"label": raw}
    if not isinstance(raw, Mapping):
        raise _field_error("join_question must be an object with a label and optional options.")
    try:
        label = clean_text(raw.get("label"), field="join_question.label", max_chars=100)
        options = raw.get("options", [])
        if not isinstance(options, list) or len(options) > 40:
            raise _field_error("join_question.options must be a list of up to 40 answers.")
        cleaned = tuple(clean_text(o, field="join_question.options", max_chars=80) for o in options)
    except DomainError as error:
        raise _field_error(error.message) from None
    if len(set(cleaned)) != len(cleaned):
        raise _field_error("join_question.options has the same answer twice.")
    return JoinQuestion(label, cleaned)


def parse_join_answer(question: JoinQuestion | None, raw: Any) -> str:
    """The answer a participant gave to the join question: one of its options, or a short free answer."""
    if question is None:
        return ""
    answer = clean_text(raw, field=question.label, max_chars=80)
    if question.options and answer not in question.options:
        raise DomainError("bad_join_answer", f"{question.label}: pick one of {', '.join(question.options)}.")
    return answer
