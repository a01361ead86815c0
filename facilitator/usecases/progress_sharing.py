"""What sharing progress does: the cards of an organisation's sharers (read with the facilitator's rights, check-ins
without their notes), a person's own choice with the wall they may see, the leaders' wall, opening a shared file,
and warm feedback shown in the person's thread."""

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from exports.measure_chart import SVG_FONT_SIZE, measure_svg
from facilitator.store import Store
from facilitator.store.progress import WarmFeedback
from facilitator.usecases.coaching import person_key
from protocols.coaching.thread import current_goal
from protocols.errors import DomainError
from protocols.evidence import EvidenceFile
from protocols.followup import GoalRecord, earliest_first
from protocols.groups import Seating
from protocols.language import IN_ENGLISH, Language
from protocols.measure_progress import person_chart
from protocols.model import PlanField
from protocols.organisations import Organisation
from protocols.progress_sharing import CardViewer, Sharer, ShareWith, card, may_view_card, wall
from protocols.session import Participant, Session
from protocols.visibility import Tables

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


def sharers(
    store: Store, organisation_id: int, audiences: Mapping[int, ShareWith], *, tables: bool = True
) -> list[Sharer]:
    """These people (``{person: audience}``) as their cards show them: goals read with the facilitator's rights (no
    private answer), check-ins without their notes (``Store.person_records``), the files they selected and, unless
    ``tables`` is False (a round's card, for the organisation), who sat at their table. A few reads for them all,
    however many they are."""
    if not audiences:
        return []
    typed_only = {p.id: p.person_id for p in store.participants_by_ids([-key for key in audiences if key < 0])}
    read = [key if key > 0 else typed_only.get(-key) for key in audiences]
    people = [p for p in store.person_records(organisation_id, [r for r in read if r]) if p.person_id in audiences]
    versions = store.agreed_versions(organisation_id, [p.person_id for p in people])
    files = store.progress_evidence([p.person_id for p in people])
    groups = _goal_tables(store, [p.current for p in people if p.current]) if tables else {}
    found = []
    for person in people:
        goal = current_goal(person.goals, versions.get(person.person_id, []), {})
        current = person.current
        found.append(
            Sharer(
                person_id=person.person_id,
                name=person.name,
                audience=audiences[person.person_id],
                goal=goal.goal if goal else "",
                system_goal=current.system_goal if current else "",
                chart=person_chart(list(reversed(earliest_first(person.goals))), person.check_ins),
                evidence=tuple(files.get(person.person_id, ())),
                group=groups.get(current.participant_id, frozenset()) if current else frozenset(),
            )
        )
    return found


def _goal_tables(store: Store, goals: Sequence[GoalRecord]) -> dict[int, frozenset[int]]:
    """For each goal's participant, the people at the table where they wrote it: the one their goal answer records
    (``Tables``: moving them later changes nothing), else where they sit in that session. A few reads per session."""
    mates: dict[int, set[int]] = {}
    for session_id in {goal.session_id for goal in goals}:
        session = store.session_by_id(session_id)
        keys = [s.key for s in session.steps if s.step.plan_field is PlanField.GOAL] if session else []
        answers = store.answers_to_steps(session_id, keys) if keys else []
        seated = Tables(answers, Seating(store.groups(session_id)))
        written: dict[int, list[str]] = {}
        for answer in answers:
            written.setdefault(answer.participant_id, []).append(answer.step_id)
        for goal in (goal for goal in goals if goal.session_id == session_id):
            writer = goal.participant_id
            own = written.get(writer)
            step = max(own, key=keys.index) if own else (keys[-1] if keys else "")  # the goal's latest wording
            table = seated.reader_table(step, writer)
            mates[writer] = seated.readers_at(step, table) - {writer} if table is not None else set()
    people = store.participants_by_ids(sorted({mate for table in mates.values() for mate in table}))
    keys_of = {p.id: key for p in people if (key := person_key(p)) is not None}
    return {writer: frozenset(keys_of[m] for m in table if m in keys_of) for writer, table in mates.items()}


def everyone_sharing(store: Store, organisation_id: int) -> list[Sharer]:
    return sharers(store, organisation_id, store.shares(organisation_id))


def shown_card(
    sharer: Sharer,
    file_url: FileUrl | None,
    place: str,
    lang: Language = IN_ENGLISH,
    font_size: float = SVG_FONT_SIZE,
) -> dict[str, Any]:
    """A card with its chart drawn as the plan page draws one (inline SVG: presentation attributes and escaped
    text only), titled with the person's name, its words in the reader's ``lang``; ``place`` keeps the SVG's ids
    apart on one page."""
    shown = card(sharer, file_url)
    shown["chart_svg"] = (
        measure_svg(sharer.chart, f"progress-{place}", sharer.name, lang, font_size) if sharer.chart else ""
    )
    return shown


