"""Coaches of an organisation, and who coaches whom: by hand, in bulk by system goal, or in turn when someone asks
for support."""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from protocols.answers import clean_text
from protocols.errors import DomainError, Phrase
from protocols.language import N_

MAX_NAME = 120
MAX_EMAIL = 254
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AssignedHow(StrEnum):
    HAND = "hand"  # a leader picked the coach for this person
    GOAL = "goal"  # every goal under a system goal went to one coach
    AUTO = "auto"  # the person asked for support: coaches of their system goal take turns


@dataclass(frozen=True, slots=True)
class Coach:
    id: int
    organisation_id: int
    name: str
    email: str  # "" when the coach has none: their reminders show in their view only
    goal_ids: tuple[int, ...]  # the organisation's system goals they coach under; empty: any


@dataclass(frozen=True, slots=True)
class CoachDraft:
    name: str
    email: str
    goal_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Assignment:
    person_id: int
    coach_id: int
    how: AssignedHow
    assigned_at: float


def email_address(raw: object, *, field: str | Phrase, required: bool = False) -> str:
    """An e-mail address, trimmed and in lower case; DomainError ``bad_email`` for one that cannot be."""
    text = clean_text(raw if raw is not None else "", field=field, max_chars=MAX_EMAIL, required=required)
    text = text.strip().casefold()
    if text and not _EMAIL.match(text):
        raise DomainError(
            "bad_email", "{field} must be an e-mail address such as name@school.org.", field=Phrase.of(field)
        )
    return text


def looks_like_email(identifier: str) -> bool:
    """Whether a person's e-mail or staff id is an address reminders can go to."""
    return bool(_EMAIL.match(identifier))


def parse_coach(payload: Any, goal_ids: Iterable[int], existing: Coach | None = None) -> CoachDraft:
    """A coach as the admin wrote them: a name, an e-mail address (optional) and the organisation's system goals
    they coach under (``goal_ids``, ids of the organisation's goals; none means any goal)."""
    if not isinstance(payload, dict):
        raise DomainError("bad_request", "Send the coach as a JSON object with name, email and goal_ids.")
    unknown = set(payload) - {"name", "email", "goal_ids"}
    if unknown:
        raise DomainError(
            "bad_request", "Unknown field {field}: send name, email and goal_ids.", field=repr(sorted(unknown)[0])
        )
    try:
        name = clean_text(payload.get("name", existing.name if existing else None), field="name", max_chars=MAX_NAME)
    except DomainError as error:
        raise error.recoded("bad_request") from None
    email = email_address(payload.get("email", existing.email if existing else ""), field=N_("The coach's e-mail"))
    raw_goals = payload.get("goal_ids", list(existing.goal_ids) if existing else [])
    known = set(goal_ids)
    if not isinstance(raw_goals, list) or not all(
        isinstance(goal, int) and not isinstance(goal, bool) and goal in known for goal in raw_goals
    ):
        raise DomainError("unknown_goal", "Pick the coach's system goals from the organisation's goals.")
    return CoachDraft(name, email, tuple(dict.fromkeys(raw_goals)))


def coach_view(coach: Coach, caseload: int | None = None) -> dict[str, Any]:
    view: dict[str, Any] = {"id": coach.id, "name": coach.name, "email": coach.email, "goal_ids": list(coach.goal_ids)}
    if caseload is not None:
        view["caseload"] = caseload
    return view


def coaches_of_goal(coaches: Sequence[Coach], goal_id: int | None) -> list[Coach]:
    """The coaches who coach under ``goal_id``: those named for it, else those named for no goal in particular,
    else every coach (support is never left without an owner while the organisation has a coach)."""
    named = [coach for coach in coaches if goal_id is not None and goal_id in coach.goal_ids]
    return named or [coach for coach in coaches if not coach.goal_ids] or list(coaches)


def next_in_turn(coaches: Sequence[Coach], goal_id: int | None, last_auto: Mapping[int, float]) -> Coach | None:
    """Round robin: of the coaches of ``goal_id``, the one given someone automatically longest ago (never first,
    then by id). ``last_auto``: when each coach was last given someone automatically."""
    candidates = coaches_of_goal(coaches, goal_id)
    if not candidates:
        return None
    return min(candidates, key=lambda coach: (last_auto.get(coach.id, float("-inf")), coach.id))
