"""A coach's caseload: for each of their people, where their goal stands, how they are getting on, what they wait
for, and whether they went silent (past their check-in date with no check-in). Leaders read the same rows."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from protocols.coaching.requests import Request, request_view
from protocols.coaching.thread import Author, CurrentGoal, Message, MessageKind, SuggestionState, unanswered
from protocols.followup import earliest_first
from protocols.leaders import PersonRecord, ratings
from protocols.measure_progress import measure_row, person_chart
from protocols.plan import format_day

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
    return due is not None and date.fromisoformat(due.day) < today and not checked_in_since(person, due.set_at)


def trend(person: PersonRecord) -> tuple[list[float], str]:
    """The person's latest mean ratings (1 to 5), oldest first, and which way they go: up, down, steady or ""."""
    points = [round(level, 2) for _, level in ratings(person)][-TREND_POINTS:]
    if len(points) < 2:
        return points, ""
    change = points[-1] - points[0]
    return points, "up" if change > 0.25 else "down" if change < -0.25 else "steady"


def next_meeting(messages: Sequence[Message], requests: Sequence[Request], today: date) -> dict[str, str] | None:
    """The soonest meeting from today on: proposed on the thread (and not declined), or planned on a request."""
    meetings = [
        (str(m.proposal["day"]), str(m.proposal.get("place", "")))
        for m in messages
        if m.kind is MessageKind.MEETING and m.state is not SuggestionState.DECLINED
    ]
    meetings += [(r.meeting_day, r.meeting_place) for r in requests if r.meeting_day and r.is_open]
    coming = sorted(meeting for meeting in meetings if date.fromisoformat(meeting[0]) >= today)
    return {"day": coming[0][0], "on": format_day(coming[0][0]), "place": coming[0][1]} if coming else None


@dataclass(frozen=True, slots=True)
class PersonThread:
    """What the coaching loop holds of one person, beside their records."""

    messages: Sequence[Message] = ()  # oldest first
    requests: Sequence[Request] = ()
    goal: CurrentGoal | None = None
    evidence_files: int = 0  # how many evidence files they keep: their coach and leaders see the count, not the files


def caseload_row(
    person: PersonRecord,
    held: PersonThread,
    coach_id: int | None,
    coach_names: Mapping[int, str],
    today: date,
) -> dict[str, Any]:
    """One person in a coach's (or the leaders') list. Nothing private: records are read with the facilitator's
    rights and check-ins come without their private notes."""
    latest = max(person.check_ins, key=lambda c: c.created_at, default=None)
    points, direction = trend(person)
    due = check_in_due(person)
    current = person.current
    open_requests = [r for r in held.requests if r.is_open]
    return {
        "person_id": person.person_id,
        "name": person.name,
        "identifier": person.identifier,
        "coach_id": coach_id,
        "coach": coach_names.get(coach_id, "") if coach_id is not None else "",
        "system_goal": current.system_goal if current else "",
        "goal": held.goal.goal if held.goal else "",
        "agreed": bool(held.goal and held.goal.agreed),
        "latest_check_in": latest.day if latest else "",
        "latest_check_in_day": _iso(latest.created_at) if latest else "",
        "trend": points,
        "trend_direction": direction,
        "open_requests": [request_view(r, coach_names, today) for r in open_requests],
        "unanswered": unanswered(held.messages, Author.COACH),
        "next_meeting": next_meeting(held.messages, held.requests, today),
        "check_in_due": due.day if due else "",
        "silent": is_silent(person, today),
        "evidence_files": held.evidence_files,
        "measure": measure_row(person_chart(reversed(earliest_first(person.goals)), person.check_ins)),
    }


def _iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).date().isoformat()
