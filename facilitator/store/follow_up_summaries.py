"""People's summaries for the leaders' view and caseloads (``PersonSummary``), kept per person: read for a whole
organisation at once, each made again from the person's records when the rows it was made from changed, and
forgotten with the person.

Whether a summary is current is found by aggregating in the database, not by reading the records: one row per
person counting their participant records (how many, which, verified, when joined), those records' answers (how
many, and when saved) and their check-ins (how many, which), and a digest of each of the organisation's sessions'
title, day, agenda and system goals. A write anywhere (an answer, a check-in, a join, a session edited, a deletion)
changes what that read finds for the people it touches, so no write path has to remember the summaries; deletions
also remove them at once, so nothing of a forgotten person waits for the next read.
"""

import hashlib
import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Insert, bindparam, case, delete, func, select
from sqlalchemy.exc import IntegrityError

from facilitator.store.base import StoreBase, insert_for
from facilitator.store.database import Link
from facilitator.store.follow_up_codec import summary_json, summary_of
from facilitator.store.schema import (
    answers,
    check_ins,
    follow_up_summaries,
    participants,
    people,
    sessions,
    system_goals,
)
from protocols.coaching.caseload import PersonSummary, summarise
from protocols.leaders import PersonRecord

ORGANISATION = bindparam("organisation")
THESE = bindparam("people", expanding=True)
OF_ORGANISATION = people.c.organisation_id == ORGANISATION
OF_THESE = people.c.id.in_(THESE)
MEMBER_OF_PERSON = participants.join(people, participants.c.person_id == people.c.id)


def _members(where: Any) -> Any:
    """Each participant record of the people, with its answers counted: an answer saved or deleted changes the
    count, and an edit is saved now, so it changes the latest time (sums of times are left out: how a database adds
    floating-point numbers depends on the order it reads them in)."""
    return (
        select(
            participants.c.person_id,
            participants.c.id,
            participants.c.session_id,
            participants.c.joined_at,
            case((participants.c.person_verified, 1), else_=0).label("verified"),
            func.count(answers.c.participant_id).label("answers"),
            func.max(answers.c.saved_at).label("last_saved"),
        )
        .select_from(MEMBER_OF_PERSON.outerjoin(answers, answers.c.participant_id == participants.c.id))
        .where(where)
        .group_by(participants.c.id)
    )


def _counted(where: Any) -> Any:
    """One row per person: their identifier, their participant records and answers counted, their check-ins
    counted. Participant ids are never shared, so a record gone, added or moved to another person changes these."""
    member = _members(where).subquery()
    members = (
        select(
            member.c.person_id,
            func.count().label("records"),
            func.sum(member.c.id).label("ids"),
            func.sum(member.c.verified).label("verified"),
            func.sum(member.c.answers).label("answers"),
            func.max(member.c.last_saved).label("last_saved"),
        )
        .group_by(member.c.person_id)
        .subquery()
    )
    checked = (
        select(
            check_ins.c.person_id,
            func.count().label("check_ins"),
            func.sum(check_ins.c.id).label("ids"),
            func.max(check_ins.c.id).label("last"),
        )
        .select_from(check_ins.join(people, check_ins.c.person_id == people.c.id))
        .where(where)
        .group_by(check_ins.c.person_id)
        .subquery()
    )
    return (
        select(people.c.id, people.c.identifier, *list(members.c)[1:], *list(checked.c)[1:])
        .select_from(
            people.outerjoin(members, members.c.person_id == people.c.id).outerjoin(
                checked, checked.c.person_id == people.c.id
            )
        )
        .where(where)
    )


COUNTED = {"organisation": _counted(OF_ORGANISATION), "people": _counted(OF_THESE)}
MEMBERS_OF_THESE = _members(OF_THESE)
SESSIONS_JOINED = select(participants.c.session_id).select_from(MEMBER_OF_PERSON).where(OF_ORGANISATION).distinct()
# What a goal record reads of its session: title, day, agenda and system goals (not its run state, which moves all day).
SESSION_ROWS = select(
    sessions.c.id, sessions.c.title, sessions.c.event_date, sessions.c.created_at, sessions.c.agenda
).where(sessions.c.id.in_(SESSIONS_JOINED))
SESSION_GOALS = (
    select(
        system_goals.c.session_id,
        system_goals.c.id,
        system_goals.c.title,
        system_goals.c.description,
        system_goals.c.organisation_goal_id,
    )
    .where(system_goals.c.session_id.in_(SESSIONS_JOINED))
    .order_by(system_goals.c.session_id, system_goals.c.position, system_goals.c.id)
)
STORED = select(
    follow_up_summaries.c.person_id, follow_up_summaries.c.fingerprint, follow_up_summaries.c.summaries
).where(follow_up_summaries.c.person_id.in_(THESE))
DELETE_SUMMARY = delete(follow_up_summaries).where(follow_up_summaries.c.person_id == bindparam("person"))
DELETE_SUMMARIES = delete(follow_up_summaries).where(follow_up_summaries.c.person_id.in_(THESE))
LAST = ("9999-12-31", 0.0, 0.0, 0)  # the place of a participant record not read yet
PEOPLE_OF_PARTICIPANTS = select(participants.c.person_id).where(
    participants.c.id.in_(bindparam("participants", expanding=True))
)


