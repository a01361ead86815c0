"""Follow-up across an organisation's sessions: check-ins, what a recall step reads, plan pages' records, the
leaders' records and closed support requests, and forgetting a person."""

import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import fields, replace
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import Insert, bindparam, delete, insert, select, update

from facilitator.store.base import IN_SESSION, insert_for
from facilitator.store.follow_up_summaries import DELETE_SUMMARY, FollowUpSummaries
from facilitator.store.participants import (
    DELETE_PERSON,
    NEW_PERSON,
    PARTICIPANT_COLUMNS,
    PERSON,
    SET_PERSON,
    UPDATE_PERSON,
    as_participant,
)
from facilitator.store.schema import (
    answers,
    check_ins,
    closed_requests,
    group_members,
    participants,
    people,
    reminders,
    sessions,
)
from protocols.followup import (
    CheckIn,
    CheckInDraft,
    GoalRecord,
    OwnFollowUp,
    ProgressRow,
    Recall,
    goal_record,
    recall_for,
)
from protocols.leaders import PersonRecord
from protocols.session import Participant, Session
from protocols.visibility import Audience

PARTICIPANTS_BY_IDS = select(*PARTICIPANT_COLUMNS).where(
    participants.c.session_id == IN_SESSION, participants.c.id.in_(bindparam("ids", expanding=True))
)
# Every participant of some people, with what orders their sessions in time.
PARTICIPANTS_OF_PEOPLE = (
    select(
        *PARTICIPANT_COLUMNS,
        sessions.c.event_date,
        sessions.c.created_at,
        participants.c.joined_at,
    )
    .select_from(participants.join(sessions))
    .where(participants.c.person_id.in_(bindparam("people", expanding=True)))
)
PEOPLE_OF_ORGANISATION = select(people.c.id, people.c.identifier).where(
    people.c.organisation_id == bindparam("organisation")
)
SOME_PEOPLE_OF_ORGANISATION = PEOPLE_OF_ORGANISATION.where(people.c.id.in_(bindparam("people", expanding=True)))
ANSWERS_OF_PARTICIPANTS = select(
    answers.c.participant_id, answers.c.step_id, answers.c.value, answers.c.saved_at
).where(answers.c.participant_id.in_(bindparam("participants", expanding=True)))
CHECK_IN_COLUMNS = (
    check_ins.c.id,
    check_ins.c.person_id,
    check_ins.c.participant_id,
    check_ins.c.created_at,
    check_ins.c.progress,
    check_ins.c.evidence,
    check_ins.c.evidence_link,
    check_ins.c.obstacles,
    check_ins.c.support,
    check_ins.c.support_note,
    check_ins.c.private_note,
    check_ins.c.result,
)
NEW_CHECK_IN = insert(check_ins).returning(check_ins.c.id)
CHECK_INS_OF_PEOPLE = (
    select(*CHECK_IN_COLUMNS)
    .where(check_ins.c.person_id.in_(bindparam("people", expanding=True)))
    .order_by(check_ins.c.created_at.desc(), check_ins.c.id.desc())
)
DELETE_CHECK_INS_OF_PERSON = delete(check_ins).where(check_ins.c.person_id == bindparam("person"))
DELETE_CHECK_INS_FROM = delete(check_ins).where(check_ins.c.participant_id == bindparam("participant"))
DELETE_PARTICIPANT = [
    *(delete(table).where(table.c.participant_id == bindparam("participant")) for table in (answers, group_members)),
    delete(participants).where(participants.c.id == bindparam("participant")),
]
UNMAIL_PERSON = [  # a reminder waiting to be mailed stays in the app; no reminder keeps the address
    update(reminders)
    .where(
        reminders.c.recipient == "person",
        reminders.c.recipient_id == bindparam("person"),
        reminders.c.state.in_(["pending", "retry"]),
    )
    .values(state="app"),
    update(reminders)
    .where(reminders.c.recipient == "person", reminders.c.recipient_id == bindparam("person"))
    .values(address=""),
]
CLOSED_REQUESTS = select(closed_requests.c.request_key).where(
    closed_requests.c.organisation_id == bindparam("organisation")
)
HasPerson = TypeVar("HasPerson", Participant, CheckIn)


@cache
def _close_request(dialect: str) -> Insert:
    """Close a support request; closing it again changes nothing."""
    return insert_for(dialect)(closed_requests).on_conflict_do_nothing()


