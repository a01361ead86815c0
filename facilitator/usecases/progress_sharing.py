"""What sharing progress does: the cards of an organisation's sharers (read with the facilitator's rights, check-ins
without their notes), a person's own choice with the wall they may see, the leaders' wall, opening a shared file,
and warm feedback shown in the person's thread."""

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from exports.measure_chart import measure_svg
from facilitator.store import Store
from facilitator.usecases.coaching import person_key
from protocols.coaching.thread import current_goal
from protocols.errors import DomainError
from protocols.evidence import EvidenceFile
from protocols.followup import earliest_first
from protocols.groups import Seating
from protocols.measure_progress import person_chart
from protocols.organisations import Organisation
from protocols.plan import format_day
from protocols.progress_sharing import Sharer, ShareWith, Viewer, card, may_see, wall
from protocols.session import Participant, Session

FileUrl = Callable[[EvidenceFile], str]


def organisation_of(store: Store, session: Session) -> Organisation:
    """The organisation whose people a session's participant may share with; ``no_organisation`` for none."""
    organisation = store.organisation(session.organisation_id) if session.organisation_id is not None else None
    if organisation is None:
        raise DomainError("no_organisation", "Sharing progress is part of an organisation's follow-up: none here.")
    return organisation


def own_key(participant: Participant) -> int:
    key = person_key(participant)
    if key is None:
        raise DomainError("unknown_person", "Only people kept across sessions can share their progress.")
    return key


def sharers(store: Store, organisation_id: int, audiences: Mapping[int, ShareWith]) -> list[Sharer]:
    """These people (``{person: audience}``) as their cards show them: goals read with the facilitator's rights (no
    private answer), check-ins without their notes (``Store.person_records``), the files they selected."""
    if not audiences:
        return []
    read = [key if key > 0 else _person_of(store, key) for key in audiences]
    people = [p for p in store.person_records(organisation_id, [r for r in read if r]) if p.person_id in audiences]
    versions = store.agreed_versions(organisation_id, [p.person_id for p in people])
    seatings: dict[int, Seating] = {}
    found = []
    for person in people:
        goal = current_goal(person.goals, versions.get(person.person_id, []), {})
        current = person.current
        selected = set(store.progress_files(person.person_id))
        found.append(
            Sharer(
                person_id=person.person_id,
                name=person.name,
                audience=audiences[person.person_id],
                goal=goal.goal if goal else "",
                system_goal=current.system_goal if current else "",
                chart=person_chart(list(reversed(earliest_first(person.goals))), person.check_ins),
                evidence=tuple(file for file in store.evidence_of(person.person_id) if file.id in selected),
                group=_table_of(store, current.session_id, current.participant_id, seatings)
                if current
                else frozenset(),
            )
        )
    return found


def _person_of(store: Store, key: int) -> int | None:
    """The people table's id to read someone linked only by an identifier they typed (``key`` minus their record)."""
    participant = store.participant_by_id(-key)
    return participant.person_id if participant else None


def _table_of(store: Store, session_id: int, participant_id: int, seatings: dict[int, Seating]) -> frozenset[int]:
    """The people seated with the person in the session where they wrote their goal."""
    if session_id not in seatings:
        seatings[session_id] = Seating(store.groups(session_id))
    mates = (store.participant_by_id(mate) for mate in seatings[session_id].mates(participant_id))
    return frozenset(key for mate in mates if mate is not None and (key := person_key(mate)) is not None)


def everyone_sharing(store: Store, organisation_id: int) -> list[Sharer]:
    return sharers(store, organisation_id, store.shares(organisation_id))


def shown_card(sharer: Sharer, file_url: FileUrl | None, place: str) -> dict[str, Any]:
    """A card with its chart drawn as the plan page draws one (inline SVG: presentation attributes and escaped
    text only), titled with the person's name; ``place`` keeps the SVG's ids apart on one page."""
    shown = card(sharer, file_url)
    shown["chart_svg"] = _chart_svg(sharer, place)
    return shown


def _chart_svg(sharer: Sharer, place: str) -> str:
    if sharer.chart is None:
        return ""
    return measure_svg(sharer.chart, id_prefix=f"progress-{place}", owner=sharer.name)


