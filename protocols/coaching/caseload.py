"""A coach's caseload: for each of their people, where their goal stands, how they are getting on, what they wait
for, and whether they went silent (past their check-in date with no check-in). Leaders read the same rows.

A row is built from the person's summary (``PersonSummary``): what their records come to, derived once, so that a
district's thousands of rows are not each rebuilt from every record on every read."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from protocols.coaching.requests import Request, request_view
from protocols.coaching.thread import (
    Author,
    CurrentGoal,
    GoalVersion,
    Message,
    MessageKind,
    SuggestionState,
    goal_from_versions,
    unanswered,
    written_versions,
)
from protocols.followup import earliest_first
from protocols.language import IN_ENGLISH, Language
from protocols.leaders import PersonRecord, SupportRequest, latest_support, ratings
from protocols.measure_progress import measure_row, person_chart

TREND_POINTS = 6  # the latest ratings a trend is drawn from


def local_day(moment: float, timezone: str) -> date:
    """The day ``moment`` falls on in ``timezone`` (an organisation's): a check-in date passes at its midnight."""
    return datetime.fromtimestamp(moment, ZoneInfo(timezone)).date()


@dataclass(frozen=True, slots=True)
class CheckInDue:
    day: str  # ISO YYYY-MM-DD
    set_at: float  # when the person chose it


def check_in_due(person: PersonRecord) -> CheckInDue | None:
    """The check-in date the person chose last (in any session), if any."""
    chosen = [(r.check_in_at or 0.0, r.check_in_day) for r in person.goals if r.check_in_day]
    if not chosen:
        return None
    set_at, day = max(chosen)
    return CheckInDue(day, set_at)


def checked_in_since(person: PersonRecord, moment: float) -> bool:
    return any(check_in.created_at >= moment for check_in in person.check_ins)


def is_silent(person: PersonRecord, today: date) -> bool:
    """Past their check-in date with no check-in since they chose it: the people follow-up worries about most."""
    due = check_in_due(person)
    return _past_due(due, due is not None and checked_in_since(person, due.set_at), today)


def _past_due(due: CheckInDue | None, checked_in: bool, today: date) -> bool:
    return due is not None and date.fromisoformat(due.day) < today and not checked_in


def trend(person: PersonRecord) -> tuple[list[float], str]:
    """The person's latest mean ratings (1 to 5), oldest first, and which way they go: up, down, steady or ""."""
    return _trend([level for _, level in ratings(person)])


def _trend(levels: Sequence[float]) -> tuple[list[float], str]:
    points = [round(level, 2) for level in levels][-TREND_POINTS:]
    if len(points) < 2:
        return points, ""
    change = points[-1] - points[0]
    return points, "up" if change > 0.25 else "down" if change < -0.25 else "steady"


def next_meeting(
    messages: Sequence[Message], requests: Sequence[Request], today: date, lang: Language
) -> dict[str, str] | None:
    """The soonest meeting from today on: proposed on the thread (and not declined), or planned on a request; its
    day written out in ``lang``."""
    if not messages and not requests:
        return None
    meetings = [
        (str(m.proposal["day"]), str(m.proposal.get("place", "")))
        for m in messages
        if m.kind is MessageKind.MEETING and m.state is not SuggestionState.DECLINED
    ]
    meetings += [(r.meeting_day, r.meeting_place) for r in requests if r.meeting_day and r.is_open]
    coming = sorted(meeting for meeting in meetings if date.fromisoformat(meeting[0]) >= today)
    return {"day": coming[0][0], "on": lang.day(coming[0][0]), "place": coming[0][1]} if coming else None


@dataclass(frozen=True, slots=True)
class PersonThread:
    """What the coaching loop holds of one person, beside their records."""

    messages: Sequence[Message] = ()  # oldest first
    requests: Sequence[Request] = ()
    goal: CurrentGoal | None = None
    evidence_files: int = 0  # how many evidence files they keep: their coach and leaders see the count, not the files


@dataclass(frozen=True, slots=True)
class PersonSummary:
    """What a caseload row and the leaders' view read of one person, derived from their records (``summarise``):
    nothing private, as those records hold nothing private. The store keeps it, made again when the records it was
    made from change; nothing in it depends on the day it is read."""

    person_id: int  # as ``PersonRecord.person_id``
    name: str
    identifier: str
    holds_goal: bool  # they have a current goal record (``PersonRecord.current``)
    system_goal: str  # its system goal's title, or ""
    organisation_goal_id: int | None  # the organisation's goal it stands for, if one of theirs
    written: tuple[GoalVersion, ...]  # each day's wording of their goal, oldest first (``written_versions``)
    support: tuple[SupportRequest, ...]  # what their latest statement asks for (``latest_support``)
    ratings: tuple[tuple[str, float], ...]  # (YYYY-MM, mean level) of each progress rating, oldest first
    obstacles: tuple[str, ...]  # what they wrote got in the way, in sessions and at check-ins
    checked_in: bool  # at least one check-in
    latest_check_in: str  # its day in English, or "" (rows write ``latest_check_in_day`` in their reader's language)
    latest_check_in_day: str  # ISO YYYY-MM-DD, or ""
    check_in_due: CheckInDue | None
    checked_in_since_due: bool  # a check-in since they chose that date
    measure: dict[str, Any] | None  # ``measure_row`` of their current measure
    trend: tuple[tuple[float, ...], str] = field(init=False, compare=False)  # ``trend`` of their ratings
    thread: PersonThread = field(init=False, compare=False)  # theirs while the coaching loop holds nothing else

    def __post_init__(self) -> None:
        # Made once per summary, not on every read: most people have no thread, request, agreed version or file.
        points, direction = _trend([level for _, level in self.ratings])
        object.__setattr__(self, "trend", (tuple(points), direction))
        object.__setattr__(self, "thread", PersonThread(goal=goal_from_versions(self.written, (), {})))


def summarise(person: PersonRecord) -> PersonSummary:
    """The person's summary, from their records as leaders may see them."""
    latest = max(person.check_ins, key=lambda c: c.created_at, default=None)
    due = check_in_due(person)
    current = person.current
    texts = [line for record in person.goals for line in record.obstacles]
    texts += [check_in.obstacles for check_in in person.check_ins if check_in.obstacles]
    return PersonSummary(
        person_id=person.person_id,
        name=person.name,
        identifier=person.identifier,
        holds_goal=current is not None,
        system_goal=current.system_goal if current else "",
        organisation_goal_id=current.organisation_goal_id if current else None,
        written=written_versions(person.goals),
        support=tuple(latest_support(person)),
        ratings=tuple((_iso(when)[:7], level) for when, level in ratings(person)),
        obstacles=tuple(texts),
        checked_in=bool(person.check_ins),
        latest_check_in=IN_ENGLISH.day(latest.on) if latest else "",
        latest_check_in_day=_iso(latest.created_at) if latest else "",
        check_in_due=due,
        checked_in_since_due=due is not None and checked_in_since(person, due.set_at),
        measure=measure_row(person_chart(reversed(earliest_first(person.goals)), person.check_ins)),
    )


def caseload_row(
    person: PersonRecord,
    held: PersonThread,
    coach_id: int | None,
    coach_names: Mapping[int, str],
    today: date,
    lang: Language = IN_ENGLISH,
) -> dict[str, Any]:
    """One person in a coach's (or the leaders') list, from their records, its words and days in ``lang``."""
    return summary_row(summarise(person), held, coach_id, coach_names, today, lang=lang)


def summary_row(
    summary: PersonSummary,
    held: PersonThread,
    coach_id: int | None,
    coach_names: Mapping[int, str],
    today: date,
    *,
    lang: Language,
) -> dict[str, Any]:
    """One person in a coach's (or the leaders') list, its words and days in ``lang``. Nothing private: records
    are read with the facilitator's rights and check-ins come without their private notes."""
    points, direction = summary.trend
    due = summary.check_in_due
    return {
        "person_id": summary.person_id,
        "name": summary.name,
        "identifier": summary.identifier,
        "coach_id": coach_id,
        "coach": coach_names.get(coach_id, "") if coach_id is not None else "",
        "system_goal": summary.system_goal,
        "goal": held.goal.goal if held.goal else "",
        "agreed": bool(held.goal and held.goal.agreed),
        "latest_check_in": lang.day(summary.latest_check_in_day) if summary.latest_check_in_day else "",
        "latest_check_in_day": summary.latest_check_in_day,
        "trend": list(points),
        "trend_direction": direction,
        "open_requests": [request_view(r, coach_names, today, lang) for r in held.requests if r.is_open],
        "unanswered": unanswered(held.messages, Author.COACH),
        "next_meeting": next_meeting(held.messages, held.requests, today, lang),
        "check_in_due": due.day if due else "",
        "silent": _past_due(due, summary.checked_in_since_due, today),
        "evidence_files": held.evidence_files,
        "measure": summary.measure,
    }


def _iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).date().isoformat()
