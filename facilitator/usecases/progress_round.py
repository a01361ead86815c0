"""What a progress round does: start it from the people in the room who share with their organisation, move it,
end it, say what each screen shows of it, and keep the warm feedback a colleague's phone sends."""

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from facilitator.store import Store
from facilitator.usecases.coaching import person_key
from facilitator.usecases.progress_sharing import sharers, shown_card
from protocols.errors import DomainError
from protocols.progress_sharing import (
    ProgressRound,
    ShareWith,
    feedback_recipient,
    move,
    parse_feedback,
    shown_place,
    start_round,
    with_newcomers,
)
from protocols.session import Participant, Session

ENDED: dict[str, Any] = {"active": False}


@dataclass(frozen=True, slots=True)
class RoundViews:
    """What each screen is sent: the console, the projector, every phone, and the phones of the person featured
    (their own card: no feedback box)."""

    console: dict[str, Any]
    projector: dict[str, Any]
    phones: dict[str, Any]
    featured_phones: dict[str, Any]
    featured_participants: tuple[int, ...]


def _sharing(store: Store, session: Session) -> list[int]:
    """Everyone in the session's organisation who shares with the organisation now."""
    if session.organisation_id is None:
        return []
    shares = store.shares(session.organisation_id)
    return [person for person, audience in shares.items() if audience is ShareWith.ORGANISATION]


def in_room(store: Store, session: Session) -> dict[int, str]:
    """The participants of this session whose person shares with the organisation: ``{person: name}``."""
    sharing = set(_sharing(store, session))
    found: dict[int, str] = {}
    for participant in store.participants(session.id):
        key = person_key(participant)
        if key is not None and key in sharing:
            found.setdefault(key, participant.name)
    return found


def start(store: Store, session: Session) -> ProgressRound:
    """A new round (or the one running, if the console asks twice)."""
    running = store.progress_round(session.id)
    if running is not None:
        return running
    started = start_round(in_room(store, session), time.time(), has_organisation=session.organisation_id is not None)
    store.save_progress_round(session.id, started)
    return started


def step(store: Store, session: Session, seen: object, direction: int) -> ProgressRound | None:
    """Next (1) or previous (-1) from the place the console saw; the round ended after its last person (None)."""
    current = _running(store, session)
    grown = with_newcomers(current, in_room(store, session))
    moved = move(grown, seen, direction, _sharing(store, session))
    store.save_progress_round(session.id, moved)
    return moved


def end(store: Store, session: Session) -> None:
    _running(store, session)
    store.save_progress_round(session.id, None)


def _running(store: Store, session: Session) -> ProgressRound:
    current = store.progress_round(session.id)
    if current is None:
        raise DomainError("no_progress_round", "No progress round is running in this session.")
    return current


def views(store: Store, session: Session, current: ProgressRound | None) -> RoundViews:
    """Each screen's picture of the round: the featured card (built only from what a card may hold), the place
    ("2 of 5"), and, for the console, the names still sharing in turn. A featured person who withdrew shows no card."""
    if current is None:
        return RoundViews(ENDED, ENDED, ENDED, ENDED, ())
    sharing = _sharing(store, session)
    featured = current.featured if current.featured in sharing else None
    found = sharers(store, session.organisation_id or 0, {featured: ShareWith.ORGANISATION}) if featured else []
    shown = shown_card(found[0], None, "round") if found else None
    place, of = shown_place(current, sharing)
    common = {"active": True, "round": current.id, "at": current.index, "place": place, "of": of,
              "withdrawn": shown is None}  # fmt: skip
    names = in_room(store, session)
    console = {
        **common,
        "featured": shown,
        "people": [{"name": names.get(person, ""), "featured": n == current.index}
                   for n, person in enumerate(current.order) if person in sharing and person in names],
        "last": all(person not in sharing for person in current.order[current.index + 1 :]),
    }  # fmt: skip
    brief = {k: shown[k] for k in ("name", "goal", "system_goal")} if shown else None
    phones = {**common, "featured": brief, "yours": False}
    mine = tuple(p.id for p in store.participants(session.id) if featured is not None and person_key(p) == featured)
    return RoundViews(console, {**common, "featured": shown}, phones, {**phones, "yours": True}, mine)


def send_feedback(store: Store, session: Session, sender: Participant, payload: Any) -> int:
    """A colleague's warm feedback to the person featured at ``at``: kept once in that person's thread, with the
    sender's name. Returns its id."""
    round_id, at, feedback_id, body = parse_feedback(payload)
    current = store.progress_round(session.id)
    recipient = feedback_recipient(current, round_id, at, person_key(sender), _sharing(store, session))
    saved, _ = store.add_warm_feedback(
        session.organisation_id or 0,
        recipient,
        sender_person_id=person_key(sender),
        sender_participant_id=sender.id,
        sender_name=sender.name,
        session_id=session.id,
        feedback_id=feedback_id,
        body=body,
    )
    return saved


def rounds_of(store: Store, organisation_id: int) -> Sequence[int]:
    """The sessions of an organisation running a round: their screens change when someone's sharing does."""
    return store.running_rounds(organisation_id)