def person_progress(store: Store, participant: Participant, session: Session, token: str) -> dict[str, Any]:
    """The plan page's progress section: the person's choice, a preview of their card, their files to select, and
    the wall: colleagues sharing with the organisation, and with the person's group."""
    organisation, key = organisation_of(store, session), own_key(participant)
    everyone = {sharer.person_id: sharer for sharer in everyone_sharing(store, organisation.id)}
    audience = store.share_of(organisation.id, key)
    mine = everyone.get(key) or next(iter(sharers(store, organisation.id, {key: audience})), None)
    selected = set(store.progress_files(key))
    shown = wall(everyone.values(), Viewer.PERSON, key)

    def open_url(file: EvidenceFile) -> str:
        return f"/p/{token}/progress/evidence/{file.id}"

    return {
        "audience": audience.value,
        "own": shown_card(mine, lambda file: f"/p/{token}/evidence/{file.id}", "own") if mine else None,
        "files": [
            {"id": f.id, "kind": f.kind.value, "title": f.title, "selected": f.id in selected}
            for f in store.evidence_of(key)
        ],
        "has_group": bool(mine and mine.group),
        "organisation": [
            shown_card(s, open_url, f"o{n}") for n, s in enumerate(shown) if s.audience is ShareWith.ORGANISATION
        ],
        "group": [shown_card(s, open_url, f"g{n}") for n, s in enumerate(shown) if s.audience is ShareWith.GROUP],
    }


def own_file(store: Store, participant: Participant, evidence_id: int) -> EvidenceFile:
    file = store.evidence_file(evidence_id)
    if file is None or file.person_id != own_key(participant):
        raise DomainError("unknown_evidence", "There is no such evidence file open to you.")
    return file


def shared_file(
    store: Store, organisation_id: int, evidence_id: int, viewer: Viewer, person: int | None
) -> EvidenceFile:
    """A file on the wall, for a viewer its person shares with, while they share it: else ``unknown_evidence``."""
    file = store.evidence_file(evidence_id)
    audience = store.share_of(organisation_id, file.person_id) if file else ShareWith.NOBODY
    found = (
        sharers(store, organisation_id, {file.person_id: audience}) if file and audience is not ShareWith.NOBODY else []
    )
    sharer = found[0] if found else None
    if sharer is None or person == sharer.person_id or not may_see(sharer, viewer, person):
        raise DomainError("unknown_evidence", "There is no such evidence file open to you.")
    if evidence_id not in {f.id for f in sharer.evidence}:
        raise DomainError("unknown_evidence", "There is no such evidence file open to you.")
    return file  # type: ignore[return-value]


def leaders_wall(store: Store, organisation: Organisation) -> dict[str, Any]:
    """What leaders see: the cards of everyone sharing with the organisation (their files included: sharing with
    the organisation includes its leaders), and only how many share with their group alone."""
    everyone = everyone_sharing(store, organisation.id)
    shown = wall(everyone, Viewer.LEADERS)

    def open_url(file: EvidenceFile) -> str:
        return f"/api/follow-up/progress-wall/evidence/{file.id}"

    return {
        "organisation": [shown_card(s, open_url, f"l{n}") for n, s in enumerate(shown)],
        "sharing_with_group": sum(1 for s in everyone if s.audience is ShareWith.GROUP),
    }


def with_warm_feedback(store: Store, view: dict[str, Any] | None, organisation_id: int | None) -> dict[str, Any] | None:
    """The person's coaching view with the warm feedback colleagues sent them in progress rounds, each in their
    thread as a message from that colleague (by name), in time order."""
    if view is None or organisation_id is None:
        return view
    received = store.warm_feedback_for(organisation_id, view["person_id"])
    if not received:
        return view
    messages = [
        {
            "id": f"feedback-{item.id}",
            "author": "colleague",
            "by": item.sender_name,
            "kind": "warm_feedback",
            "body": item.body,
            "proposal": {},
            "check_in_id": None,
            "state": "",
            "reason": "",
            "on": format_day(datetime.fromtimestamp(item.created_at, UTC).date().isoformat()),
            "at": item.created_at,
        }
        for item in received
    ]
    return {**view, "thread": sorted([*view["thread"], *messages], key=lambda message: message["at"])}
