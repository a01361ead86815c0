"""Sharing one's progress, by choice: with nobody (the default), one's group or one's organisation; what a shared
card holds (built from fields that may be shared, never a private answer or a check-in's note), who may see whose
card, and the progress round: the order a session's sharers are featured in, and its moves."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from protocols.answers import clean_text
from protocols.errors import DomainError
from protocols.evidence import EvidenceFile
from protocols.language import N_
from protocols.measure_progress import MeasureChart, measure_row

MAX_FEEDBACK = 1000
MAX_FEEDBACK_ID = 64


class ShareWith(StrEnum):
    """Who sees a person's progress. The organisation includes its leaders and everyone in its sessions."""

    NOBODY = "nobody"
    GROUP = "group"  # the colleagues at their table in the session where they wrote their goal
    ORGANISATION = "organisation"


class CardViewer(StrEnum):
    """Who looks at a shared progress card (not an answer's reader: that is protocols/visibility.Audience)."""

    PERSON = "person"  # a colleague, on their plan page
    LEADERS = "leaders"  # the leaders' view, opened with the organisation key
    ROOM = "room"  # a progress round: the projector and every phone in a session


def parse_share(payload: object) -> ShareWith:
    """``{"audience": "nobody"|"group"|"organisation"}``: the person's choice."""
    raw = payload.get("audience") if isinstance(payload, dict) else None
    if raw not in {choice.value for choice in ShareWith}:
        raise DomainError("bad_audience", "Share your progress with one of: nobody, group, organisation.")
    return ShareWith(raw)


def parse_selected(payload: object) -> bool:
    """``{"selected": true|false}``: whether an evidence file is shown with the person's shared progress."""
    selected = payload.get("selected") if isinstance(payload, dict) else None
    if not isinstance(selected, bool):
        raise DomainError("bad_value", 'Send {"selected": true} or {"selected": false}.')
    return selected


@dataclass(frozen=True, slots=True)
class Sharer:
    """A person and what their card may show: nothing else of theirs is in here."""

    person_id: int  # as the coaching loop knows them (PersonRecord.person_id)
    name: str
    audience: ShareWith
    goal: str  # its current wording: agreed with their coach, else the latest they wrote
    system_goal: str
    chart: MeasureChart | None
    evidence: tuple[EvidenceFile, ...] = ()  # the files they selected for their progress
    group: frozenset[int] = frozenset()  # the people at their table where they wrote the goal

    @property
    def shares(self) -> bool:
        return self.audience is not ShareWith.NOBODY


def may_view_card(sharer: Sharer, viewer: CardViewer, viewer_person: int | None = None) -> bool:
    """Whether ``viewer`` (a colleague ``viewer_person`` on their plan page, the leaders, or a room in a progress
    round) may see ``sharer``'s card: the one place that decides it. A person's choice decides, not an answer's
    visibility (protocols/visibility.py). A person always sees their own, as a preview of what others see."""
    if viewer is CardViewer.PERSON and viewer_person == sharer.person_id:
        return True
    if sharer.audience is ShareWith.ORGANISATION:
        return True
    return sharer.audience is ShareWith.GROUP and viewer is CardViewer.PERSON and viewer_person in sharer.group


def card(sharer: Sharer, file_url: Callable[[EvidenceFile], str] | None = None) -> dict[str, Any]:
    """What a shared card shows: the name, the goal and system goal, the measure's values (baseline, results,
    target: numbers and dates, no check-in text) and, where ``file_url`` says how a viewer opens one, the files
    the person selected. Leaders and the room get the same fields; the files need a viewer the person shared with."""
    chart = sharer.chart
    return {
        "name": sharer.name,
        "audience": sharer.audience.value,
        "goal": sharer.goal,
        "system_goal": sharer.system_goal,
        "measure": measure_row(chart),
        "chart_words": chart.in_words() if chart else [],
        "evidence": [
            {"id": file.id, "kind": file.kind.value, "title": file.title, "url": file_url(file)}
            for file in sharer.evidence
        ]
        if file_url is not None
        else [],
        "evidence_count": len(sharer.evidence),
    }


def wall(sharers: Iterable[Sharer], viewer: CardViewer, viewer_person: int | None = None) -> list[Sharer]:
    """The cards ``viewer`` may see, leaving out the viewer's own, by name."""
    shown = [
        s for s in sharers if s.person_id != viewer_person and s.shares and may_view_card(s, viewer, viewer_person)
    ]
    return sorted(shown, key=lambda sharer: (sharer.name.casefold(), sharer.person_id))


# The progress round: one card at a time on the projector, in a later session of the same organisation.


