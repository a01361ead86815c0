"""Support requests with an owner and a state: open → acknowledged → meeting planned → closed, each step dated.

A request is made once from the statement that asked for it (a check-in, or a session's support step) and always
has an owner: the person's coach, or, for someone without one, the next coach of their system goal in turn, who
becomes their coach. Only with no coach at all does it rest with the leaders.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from protocols.answers import clean_text, parse_date
from protocols.coaching.coaches import AssignedHow, Assignment, Coach, next_in_turn
from protocols.errors import DomainError
from protocols.followup import support_label
from protocols.language import IN_ENGLISH, N_, Language
from protocols.leaders import SupportRequest

MAX_PLACE = 200
NO_LONGER_ASKED = "no longer asked for"


class RequestState(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    MEETING_PLANNED = "meeting_planned"
    CLOSED = "closed"


STATE_ORDER = tuple(RequestState)
STATE_LABELS = {  # English; translated where shown (``request_view``)
    RequestState.OPEN: N_("Open"),
    RequestState.ACKNOWLEDGED: N_("Acknowledged"),
    RequestState.MEETING_PLANNED: N_("Meeting planned"),
    RequestState.CLOSED: N_("Closed"),
}
# A move backwards, refused in one whole sentence per state (each language words it its own way).
_ONLY_FORWARD = {
    RequestState.OPEN: N_("The request is open; it can only move forward."),
    RequestState.ACKNOWLEDGED: N_("The request is acknowledged; it can only move forward."),
    RequestState.MEETING_PLANNED: N_("The request is meeting planned; it can only move forward."),
    RequestState.CLOSED: N_("The request is closed; it can only move forward."),
}


@dataclass(frozen=True, slots=True)
class Request:
    id: int
    person_id: int
    request_key: str
    support: str  # the option's id
    note: str
    asked_at: float
    source: str  # "Check-in" or the session's title
    coach_id: int | None  # None: with the leaders
    state: RequestState
    acknowledged_at: float | None = None
    meeting_day: str = ""
    meeting_place: str = ""
    meeting_planned_at: float | None = None
    closed_at: float | None = None
    closed_why: str = ""

    @property
    def is_open(self) -> bool:
        return self.state is not RequestState.CLOSED

    def age_days(self, today: date) -> int:
        return (today - datetime.fromtimestamp(self.asked_at, UTC).date()).days


@dataclass(frozen=True, slots=True)
class NewRequest:
    person_id: int
    request_key: str
    support: str
    note: str
    asked_at: float
    source: str
    coach_id: int | None
    state: RequestState = RequestState.OPEN


@dataclass(frozen=True, slots=True)
class RequestSync:
    """What the statements people made ask of the requests kept: requests to make, people to give a coach, and open
    requests a later statement no longer asks for."""

    new: tuple[NewRequest, ...] = ()
    assign: tuple[Assignment, ...] = ()
    no_longer_asked: tuple[int, ...] = ()  # request ids
    owners: tuple[tuple[int, int], ...] = ()  # (request id, coach id): kept requests whose owner is gone


def sync_requests(
    stated: Iterable[SupportRequest],
    kept: Sequence[Request],
    coaches: Sequence[Coach],
    assignments: Mapping[int, Assignment],
    closed_keys: Iterable[str],
    now: float,
) -> RequestSync:
    """Requests for what people's latest statements ask that are not kept yet, each with its owner, and the kept
    open (not yet acknowledged) requests of those people that their latest statement no longer asks for. Asking
    again for support whose request is still open is that request: it keeps its owner, state and age.
    ``closed_keys``: requests a leader closed when they were only a list (made closed, so they do not reopen)."""
    kept_keys = {request.request_key for request in kept}
    closed = set(closed_keys)
    last_auto = {a.coach_id: a.assigned_at for a in assignments.values() if a.how is AssignedHow.AUTO}
    owners = {person_id: a.coach_id for person_id, a in assignments.items()}
    new: list[NewRequest] = []
    given: list[Assignment] = []
    asked: dict[int, set[str]] = {}

    def owner(person_id: int, goal_id: int | None) -> int | None:
        if person_id not in owners:
            coach = next_in_turn(coaches, goal_id, last_auto)
            if coach is None:
                return None
            owners[person_id] = coach.id
            last_auto[coach.id] = now + len(given) * 1e-6  # keeps the turn order within one pass
            given.append(Assignment(person_id, coach.id, AssignedHow.AUTO, last_auto[coach.id]))
        return owners[person_id]

    goal_of: dict[int, int | None] = {}
    still_open: dict[tuple[int, str], list[str]] = {}
    for r in kept:
        if r.is_open:
            still_open.setdefault((r.person_id, r.support), []).append(r.request_key)
    for request in sorted(stated, key=lambda r: (r.asked_at, r.key)):
        asked.setdefault(request.person_id, set()).add(request.key)
        goal_of[request.person_id] = request.organisation_goal_id
        if request.key in kept_keys:
            continue
        carried = still_open.get((request.person_id, request.option))
        if carried:  # asked again while the first is still open: the same request, not a new one
            asked[request.person_id].update(carried)
            continue
        owner(request.person_id, request.organisation_goal_id)
        state = RequestState.CLOSED if request.key in closed else RequestState.OPEN
        new.append(
            NewRequest(
                request.person_id,
                request.key,
                request.option,
                request.note,
                request.asked_at,
                request.where,
                owners.get(request.person_id),
                state,
            )
        )
    stale = tuple(
        request.id
        for request in kept
        if request.state is RequestState.OPEN and request.request_key not in asked.get(request.person_id, set())
    )
    present = {coach.id for coach in coaches}
    reowned = []
    for request in kept:
        if request.is_open and request.id not in stale and request.coach_id not in present:
            coach_id = owner(request.person_id, goal_of.get(request.person_id))
            if coach_id is not None:
                reowned.append((request.id, coach_id))
    return RequestSync(tuple(new), tuple(given), stale, tuple(reowned))


def move_request(request: Request, payload: Any, now: float) -> dict[str, Any]:
    """The columns a coach's move of a request changes: forward only (open → acknowledged → meeting planned →
    closed; a step may be skipped), a planned meeting with its day and place. DomainError for any other move."""
    if not isinstance(payload, dict) or payload.get("state") not in {state.value for state in RequestState}:
        raise DomainError("bad_request", "Send the request's new state: acknowledged, meeting_planned or closed.")
    to = RequestState(payload["state"])
    if STATE_ORDER.index(to) <= STATE_ORDER.index(request.state):
        raise DomainError("bad_transition", _ONLY_FORWARD[request.state])
    changes: dict[str, Any] = {"state": to.value}
    if request.acknowledged_at is None:
        changes["acknowledged_at"] = now
    if to is RequestState.MEETING_PLANNED:
        changes["meeting_day"] = parse_date(payload.get("meeting_day"), field=N_("The meeting's day")).isoformat()
        changes["meeting_place"] = clean_text(
            payload.get("meeting_place", ""), field=N_("The meeting's place"), max_chars=MAX_PLACE, required=False
        )
        changes["meeting_planned_at"] = now
    if to is RequestState.CLOSED:
        changes["closed_at"] = now
    return changes


def request_view(
    request: Request, coach_names: Mapping[int, str], today: date, lang: Language = IN_ENGLISH
) -> dict[str, Any]:
    """A request as its person, their coach and leaders read it (labels in ``lang``): what, its owner, its state
    and the dates."""

    def day(moment: float | None) -> str:
        return datetime.fromtimestamp(moment, UTC).date().isoformat() if moment is not None else ""

    return {
        "id": request.id,
        "person_id": request.person_id,
        "support": support_label(request.support, lang),
        "note": request.note,
        "source": request.source,
        "asked_on": day(request.asked_at),
        "age_days": request.age_days(today),
        "owner": coach_names.get(request.coach_id, "") if request.coach_id is not None else "",
        "coach_id": request.coach_id,
        "state": request.state.value,
        "state_label": lang.gettext(STATE_LABELS[request.state]),
        "acknowledged_on": day(request.acknowledged_at),
        "meeting_day": request.meeting_day,
        "meeting_place": request.meeting_place,
        "closed_on": day(request.closed_at),
        "closed_why": request.closed_why,
    }