def person_progress(
    store: Store, participant: Participant, session: Session, token: str, lang: Language = IN_ENGLISH
) -> dict[str, Any]:
    """The plan page's progress section: the person's choice, a preview of their card, their files to select, and
    the wall: colleagues sharing with the organisation, and with the person's group; charts in ``lang``."""
    organisation, key = organisation_of(store, session), own_key(participant)
    everyone = {sharer.person_id: sharer for sharer in everyone_sharing(store, organisation.id)}
    audience = store.share_of(organisation.id, key)
    mine = everyone.get(key) or next(iter(sharers(store, organisation.id, {key: audience})), None)
    selected = set(store.progress_files(key))
    shown = wall(everyone.values(), CardViewer.PERSON, key)

    def open_url(file: EvidenceFile) -> str:
        return f"/p/{token}/progress/evidence/{file.id}"

    return {
        "audience": audience.value,
        "own": shown_card(mine, lambda file: f"/p/{token}/evidence/{file.id}", "own", lang) if mine else None,
        "files": [
            {"id": f.id, "kind": f.kind.value, "title": f.title, "selected": f.id in selected}
            for f in store.evidence_of(key)
        ],
        "has_group": bool(mine and mine.group),
        "organisation": [
            shown_card(s, open_url, f"o{n}", lang) for n, s in enumerate(shown) if s.audience is ShareWith.ORGANISATION
        ],
        "group": [shown_card(s, open_url, f"g{n}", lang) for n, s in enumerate(shown) if s.audience is ShareWith.GROUP],
    }


def own_file(store: Store, participant: Participant, evidence_id: int) -> EvidenceFile:
    file = store.evidence_file(evidence_id)
    if file is None or file.person_id != own_key(participant):
        raise DomainError("unknown_evidence", "There is no such evidence file open to you.")
    return file


def shared_file(
    store: Store, organisation_id: int, evidence_id: int, viewer: CardViewer, person: int | None
) -> EvidenceFile:
    """A file on the wall, for a viewer its person shares with, while they share it: else ``unknown_evidence``."""
    file = store.evidence_file(evidence_id)
    audience = store.share_of(organisation_id, file.person_id) if file else ShareWith.NOBODY
    found = (
        sharers(store, organisation_id, {file.person_id: audience}) if file and audience is not ShareWith.NOBODY else []
    )
    sharer = found[0] if found else None
    if sharer is None or person == sharer.person_id or not may_view_card(sharer, viewer, person):
        raise DomainError("unknown_evidence", "There is no such evidence file open to you.")
    if evidence_id not in {f.id for f in sharer.evidence}:
        raise DomainError("unknown_evidence", "There is no such evidence file open to you.")
    return file  # type: ignore[return-value]


def leaders_wall(store: Store, organisation: Organisation, lang: Language = IN_ENGLISH) -> dict[str, Any]:
    """What leaders see: the cards of everyone sharing with the organisation (their files included: sharing with
    the organisation includes its leaders), and only how many share with their group alone (whose tables leaders
    need not know)."""
    audiences = store.shares(organisation.id)
    organisation_wide = {
        person: audience for person, audience in audiences.items() if audience is ShareWith.ORGANISATION
    }
    shown = wall(sharers(store, organisation.id, organisation_wide, tables=False), CardViewer.LEADERS)

    def open_url(file: EvidenceFile) -> str:
        return f"/api/follow-up/progress-wall/evidence/{file.id}"

    return {
        "organisation": [shown_card(s, open_url, f"l{n}", lang) for n, s in enumerate(shown)],
        "sharing_with_group": len(audiences) - len(organisation_wide),
    }


def with_warm_feedback(
    store: Store, view: dict[str, Any] | None, organisation_id: int | None, lang: Language = IN_ENGLISH
) -> dict[str, Any] | None:
    """The person's coaching view with the warm feedback colleagues sent them in progress rounds, each in their
    thread as a message from that colleague (by name), in time order, dated in ``lang``."""
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
            "on": lang.day(datetime.fromtimestamp(item.created_at, UTC).date().isoformat()),
            "at": item.created_at,
        }
        for item in received
    ]
    return {**view, "thread": sorted([*view["thread"], *messages], key=lambda message: message["at"])}


def my_progress_data(store: Store, participant: Participant, session: Session) -> dict[str, Any]:
    """What my-data.json holds of the person's shared progress: their choice, the files they ticked for it, and the
    warm feedback they received and sent (everything forgetting them deletes)."""
    key = person_key(participant)
    organisation_id = session.organisation_id
    audience = store.share_of(organisation_id, key) if key is not None and organisation_id is not None else None
    files = store.progress_evidence([key]).get(key, []) if key is not None else []
    received, sent = store.warm_feedback_of(key, [member.id for member in store.forgotten_with(participant)])
    return {
        "shared_with": (audience or ShareWith.NOBODY).value,
        "files_shown_with_progress": [{"id": file.id, "title": file.title} for file in files],
        "warm_feedback_received": [{"from": got.sender_name, "body": got.body, "at": _when(got)} for got in received],
        "warm_feedback_sent": [{"body": item.body, "at": _when(item)} for item in sent],
    }


def _when(item: WarmFeedback) -> str:
    return datetime.fromtimestamp(item.created_at, UTC).isoformat(timespec="seconds")
