"""What a progress round does: start it from the people in the room who share with their organisation, move it,
end it, say what each screen shows of it, and keep the warm feedback a colleague's phone sends.

Each event reads what it needs once: a move reads the room and who shares once for the move and every screen; a
screen that (re)connects reads only its own picture (a phone: the featured card and its place, never the room)."""

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from exports.measure_chart import PROJECTOR_FONT_SIZE, SVG_FONT_SIZE
from facilitator.store import Store
from facilitator.usecases.coaching import person_key
from facilitator.usecases.progress_sharing import sharers, shown_card
from protocols.errors import DomainError
from protocols.language import Language
from protocols.progress_sharing import (
    ProgressRound,
    Sharer,
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


@dataclass(frozen=True, slots=True)
class Room:
    """What one event reads of a session: its participants, and who in its organisation shares with it now."""

    participants: tuple[Participant, ...]
    sharing: frozenset[int]

    @property
    def sharers(self) -> dict[int, str]:
        """The participants whose person shares with the organisation: ``{person: name}``."""
        found: dict[int, str] = {}
        for participant in self.participants:
            key = person_key(participant)
            if key is not None and key in self.sharing:
                found.setdefault(key, participant.name)
        return found


def read_room(store: Store, session: Session) -> Room:
    shares = store.shares(session.organisation_id) if session.organisation_id is not None else {}
    sharing = frozenset(person for person, audience in shares.items() if audience is ShareWith.ORGANISATION)
    return Room(tuple(store.participants(session.id)), sharing)


@dataclass(frozen=True, slots=True)
class Picture:
    """The round as every screen shows it: the place ("2 of 5") and the featured person, if they still share."""

    current: ProgressRound
    sharing: frozenset[int]  # of the round's people, who still share with the organisation
    featured: Sharer | None

    @property
    def common(self) -> dict[str, Any]:
        place, of = shown_place(self.current, self.sharing)
        return {"active": True, "round": self.current.id, "at": self.current.index, "place": place, "of": of,
                "withdrawn": self.featured is None}  # fmt: skip


def _picture(store: Store, session: Session, current: ProgressRound, sharing: Iterable[int] | None = None) -> Picture:
    """Read who of the round's people still share (unless the event read it already) and the featured card."""
    if sharing is None:
        organisation = session.organisation_id
        sharing = store.sharing_with_organisation(organisation, current.order) if organisation is not None else ()
    sharing = set(sharing)
    still = frozenset(person for person in current.order if person in sharing)
    featured = current.featured if current.featured in still else None
    if featured is None:
        return Picture(current, still, None)
    found = sharers(store, session.organisation_id or 0, {featured: ShareWith.ORGANISATION}, tables=False)
    return Picture(current, still, found[0] if found else None)


def start(store: Store, session: Session) -> tuple[ProgressRound, Room]:
    """A new round (or the one running, if the console asks twice), with the room it was read from."""
    room = read_room(store, session)
    running = store.progress_round(session.id)
    if running is not None:
        return running, room
    started = start_round(room.sharers, time.time(), has_organisation=session.organisation_id is not None)
    return store.start_progress_round(session.id, started), room


def step(store: Store, session: Session, seen: object, direction: int) -> tuple[ProgressRound | None, Room]:
    """Next (1) or previous (-1) from the place the console saw; the round ended after its last person (None). Of
    two moves at once (two workers, an end racing a next) only the first changes the round: ``stale_move``."""
    current = _running(store, session)
    room = read_room(store, session)
    moved = move(with_newcomers(current, room.sharers), seen, direction, room.sharing)
    if not store.move_progress_round(session.id, current, moved):
        _running(store, session)
        raise DomainError("stale_move", "The progress round has already moved on; nothing changed.")
    return moved, room


def end(store: Store, session: Session) -> None:
    if not store.end_progress_round(session.id):
        raise DomainError("no_progress_round", "No progress round is running in this session.")


def _running(store: Store, session: Session) -> ProgressRound:
    current = store.progress_round(session.id)
    if current is None:
        raise DomainError("no_progress_round", "No progress round is running in this session.")
    return current


def views(
    store: Store, session: Session, current: ProgressRound | None, lang: Language, room: Room | None = None
) -> RoundViews:
    """Every screen's picture of the round, for a broadcast: the featured card (built only from what a card may
    hold; its chart in the session's ``lang``, larger on the projector), the place, and, for the console, the names
    still sharing in turn. A featured person who withdrew shows no card. Reads the room once (or uses the event's
    ``room``)."""
    if current is None:
        return RoundViews(ENDED, ENDED, ENDED, ENDED, ())
    room = read_room(store, session) if room is None else room
    picture = _picture(store, session, current, room.sharing)
    common, shown = picture.common, _card(picture, lang, PROJECTOR_FONT_SIZE)
    phones = {**common, "featured": _brief(picture), "yours": False}
    featured = picture.featured.person_id if picture.featured else None
    mine = tuple(p.id for p in room.participants if featured is not None and person_key(p) == featured)
    console = _console(picture, room, lang)
    return RoundViews(console, {**common, "featured": shown}, phones, {**phones, "yours": True}, mine)


def console_view(store: Store, session: Session, current: ProgressRound | None, lang: Language) -> dict[str, Any]:
    """A console that (re)connects: the round with the names of the room's people in turn."""
    if current is None:
        return ENDED
    room = read_room(store, session)
    return _console(_picture(store, session, current, room.sharing), room, lang)


def projector_view(store: Store, session: Session, current: ProgressRound | None, lang: Language) -> dict[str, Any]:
    """A projector that (re)connects: the featured card and its place; nothing of the room is read."""
    if current is None:
        return ENDED
    picture = _picture(store, session, current)
    return {**picture.common, "featured": _card(picture, lang, PROJECTOR_FONT_SIZE)}


def phone_view(store: Store, session: Session, current: ProgressRound, participant: Participant) -> dict[str, Any]:
    """A phone that (re)connects: the featured card's brief, its place, and whether it is this person's own. Reads
    nothing of the room, so a room reconnecting at once costs each phone the same few reads."""
    picture = _picture(store, session, current)
    yours = picture.featured is not None and person_key(participant) == picture.featured.person_id
    return {**picture.common, "featured": _brief(picture), "yours": yours}


def _card(picture: Picture, lang: Language, font_size: float = SVG_FONT_SIZE) -> dict[str, Any] | None:
    return shown_card(picture.featured, None, "round", lang, font_size) if picture.featured else None


def _brief(picture: Picture) -> dict[str, Any] | None:
    """What a phone shows of the featured card: who, and their goal."""
    sharer = picture.featured
    return {"name": sharer.name, "goal": sharer.goal, "system_goal": sharer.system_goal} if sharer else None


def _console(picture: Picture, room: Room, lang: Language) -> dict[str, Any]:
    current, sharing, names = picture.current, picture.sharing, room.sharers
    return {
        **picture.common,
        "featured": _card(picture, lang),
        "people": [{"name": names.get(person, ""), "featured": n == current.index}
                   for n, person in enumerate(current.order) if person in sharing and person in names],
        "last": all(person not in sharing for person in current.order[current.index + 1 :]),
    }  # fmt: skip


def send_feedback(store: Store, session: Session, sender: Participant, payload: Any) -> int:
    """A colleague's warm feedback to the person featured at ``at``: kept once in that person's thread, with the
    sender's name. Returns its id."""
    round_id, at, feedback_id, body = parse_feedback(payload)
    current = store.progress_round(session.id)
    organisation = session.organisation_id
    sharing = store.sharing_with_organisation(organisation, current.order) if current and organisation else set()
    recipient = feedback_recipient(current, round_id, at, person_key(sender), sorted(sharing))
    saved, _ = store.add_warm_feedback(
        organisation or 0,
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