@dataclass(frozen=True, slots=True)
class ProgressRound:
    """A round's order (people, as the coaching loop knows them, by name when it started; later sharers join the
    end) and the place of the person featured now."""

    order: tuple[int, ...]
    index: int
    started_at: float

    @property
    def featured(self) -> int:
        return self.order[self.index]

    @property
    def id(self) -> str:
        """What names this round on phones: feedback written during one round never reaches another's card."""
        return f"{self.started_at:.6f}"


def round_order(in_room: Mapping[int, str]) -> tuple[int, ...]:
    """The people in the room who share with their organisation (``{person: name}``), by name."""
    return tuple(sorted(in_room, key=lambda person: (in_room[person].casefold(), person)))


def start_round(in_room: Mapping[int, str], now: float, *, has_organisation: bool) -> ProgressRound:
    """A round from the first sharer. Refused in a session of no organisation (``no_organisation``) and where
    nobody in the room shares with the organisation (``nobody_shares``)."""
    if not has_organisation:
        raise DomainError("no_organisation", "A progress round needs a session of an organisation: this one has none.")
    order = round_order(in_room)
    if not order:
        raise DomainError(
            "nobody_shares",
            "Nobody in the room shares their progress with the organisation yet; each person chooses on their plan "
            "page.",
        )
    return ProgressRound(order, 0, now)


def with_newcomers(current: ProgressRound, in_room: Mapping[int, str]) -> ProgressRound:
    """The round with people who began sharing (or came in) since it started, at its end."""
    added = tuple(person for person in round_order(in_room) if person not in current.order)
    return replace(current, order=current.order + added) if added else current


def move(current: ProgressRound, seen: object, step: int, sharing: Iterable[int]) -> ProgressRound | None:
    """The round after a move from the place the console saw (``seen``): to the next (``step`` 1) or previous (-1)
    person still sharing, skipping whoever withdrew. Next after the last ends the round (None); previous before the
    first stays. A move from a place the round has left is ``stale_move``: a double click moves once."""
    if isinstance(seen, bool) or not isinstance(seen, int):
        raise DomainError("bad_request", "'from' must be the place in the round the console shows.")
    if seen != current.index:
        raise DomainError("stale_move", "The progress round has already moved on; nothing changed.")
    still = set(sharing)
    place = current.index + step
    while 0 <= place < len(current.order) and current.order[place] not in still:
        place += step
    if place >= len(current.order):
        return None
    return replace(current, index=place) if place >= 0 else current


def shown_place(current: ProgressRound, sharing: Iterable[int]) -> tuple[int, int]:
    """(n, of): the featured person's place among the round's people who still share, for "2 of 5"."""
    still = set(sharing)
    kept = [person for person in current.order if person in still]
    before = sum(1 for person in current.order[: current.index] if person in still)
    return before + 1, max(len(kept), 1)


def parse_feedback(payload: Any) -> tuple[str, int, str, str]:
    """``{"round": <the round's id>, "at": <the featured card's place in it>, "feedback_id": <the phone's own id>,
    "body": "..."}``: warm feedback to the person featured at ``at`` in that round. The phone's id makes a resend
    after a lost ack land once."""
    if not isinstance(payload, dict):
        raise DomainError("bad_request", "Send the feedback as a JSON object with round, at, feedback_id and body.")
    round_id, at, feedback_id = payload.get("round"), payload.get("at"), payload.get("feedback_id")
    if not isinstance(round_id, str) or not 1 <= len(round_id) <= MAX_FEEDBACK_ID:
        raise DomainError("bad_request", "'round' must be the round's id, as progress_round gives it.")
    if isinstance(at, bool) or not isinstance(at, int) or at < 0:
        raise DomainError("bad_request", "'at' must be the featured card's place in the round.")
    if (
        not isinstance(feedback_id, str)
        or not 1 <= len(feedback_id) <= MAX_FEEDBACK_ID
        or not feedback_id.isprintable()
    ):
        raise DomainError("bad_request", "'feedback_id' must be 1 to 64 printable characters.")
    body = clean_text(payload.get("body"), field=N_("Your feedback"), max_chars=MAX_FEEDBACK)
    return round_id, at, feedback_id, body


def feedback_recipient(
    current: ProgressRound | None, round_id: str, at: int, sender: int | None, sharing: Sequence[int]
) -> int:
    """Who warm feedback sent to the card at ``at`` of round ``round_id`` reaches: refused when that round is not
    running (``no_progress_round``: it ended, perhaps another began), to oneself (``own_progress``), or to someone
    who no longer shares with the organisation (``not_shared``)."""
    if current is None or current.id != round_id or at >= len(current.order):
        raise DomainError("no_progress_round", "The progress round this was written in has ended; it was not sent.")
    person = current.order[at]
    if sender is not None and person == sender:
        raise DomainError("own_progress", "This is your own progress: warm feedback is for your colleagues.")
    if person not in set(sharing):
        raise DomainError("not_shared", "This colleague no longer shares their progress; your feedback was not sent.")
    return person
