"""Organisations: a school or district whose system goals are reused across its sessions and followed over a year."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import available_timezones

from protocols.answers import clean_text
from protocols.coaching.coaches import email_address
from protocols.errors import DomainError
from protocols.language import N_
from protocols.setup import MAX_SYSTEM_GOALS, GoalDraft, parse_system_goals

MAX_LEADER_EMAILS = 20


@dataclass(frozen=True, slots=True)
class OrganisationGoal:
    id: int
    title: str
    description: str = ""
    archived: bool = False  # no longer offered to new sessions; its history stays in the leaders' view


@dataclass(frozen=True, slots=True)
class Organisation:
    id: int
    name: str
    goals: tuple[OrganisationGoal, ...]  # in order, archived ones too
    sessions: int = 0
    people: int = 0
    leader_emails: tuple[str, ...] = ()  # who gets the leaders' weekly digest
    timezone: str = "UTC"  # where its days begin and end: when a check-in date has passed, when reminders are due

    @property
    def current_goals(self) -> tuple[OrganisationGoal, ...]:
        """The goals a new session of the organisation starts with."""
        return tuple(goal for goal in self.goals if not goal.archived)


@dataclass(frozen=True, slots=True)
class OrganisationDraft:
    """An organisation as the admin wrote it. ``goals`` is None when an edit leaves them as they were."""

    name: str
    goals: tuple[GoalDraft, ...] | None
    leader_emails: tuple[str, ...] | None = None  # None: as they were
    timezone: str | None = None  # None: as it was


def parse_organisation(payload: Any, existing: Organisation | None = None) -> OrganisationDraft:
    """A new organisation (``existing`` None) or an edit of one: its name and its current system goals. A goal
    left out of an edit is archived, not deleted, so the people who hold a goal under it are still followed up."""
    if not isinstance(payload, dict):
        raise DomainError("bad_request", "Send the organisation as a JSON object.")
    unknown = set(payload) - {"name", "system_goals", "leader_emails", "timezone"}
    if unknown:
        raise DomainError(
            "bad_request",
            "Unknown field {field}: send name, system_goals, leader_emails, timezone.",
            field=repr(sorted(unknown)[0]),
        )
    try:
        name = clean_text(payload.get("name", existing.name if existing else None), field="name", max_chars=200)
    except DomainError as error:
        raise error.recoded("bad_request") from None
    goals = None
    if "system_goals" in payload or existing is None:
        goals = parse_system_goals(payload.get("system_goals"), existing.goals if existing else ())
    emails = None
    if "leader_emails" in payload:
        raw = payload["leader_emails"]
        if not isinstance(raw, list) or len(raw) > MAX_LEADER_EMAILS:
            raise DomainError(
                "bad_email", "Send leader_emails as a list of at most {most} addresses.", most=MAX_LEADER_EMAILS
            )
        found = (email_address(item, field=N_("A leader's e-mail")) for item in raw)
        emails = tuple(dict.fromkeys(email for email in found if email))
    timezone = parse_timezone(payload["timezone"]) if "timezone" in payload else None
    return OrganisationDraft(name, goals, emails, timezone)


def parse_timezone(raw: object) -> str:
    """An IANA time zone name (``America/Chicago``), as the organisation's days are counted in it."""
    if isinstance(raw, str) and 0 < len(raw) <= 64 and raw in available_timezones():
        return raw
    raise DomainError("bad_timezone", "Give the time zone by its name, such as America/Chicago or Europe/Paris.")


def organisation_view(organisation: Organisation) -> dict[str, Any]:
    return {
        "id": organisation.id,
        "name": organisation.name,
        "sessions": organisation.sessions,
        "people": organisation.people,
        "system_goals": [_goal_view(goal) for goal in organisation.current_goals],
        "leader_emails": list(organisation.leader_emails),
        "timezone": organisation.timezone,
        "archived_goals": [_goal_view(goal) for goal in organisation.goals if goal.archived],
    }


def _goal_view(goal: OrganisationGoal) -> dict[str, Any]:
    return {"id": goal.id, "title": goal.title, "description": goal.description}


def session_goals(organisation: Organisation, own: Sequence[tuple[str, str]]) -> list[tuple[str, str, int | None]]:
    """A new session's system goals: the organisation's current ones, then any the session adds of its own, at most
    ``MAX_SYSTEM_GOALS`` in all (the message says how many of its own still fit)."""
    shared = [(goal.title, goal.description, goal.id) for goal in organisation.current_goals]
    titles = {goal.title.casefold() for goal in organisation.current_goals}
    goals = shared + [(title, description, None) for title, description in own if title.casefold() not in titles]
    if len(goals) > MAX_SYSTEM_GOALS:
        room = MAX_SYSTEM_GOALS - len(shared)
        raise DomainError(
            "bad_request",
            "A session has at most {most} system goals: {organisation} has {shared}, so add at most {room} of the "
            "session's own.",
            most=MAX_SYSTEM_GOALS,
            organisation=organisation.name,
            shared=len(shared),
            room=room,
        )
    return goals