def _check_in(row: Sequence[Any]) -> CheckIn:
    """A check-in from a row of ``CHECK_IN_COLUMNS``."""
    (check_in_id, person_id, participant_id, created_at, progress, evidence, evidence_link, obstacles, support,
     support_note, private_note, result) = row  # fmt: skip
    return CheckIn(
        progress=tuple(ProgressRow(item["step"], item["level"]) for item in json.loads(progress)),
        evidence=evidence,
        evidence_link=evidence_link,
        obstacles=obstacles,
        support=tuple(json.loads(support)),
        support_note=support_note,
        private_note=private_note,
        result=result,
        id=check_in_id,
        person_id=person_id,
        participant_id=participant_id,
        created_at=created_at,
    )


def _by_person(items: Iterable[HasPerson]) -> dict[int | None, list[HasPerson]]:
    """Participant records or check-ins grouped by the person they belong to, each group in the order given."""
    grouped: dict[int | None, list[HasPerson]] = {}
    for item in items:
        grouped.setdefault(item.person_id, []).append(item)
    return grouped


class FollowUp(FollowUpSummaries):
    """What a person holds across an organisation's sessions, read for them, for a recall step or for leaders."""

    def _members(self, person_ids: Sequence[int]) -> list[tuple[Participant, tuple[str, float, float]]]:
        """Every participant of these people, each with when their session was: (day, created, joined)."""
        if not person_ids:
            return []
        members = []
        for *columns, event_date, created_at, joined_at in self._rows(
            PARTICIPANTS_OF_PEOPLE, {"people": list(person_ids)}
        ):
            day = event_date or time.strftime("%Y-%m-%d", time.gmtime(created_at))
            members.append((as_participant(columns), (day, created_at, joined_at)))
        return sorted(members, key=lambda member: member[1])

    def _answers_with_times(
        self, participant_ids: Sequence[int]
    ) -> dict[int, tuple[dict[str, object], dict[str, float]]]:
        found: dict[int, tuple[dict[str, object], dict[str, float]]] = {}
        if participant_ids:
            rows = self._rows(ANSWERS_OF_PARTICIPANTS, {"participants": list(participant_ids)})
            for participant_id, step_id, value, saved_at in rows:
                values, times = found.setdefault(participant_id, ({}, {}))
                values[step_id] = json.loads(value)
                times[step_id] = saved_at
        return found

    def _check_ins(self, person_ids: Sequence[int]) -> list[CheckIn]:
        """Newest first."""
        if not person_ids:
            return []
        return [_check_in(row) for row in self._rows(CHECK_INS_OF_PEOPLE, {"people": list(person_ids)})]

    def _goal_records(self, members: Sequence[Participant], reader: Audience) -> dict[int, GoalRecord]:
        """Each participant's goal record, read with ``reader``'s rights."""
        answers = self._answers_with_times([member.id for member in members])
        sessions: dict[int, Session | None] = {}
        records = {}
        for member in members:
            if member.session_id not in sessions:
                sessions[member.session_id] = self.session_by_id(member.session_id)
            session = sessions[member.session_id]
            if session is not None:
                values, times = answers.get(member.id, ({}, {}))
                records[member.id] = goal_record(session, member.id, values, times, reader=reader)
        return records

    def recalls(self, session: Session, participant_ids: Sequence[int]) -> dict[int, Recall]:
        """What each participant may be reminded of on a recall step, as ``recall_for`` decides from what this reads
        of the person each one is: their records in the organisation's sessions, the goals of those held before this
        one (read with the author's rights) and, for the people a participant here proved to be, their check-ins."""
        if session.organisation_id is None or not participant_ids:
            return {}
        found = self._rows(PARTICIPANTS_BY_IDS, {"session": session.id, "ids": list(participant_ids)})
        here = {p.id: p for p in map(as_participant, found) if p.person_id is not None}
        members = self._members(sorted({p.person_id for p in here.values() if p.person_id is not None}))
        now = next((when for member, when in members if member.session_id == session.id), ("", 0.0, 0.0))
        earlier = [m for m, when in members if m.session_id != session.id and when[:2] < now[:2]]
        goals = self._goal_records(earlier, Audience.AUTHOR)
        check_ins = self._check_ins(sorted({p.person_id for p in here.values() if p.person_verified}))  # type: ignore[misc]
        everyone, before, kept = _by_person(m for m, _ in members), _by_person(earlier), _by_person(check_ins)
        return {
            p.id: recall_for(
                p, everyone.get(p.person_id, []), before.get(p.person_id, []), goals, kept.get(p.person_id, [])
            )
            for p in here.values()
        }

    def own_follow_up(self, participant: Participant, reader: Audience = Audience.AUTHOR) -> OwnFollowUp:
        """What a plan page shows its holder across sessions: their goal in each session, newest first, and their
        check-ins, private notes included. A participant linked only by an identifier sees their own alone.

        Goals are read with ``reader``'s rights: the check-in link reads them as the facilitator would."""
        if participant.person_id is None:  # joined before people were kept: this session alone
            records = self._goal_records([participant], reader)
            return OwnFollowUp(tuple(records.values()), ())
        members = [m for m, _ in self._members([participant.person_id])]
        if participant.person_verified:
            own = [m for m in members if m.person_verified or m.id == participant.id]
        else:
            own = [m for m in members if m.id == participant.id]
        own_ids = {m.id for m in own}
        records = self._goal_records(own, reader)
        proven = participant.person_verified  # check-ins from a session since deleted stay the proven person's
        known = {m.id for m in members}
        check_ins = [
            c
            for c in self._check_ins([participant.person_id])
            if c.participant_id in own_ids or (proven and c.participant_id not in known)
        ]
        goals = tuple(records[m.id] for m in reversed(own) if m.id in records)
        ((_, _, identifier),) = self._rows(PERSON, {"person": participant.person_id})
        hidden = not participant.person_verified and len(members) > 1
        return OwnFollowUp(goals, tuple(check_ins), hidden=hidden, identifier=identifier or "")

    def save_check_in(self, participant: Participant, draft: CheckInDraft) -> CheckIn:
        """Keep a check-in, dated now, with the person the participant is."""
        person_id = participant.person_id if participant.person_id is not None else self._person_for(participant)
        now = time.time()
        row = {
            "person_id": person_id,
            "participant_id": participant.id,
            "created_at": now,
            "progress": json.dumps([{"step": r.step, "level": r.level} for r in draft.progress], ensure_ascii=False),
            "evidence": draft.evidence,
            "evidence_link": draft.evidence_link,
            "obstacles": draft.obstacles,
            "support": json.dumps(list(draft.support)),
            "support_note": draft.support_note,
            "private_note": draft.private_note,
            "result": draft.result,
        }
        with self._db.transaction() as db:
            (check_in_id,) = db.run(NEW_CHECK_IN, row).rows[0]
        drafted = {field.name: getattr(draft, field.name) for field in fields(draft)}  # shallow: rows stay rows
        return CheckIn(**drafted, id=check_in_id, person_id=person_id, participant_id=participant.id, created_at=now)

    def _person_for(self, participant: Participant) -> int:
        """A person for someone who joined before people were kept: theirs alone, in their session's organisation."""
        session = self.session_by_id(participant.session_id)
        organisation = session.organisation_id if session else None
        with self._db.transaction() as db:
            new = {"organisation_id": organisation, "identifier": None, "created_at": time.time()}
            person_id = db.run(NEW_PERSON, new).rows[0][0]
            db.run(SET_PERSON, {"participant": participant.id, "person_id": person_id, "person_verified": True})
        return person_id

    def forgotten_with(self, participant: Participant) -> list[Participant]:
        """The participant records forgetting ``participant`` removes: one per session of the person they prove to be,
        or their own alone for a participant linked only by an identifier."""
        if participant.person_id is None or not participant.person_verified:
            return [participant]
        members = [m for m, _ in self._members([participant.person_id])]
        return [m for m in members if m.person_verified or m.id == participant.id] or [participant]

    def forget_person(self, participant: Participant, gone: Sequence[Participant] | None = None) -> int:
        """Everything held about the person this participant proves to be, gone: every session's answers, seats and
        participant records (``gone``, as ``forgotten_with`` finds them), their check-ins and the person with their
        identifier. Someone else who only typed the same identifier keeps what is theirs, as a person of their own.
        A participant linked only by an identifier removes only what they hold themselves. Returns how many
        sessions' records went."""
        whole_person = participant.person_id is not None and participant.person_verified
        members = [m for m, _ in self._members([participant.person_id])] if whole_person else []
        gone_ids = [m.id for m in (self.forgotten_with(participant) if gone is None else gone)]
        with self._db.transaction() as db:
            if participant.person_id is not None:  # made again from what is left at the next read
                db.run(DELETE_SUMMARY, {"person": participant.person_id})
            for participant_id in gone_ids:
                db.run(DELETE_CHECK_INS_FROM, {"participant": participant_id})
                for statement in DELETE_PARTICIPANT:
                    db.run(statement, {"participant": participant_id})
            if whole_person:
                ((_, organisation_id, _),) = db.run(PERSON, {"person": participant.person_id}).rows
                for member in members:
                    if member.id not in gone_ids:  # a person of their own now, as if they had typed no identifier
                        new = {"organisation_id": organisation_id, "identifier": None, "created_at": time.time()}
                        person_id = db.run(NEW_PERSON, new).rows[0][0]
                        db.run(SET_PERSON, {"participant": member.id, "person_id": person_id, "person_verified": True})
                db.run(DELETE_CHECK_INS_OF_PERSON, {"person": participant.person_id})
                db.run(DELETE_PERSON, {"person": participant.person_id})
        if participant.person_id is not None:
            self._drop_known([participant.person_id])
        self._db.forget_deleted()
        return len(gone_ids)

    def person_records(self, organisation_id: int, person_ids: Sequence[int] | None = None) -> list[PersonRecord]:
        """Everyone who joined the organisation's sessions, as leaders may see them: goals read with the
        facilitator's rights (no private answer), check-ins without their private notes.

        Someone linked only by typing an identifier counts as a person of their own until their phone shows it
        holds the person's earlier plan: what they write is never put down to someone else.
        """
        if person_ids is None:
            identifiers = dict(self._rows(PEOPLE_OF_ORGANISATION, {"organisation": organisation_id}))
        else:  # these people alone (and those who only typed their identifier)
            wanted = {"organisation": organisation_id, "people": sorted(set(person_ids))}
            identifiers = dict(self._rows(SOME_PEOPLE_OF_ORGANISATION, wanted)) if person_ids else {}
        members = [m for m, _ in self._members(sorted(identifiers))]
        records = self._goal_records(members, Audience.FACILITATOR)
        check_ins: dict[int, list[CheckIn]] = {}
        for check_in in self._check_ins(sorted(identifiers)):
            check_ins.setdefault(check_in.person_id, []).append(replace(check_in, private_note=""))
        verified = {m.id for m in members if m.person_verified}
        joined: dict[int, list[Participant]] = {}
        unproven: dict[int | None, set[int]] = {}  # a person's records made by typing their identifier, unproven
        for member in members:
            joined.setdefault(member.person_id if member.id in verified else -member.id, []).append(member)  # type: ignore[arg-type]
            if member.id not in verified:
                unproven.setdefault(member.person_id, set()).add(member.id)
        by_participant: dict[int, list[CheckIn]] = {}  # read once, not once per person: a district has thousands
        for kept in check_ins.values():
            for check_in in kept:
                by_participant.setdefault(check_in.participant_id, []).append(check_in)
        people_records = []
        for key, sessions_joined in joined.items():
            own = check_ins.get(key, []) if key > 0 else []
            not_theirs = unproven.get(key, set())
            people_records.append(
                PersonRecord(
                    person_id=key,
                    name=sessions_joined[-1].name,
                    identifier=(identifiers.get(key) or "") if key > 0 else "",
                    goals=tuple(records[m.id] for m in sessions_joined if m.id in records),
                    check_ins=tuple(c for c in own if c.participant_id not in not_theirs)
                    + (tuple(by_participant.get(-key, ())) if key < 0 else ()),
                )
            )
        return people_records

    def latest_participant_of(self, person_id: int) -> Participant | None:
        """The participant record a person's follow-up link writes check-ins from: their latest session's (for
        someone linked only by an identifier, ``person_id`` is minus their participant's id)."""
        if person_id < 0:
            return self.participant_by_id(-person_id)
        members = [m for m, _ in self._members([person_id]) if m.person_verified]
        return members[-1] if members else None

    def remove_identifier(self, person_id: int) -> None:
        """The person withdrew their consent: their e-mail or staff id is deleted, from their reminders too; nothing is
        linked or mailed by it, not even a reminder waiting to be sent (it stays in the app)."""
        with self._db.transaction() as db:
            db.run(UPDATE_PERSON, {"person": person_id, "identifier": None})
            db.run(DELETE_SUMMARY, {"person": person_id})  # it held the identifier too
            for statement in UNMAIL_PERSON:
                db.run(statement, {"person": person_id})
        self._drop_known([person_id])

    def closed_requests(self, organisation_id: int) -> set[str]:
        return {key for (key,) in self._rows(CLOSED_REQUESTS, {"organisation": organisation_id})}

    def close_request(self, organisation_id: int, request_key: str) -> None:
        """A leader followed up a support request: it leaves the open list (a later request is a new one)."""
        row = {"organisation_id": organisation_id, "request_key": request_key, "closed_at": time.time()}
        with self._db.transaction() as db:
            db.run(_close_request(self._db.dialect), row)