@cache
def _keep(dialect: str) -> Insert:
    """Keep a person's summaries, replacing what was kept before."""
    statement = insert_for(dialect)(follow_up_summaries)
    new = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=[follow_up_summaries.c.person_id],
        set_={"organisation_id": new.organisation_id, "fingerprint": new.fingerprint, "summaries": new.summaries},
    )


@dataclass(frozen=True, slots=True)
class Kept:
    """A person's summaries (one per ``PersonRecord`` their rows make) with what they were made from."""

    counted: tuple[Any, ...]  # their row of ``COUNTED``
    sessions: frozenset[int]  # the sessions they joined
    summaries: tuple[tuple[tuple[Any, ...], PersonSummary], ...]  # (where ``person_records`` lists it, summary)


class FollowUpSummaries(StoreBase):
    """People's summaries: read current, made again where stale, forgotten with the people.

    Besides the table, each process keeps the summaries it last read for each organisation, with what they were
    made from: a read whose aggregate finds the same uses them without decoding the table's copy again."""

    def person_summaries(self, organisation_id: int) -> list[PersonSummary]:
        """Everyone in the organisation as ``summarise`` makes them from ``person_records``, in the same order. Only
        the people whose rows changed since their summary was made are read and summarised again."""
        params = {"organisation": organisation_id}
        counted = {row[0]: tuple(row[1:]) for row in self._rows(COUNTED["organisation"], params)}
        digests = self._session_digests(organisation_id)
        known, known_digests = self._known().get(organisation_id, ({}, {}))
        known = dict(known)  # as it is now: a deletion meanwhile drops people from the process's copy, not from this
        edited = {s for s in {*digests, *known_digests} if digests.get(s) != known_digests.get(s)}
        unknown = [
            p
            for p, row in counted.items()
            if p not in known or known[p].counted != row or (edited and known[p].sessions & edited)
        ]
        found = self._found(organisation_id, unknown, counted, digests) if unknown else {}
        current = {p: found[p] if p in found else known[p] for p in counted}
        self._known()[organisation_id] = (current, digests)
        listed = sorted(entry for kept in current.values() for entry in kept.summaries)
        return [summary for _, summary in listed]

    def forget_summaries_of(self, participant_ids: Sequence[int]) -> None:
        """The summaries of the people these participant records are, deleted before the records are: what is made
        from rows about to go must not outlive them. The next read makes them again from what is left."""
        if participant_ids:
            found = self._rows(PEOPLE_OF_PARTICIPANTS, {"participants": list(participant_ids)})
            person_ids = [person_id for (person_id,) in found if person_id is not None]
            if person_ids:
                with self._db.transaction() as db:
                    db.run(DELETE_SUMMARIES, {"people": person_ids})
                self._drop_known(person_ids)

    def _drop_known(self, person_ids: Iterable[int]) -> None:
        """This process's copies of these people's summaries, dropped."""
        for known, _ in list(self._known().values()):
            for person_id in person_ids:
                known.pop(person_id, None)

    def _known(self) -> dict[int, tuple[dict[int, Kept], dict[int, str]]]:
        """Per organisation: each person's ``Kept``, and the session digests they were checked against."""
        return self.__dict__.setdefault("_known_summaries", {})

    def _session_digests(self, organisation_id: int, db: Link | None = None) -> dict[int, str]:
        read = self._rows if db is None else lambda statement, values: db.run(statement, values).rows
        params = {"organisation": organisation_id}
        found = {row[0]: (*row[1:], []) for row in read(SESSION_ROWS, params)}
        for session_id, *goal in read(SESSION_GOALS, params):
            found[session_id][4].append(tuple(goal))
        return {session_id: _digest(row) for session_id, row in found.items()}

    def _found(
        self, organisation_id: int, people_ids: Sequence[int], counted: dict[int, tuple], digests: dict[int, str]
    ) -> dict[int, Kept]:
        """These people's summaries: the table's copy where it was made from the same rows, else made again."""
        found: dict[int, Kept] = {}
        for person_id, fingerprint, stored in self._rows(STORED, {"people": list(people_ids)}):
            held = json.loads(stored)
            sessions_joined = frozenset(held["sessions"])
            if fingerprint == _fingerprint(counted[person_id], sessions_joined, digests):
                summaries = tuple((tuple(order), summary_of(data)) for order, data in held["summaries"])
                found[person_id] = Kept(counted[person_id], sessions_joined, summaries)
        stale = [p for p in people_ids if p not in found]
        if stale:
            found.update(self._summarise_again(organisation_id, stale, counted, digests))
        return found

    def _summarise_again(
        self, organisation_id: int, stale: Sequence[int], counted: dict[int, tuple], digests: dict[int, str]
    ) -> dict[int, Kept]:
        """The stale people's summaries, made from their records, and kept where their rows did not change
        meanwhile (a person forgotten while this read ran is not kept again)."""
        everyone = len(stale) == len(counted)
        records: Sequence[PersonRecord] = self.person_records(organisation_id, None if everyone else stale)  # type: ignore[attr-defined]
        days = {}  # what orders a participant record in time, as ``person_records`` orders them
        for session_id, (_, event_date, created_at, _) in self._session_rows(organisation_id).items():
            days[session_id] = (event_date or time.strftime("%Y-%m-%d", time.gmtime(created_at)), created_at)
        person_of, joined, first = {}, {}, {}
        for person_id, participant_id, session_id, joined_at, verified, *_ in self._rows(
            MEMBERS_OF_THESE, {"people": list(stale)}
        ):
            person_of[participant_id] = person_id
            joined.setdefault(person_id, set()).add(session_id)
            key = person_id if verified else -participant_id
            when = (*days.get(session_id, ("", 0.0)), joined_at, participant_id)
            first[key] = min(first.get(key, when), when)
        made: dict[int, list[tuple[tuple, PersonSummary]]] = {person_id: [] for person_id in stale}
        for record in records:
            person_id = record.person_id if record.person_id > 0 else person_of.get(-record.person_id)
            if person_id in made:
                # a record joined after the rows above were read sorts last until the next read makes it again
                made[person_id].append((first.get(record.person_id, LAST), summarise(record)))
        kept = {p: Kept(counted[p], frozenset(joined.get(p, ())), tuple(summaries)) for p, summaries in made.items()}
        self._keep_summaries(organisation_id, kept, digests)
        return kept

    def _session_rows(self, organisation_id: int) -> dict[int, tuple[Any, ...]]:
        return {row[0]: tuple(row[1:]) for row in self._rows(SESSION_ROWS, {"organisation": organisation_id})}

    def _keep_summaries(self, organisation_id: int, kept: dict[int, Kept], digests: dict[int, str]) -> None:
        """Store the summaries made, in one transaction that first reads their people's rows again: those whose
        rows or sessions changed since (or who were forgotten) are left for the next read to make again."""
        try:
            with self._db.transaction() as db:
                now = {row[0]: tuple(row[1:]) for row in db.run(COUNTED["people"], {"people": list(kept)}).rows}
                unchanged = self._session_digests(organisation_id, db) == digests
                rows = [
                    {
                        "person_id": person_id,
                        "organisation_id": organisation_id,
                        "fingerprint": _fingerprint(held.counted, held.sessions, digests),
                        "summaries": json.dumps(
                            {
                                "sessions": sorted(held.sessions),
                                "summaries": [[order, summary_json(summary)] for order, summary in held.summaries],
                            },
                            ensure_ascii=False,
                        ),
                    }
                    for person_id, held in kept.items()
                    if unchanged and now.get(person_id) == held.counted
                ]
                if rows:
                    db.run(_keep(self._db.dialect), rows)
        except IntegrityError:  # someone forgotten meanwhile: the next read makes what is left again
            pass


def _fingerprint(counted: tuple[Any, ...], sessions_joined: Iterable[int], digests: dict[int, str]) -> str:
    return _digest((counted, sorted((s, digests.get(s, "")) for s in sessions_joined)))


def _digest(value: object) -> str:
    """A stable digest of rows read (plain values: the same in every process, unlike ``hash``)."""
    return hashlib.sha1(repr(value).encode(), usedforsecurity=False).hexdigest()
