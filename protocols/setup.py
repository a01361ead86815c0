"""What a new session needs before it can start: a title, 1 to 10 system goals, an agenda from the library."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from protocols.answers import clean_text
from protocols.errors import DomainError

MAX_SYSTEM_GOALS = 10
MAX_AGENDA_ITEMS = 30


@dataclass(frozen=True, slots=True)
class NewSession:
    title: str
    organisation: str
    system_goals: tuple[tuple[str, str], ...]  # (title, description)
    agenda: tuple[str, ...]  # protocol ids


def _field_error(message: str) -> DomainError:
    return DomainError("bad_request", message)


def parse_new_session(payload: Any, known_protocols: Mapping[str, object]) -> NewSession:
    """Check a create-session request; the first problem found is reported in words a facilitator understands."""
    if not isinstance(payload, Mapping):
        raise _field_error("Send a JSON object with title, system_goals and agenda.")
    try:
        title = clean_text(payload.get("title"), field="title", max_chars=200)
        organisation = clean_text(payload.get("organisation", ""), field="organisation", max_chars=200, required=False)
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
    agenda = payload.get("agenda", ["goal-setting"])
    if not isinstance(agenda, list) or not 1 <= len(agenda) <= MAX_AGENDA_ITEMS:
        raise _field_error(f"agenda must be a list of 1 to {MAX_AGENDA_ITEMS} protocol ids.")
    for n, protocol_id in enumerate(agenda):
        if not isinstance(protocol_id, str) or protocol_id not in known_protocols:
            known = ", ".join(sorted(known_protocols))
            raise _field_error(f"agenda[{n}]: {str(protocol_id)[:60]!r} is not a protocol in the library ({known}).")
    return NewSession(title, organisation, tuple(system_goals), tuple(agenda))
