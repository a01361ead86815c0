"""The leaders' view of an organisation's follow-up: per system goal, who holds a goal, who checked in, progress
month by month, common obstacles and the open support requests. Built from goal records read with the
facilitator's rights, with every check-in's private note dropped before anything is counted."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from protocols.followup import CheckIn, GoalRecord, earliest_first, progress_label, support_label
from protocols.language import IN_ENGLISH, N_, Language
from protocols.phrases import Phrase

CHECK_IN = N_("Check-in")  # where a request was asked, beside the sessions' titles


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One person as leaders may see them: goal records read with the facilitator's rights, check-ins without
    their private notes (the leaders' view, ``coaching.organisation_view``, never reads ``private_note``)."""

    person_id: int
    name: str
    identifier: str  # the e-mail or staff id they gave with consent, or ""
    goals: tuple[GoalRecord, ...]  # one per session they joined, any order
    check_ins: tuple[CheckIn, ...]

    @property
    def current(self) -> GoalRecord | None:
        """The newest goal they hold: from the latest session in which they wrote or revisited one."""
        with_goal = [record for record in earliest_first(self.goals) if record.goal or record.organisation_goal_id]
        return with_goal[-1] if with_goal else None


@dataclass(frozen=True, slots=True)
class SupportRequest:
    """A support need a person stated last (at a check-in or in a session), open until a leader closes it."""

    key: str  # stable: which person, which statement, which option
    person_id: int
    name: str
    identifier: str
    system_goal: str
    goal: str
    support: str  # the option's label
    note: str
    asked_on: str  # ISO YYYY-MM-DD
    where: str  # "Check-in" or the session's title
    option: str = ""  # the option's id
    asked_at: float = 0.0
    organisation_goal_id: int | None = None  # the system goal of the person's goal, if one of the organisation's


@dataclass(frozen=True, slots=True)
class ProgressMonth:
    month: str  # YYYY-MM
    people: int  # who rated their progress that month (at a check-in or a revisit step)
    mean_level: float  # their mean level, on the 1 to 5 scale


@dataclass(frozen=True, slots=True)
class GoalFollowUp:
    """One system goal's follow-up: who holds a goal under it, how their progress moves, what gets in the way."""

    title: str
    description: str
    organisation_goal_id: int | None  # None: the goals a session added of its own
    people: int
    checked_in: int  # of them, how many recorded at least one check-in
    progress: tuple[ProgressMonth, ...]  # oldest month first
    latest_levels: tuple[tuple[int, int], ...]  # (level, people) by each person's latest rating
    obstacles: tuple[Phrase, ...]
    requests: tuple[SupportRequest, ...]


@dataclass(frozen=True, slots=True)
class LeadersView:
    organisation: str
    people: int
    goals: tuple[GoalFollowUp, ...]
    without_goal: int  # people who joined but hold no goal yet
    requests_without_goal: tuple[SupportRequest, ...] = ()  # support asked for by people with no goal yet

    @property
    def requests(self) -> tuple[SupportRequest, ...]:
        """Every open request: under each goal, then those of people with no goal yet."""
        return tuple(request for goal in self.goals for request in goal.requests) + self.requests_without_goal


def _day_of(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).date().isoformat()


def latest_support(person: PersonRecord) -> list[SupportRequest]:
    """The requests in the person's latest statement of support needs: a check-in or a session's support step."""
    statements: list[tuple[float, str, tuple[str, ...], str, str]] = []  # (when, where, option ids, note, key part)
    for record in person.goals:
        if record.supports_at is not None:
            statements.append((record.supports_at, record.session_title, record.supports, "", f"s{record.session_id}"))
    for check_in in person.check_ins:
        statements.append((check_in.created_at, CHECK_IN, check_in.support, check_in.support_note, f"c{check_in.id}"))
    if not statements:
        return []
    when, where, options, note, part = max(statements, key=lambda statement: statement[0])
    current = person.current
    return [
        SupportRequest(
            key=f"{person.person_id}-{part}-{option}",
            person_id=person.person_id,
            name=person.name,
            identifier=person.identifier,
            system_goal=current.system_goal if current else "",
            goal=current.goal if current else "",
            support=support_label(option, IN_ENGLISH),  # kept with the summary; each view says it again
            note=note,
            asked_on=_day_of(when),
            where=where,
            option=option,
            asked_at=when,
            organisation_goal_id=current.organisation_goal_id if current else None,
        )
        for option in options
    ]


def ratings(person: PersonRecord) -> list[tuple[float, float]]:
    """(when, mean level) of every progress rating the person gave, at check-ins and on revisit steps."""
    ratings = [(c.created_at, c.mean_level) for c in person.check_ins if c.mean_level is not None]
    for record in person.goals:
        if record.progress and record.progress_at is not None:
            ratings.append((record.progress_at, sum(row.level for row in record.progress) / len(record.progress)))
    return sorted(ratings)  # type: ignore[arg-type]


def request_view(request: SupportRequest, lang: Language) -> dict[str, Any]:
    """A request as leaders read it: its support and where it was asked in ``lang``."""
    return {
        "key": request.key,
        "name": request.name,
        "identifier": request.identifier,
        "system_goal": request.system_goal,
        "goal": request.goal,
        "support": support_label(request.option, lang) if request.option else request.support,
        "note": request.note,
        "asked_on": request.asked_on,
        "where": lang.gettext(CHECK_IN) if request.where == CHECK_IN else request.where,
    }


def leaders_view_json(view: LeadersView, lang: Language = IN_ENGLISH) -> dict[str, Any]:
    """The leaders' view as the API sends it: counts, progress, phrases and requests, its words in ``lang``; nothing
    private."""
    return {
        "organisation": view.organisation,
        "people": view.people,
        "without_goal": view.without_goal,
        "open_requests": len(view.requests),
        "requests_without_goal": [request_view(request, lang) for request in view.requests_without_goal],
        "system_goals": [
            {
                "id": goal.organisation_goal_id,
                "title": goal.title,
                "description": goal.description,
                "people": goal.people,
                "checked_in": goal.checked_in,
                "progress": [
                    {"month": month.month, "people": month.people, "mean_level": month.mean_level}
                    for month in goal.progress
                ],
                "latest_levels": [
                    {"level": level, "label": progress_label(level, lang), "people": people}
                    for level, people in goal.latest_levels
                ],
                "obstacles": [{"text": phrase.text, "people": phrase.people} for phrase in goal.obstacles],
                "requests": [request_view(request, lang) for request in goal.requests],
            }
            for goal in view.goals
        ],
    }
