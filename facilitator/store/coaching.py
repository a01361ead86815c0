"""The coaching loop's storage: coaches and their keys, who coaches whom, support requests and their states, the
conversation on each goal and its agreed versions, and the leaders who get the weekly digest."""

import json
import time
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update

from facilitator.store.base import StoreBase, insert_for
from facilitator.store.schema import (
    assignments,
    coaches,
    goal_messages,
    goal_versions,
    support_requests,
)
from protocols.coaching.coaches import AssignedHow, Assignment, Coach, CoachDraft
from protocols.coaching.requests import NO_LONGER_ASKED, Request, RequestState, RequestSync
from protocols.coaching.thread import (
    AgreedVersion,
    Author,
    Message,
    MessageDraft,
    MessageKind,
    SuggestionState,
)
from protocols.credentials import new_secret, secret_digest, secret_matches
from protocols.errors import DomainError

ORGANISATION = bindparam("organisation")
PEOPLE = bindparam("people", expanding=True)
COACH_COLUMNS = (coaches.c.id, coaches.c.organisation_id, coaches.c.name, coaches.c.email, coaches.c.goal_ids)
COACHES = select(*COACH_COLUMNS).where(coaches.c.organisation_id == ORGANISATION).order_by(coaches.c.name, coaches.c.id)
COACH_KEY = select(*COACH_COLUMNS, coaches.c.key_digest).where(coaches.c.id == bindparam("coach"))
NEW_COACH = insert(coaches).returning(coaches.c.id)
UPDATE_COACH = update(coaches).where(coaches.c.id == bindparam("coach"), coaches.c.organisation_id == ORGANISATION)
DELETE_COACH = delete(coaches).where(coaches.c.id == bindparam("coach"), coaches.c.organisation_id == ORGANISATION)
UNOWN_REQUESTS = (
    update(support_requests)
    .where(support_requests.c.coach_id == bindparam("coach"), support_requests.c.organisation_id == ORGANISATION)
    .values(coach_id=None)
)
ASSIGNMENTS = select(
    assignments.c.person_id, assignments.c.coach_id, assignments.c.how, assignments.c.assigned_at
).where(assignments.c.organisation_id == ORGANISATION)
DELETE_ASSIGNMENT = delete(assignments).where(
    assignments.c.organisation_id == ORGANISATION, assignments.c.person_id == bindparam("person")
)
OWN_PERSON_REQUESTS = (  # a person's open requests go with them to their coach (None: to the next in turn)
    update(support_requests)
    .where(
        support_requests.c.organisation_id == ORGANISATION,
        support_requests.c.person_id == bindparam("person"),
        support_requests.c.state != RequestState.CLOSED.value,
    )
    .values(coach_id=bindparam("owner"))
)
DELETE_ASSIGNMENTS_OF_COACH = delete(assignments).where(assignments.c.coach_id == bindparam("coach"))
NEW_ASSIGNMENT = insert(assignments)
REQUEST_COLUMNS = (
    support_requests.c.id,
    support_requests.c.person_id,
    support_requests.c.request_key,
    support_requests.c.support,
    support_requests.c.note,
    support_requests.c.asked_at,
    support_requests.c.source,
    support_requests.c.coach_id,
    support_requests.c.state,
    support_requests.c.acknowledged_at,
    support_requests.c.meeting_day,
    support_requests.c.meeting_place,
    support_requests.c.meeting_planned_at,
    support_requests.c.closed_at,
    support_requests.c.closed_why,
)
REQUESTS = (
    select(*REQUEST_COLUMNS)
    .where(support_requests.c.organisation_id == ORGANISATION)
    .order_by(support_requests.c.asked_at, support_requests.c.id)
)
UPDATE_REQUEST = update(support_requests).where(
    support_requests.c.id == bindparam("request"), support_requests.c.organisation_id == ORGANISATION
)
MESSAGE_COLUMNS = (
    goal_messages.c.id,
    goal_messages.c.person_id,
    goal_messages.c.author,
    goal_messages.c.coach_id,
    goal_messages.c.kind,
    goal_messages.c.body,
    goal_messages.c.proposal,
    goal_messages.c.check_in_id,
    goal_messages.c.state,
    goal_messages.c.reason,
    goal_messages.c.answered_at,
    goal_messages.c.created_at,
)
MESSAGES = (
    select(*MESSAGE_COLUMNS)
    .where(goal_messages.c.organisation_id == ORGANISATION)
    .order_by(goal_messages.c.created_at, goal_messages.c.id)
)
MESSAGES_OF_PEOPLE = MESSAGES.where(goal_messages.c.person_id.in_(PEOPLE))
NEW_MESSAGE = insert(goal_messages).returning(goal_messages.c.id)
ANSWER_MESSAGE = (
    update(goal_messages)
    .where(
        goal_messages.c.id == bindparam("message"),
        goal_messages.c.organisation_id == ORGANISATION,
        goal_messages.c.state == SuggestionState.PENDING.value,
    )
    .values(state=bindparam("new_state"), reason=bindparam("reason"), answered_at=bindparam("at"))
)
VERSIONS = (
    select(
        goal_versions.c.person_id,
        goal_versions.c.goal,
        goal_versions.c.action_steps,
        goal_versions.c.coach_id,
        goal_versions.c.created_at,
        goal_versions.c.message_id,
    )
    .where(goal_versions.c.organisation_id == ORGANISATION)
    .order_by(goal_versions.c.created_at, goal_versions.c.id)
)
VERSIONS_OF_PEOPLE = VERSIONS.where(goal_versions.c.person_id.in_(PEOPLE))
NEW_VERSION = insert(goal_versions)
FORGET = [
    delete(table).where(table.c.person_id.in_(PEOPLE))
    for table in (assignments, support_requests, goal_messages, goal_versions)
]


def _coach(row: Sequence[Any]) -> Coach:
    coach_id, organisation_id, name, email, goal_ids = row[:5]
    return Coach(coach_id, organisation_id, name, email, tuple(json.loads(goal_ids)))


def _assignment_row(organisation_id: int, a: Assignment) -> dict[str, Any]:
    return {
        "organisation_id": organisation_id,
        "person_id": a.person_id,
        "coach_id": a.coach_id,
        "how": a.how.value,
        "assigned_at": a.assigned_at,
    }


def _request(row: Sequence[Any]) -> Request:
    (
        request_id,
        person_id,
        key,
        support,
        note,
        asked_at,
        source,
        coach_id,
        state,
        acknowledged_at,
        meeting_day,
        meeting_place,
        meeting_planned_at,
        closed_at,
        closed_why,
    ) = row
    return Request(
        request_id,
        person_id,
        key,
        support,
        note,
        asked_at,
        source,
        coach_id,
        RequestState(state),
        acknowledged_at,
        meeting_day,
        meeting_place,
        meeting_planned_at,
        closed_at,
        closed_why,
    )


def _message(row: Sequence[Any]) -> Message:
    (
        message_id,
        person_id,
        author,
        coach_id,
        kind,
        body,
        proposal,
        check_in_id,
        state,
        reason,
        answered_at,
        created_at,
    ) = row
    return Message(
        message_id,
        person_id,
        Author(author),
        coach_id,
        MessageKind(kind),
        body,
        json.loads(proposal),
        check_in_id,
        SuggestionState(state),
        reason,
        answered_at,
        created_at,
    )


class Coaching(StoreBase):
    """Coaches, caseloads, requests and conversations of an organisation."""

    def coaches(self, organisation_id: int) -> list[Coach]:
        return [_coach(row) for row in self._rows(COACHES, {"organisation": organisation_id})]

    def coach(self, organisation_id: int, coach_id: int) -> Coach:
        found = next((coach for coach in self.coaches(organisation_id) if coach.id == coach_id), None)
        if found is None:
            raise DomainError("unknown_coach", "There is no such coach in this organisation.")
        return found

    def create_coach(self, organisation_id: int, draft: CoachDraft) -> tuple[Coach, str]:
        """A new coach and their key (returned once; only its digest is stored)."""
        key = new_secret()
        row = {
            "organisation_id": organisation_id,
            "name": draft.name,
            "email": draft.email,
            "goal_ids": json.dumps(list(draft.goal_ids)),
            "key_digest": secret_digest(key),
            "created_at": time.time(),
        }
        with self._db.transaction() as db:
            (coach_id,) = db.run(NEW_COACH, row).rows[0]
        return self.coach(organisation_id, coach_id), key

    def update_coach(self, organisation_id: int, coach_id: int, draft: CoachDraft) -> Coach:
        row = {
            "coach": coach_id,
            "organisation": organisation_id,
            "name": draft.name,
            "email": draft.email,
            "goal_ids": json.dumps(list(draft.goal_ids)),
        }
        with self._db.transaction() as db:
            db.run(UPDATE_COACH, row)
        return self.coach(organisation_id, coach_id)

    def remove_coach(self, organisation_id: int, coach_id: int) -> None:
        """The coach goes; their people are without a coach and their open requests wait for the next pass to give
        them a new owner (``sync_requests``). Their messages stay in the threads, signed by a former coach."""
        self.coach(organisation_id, coach_id)
        with self._db.transaction() as db:
            db.run(UNOWN_REQUESTS, {"coach": coach_id, "organisation": organisation_id})
            db.run(DELETE_ASSIGNMENTS_OF_COACH, {"coach": coach_id})
            db.run(DELETE_COACH, {"coach": coach_id, "organisation": organisation_id})

    def new_coach_key(self, organisation_id: int, coach_id: int) -> str:
        """A fresh key for the coach's link; the old link stops working."""
        self.coach(organisation_id, coach_id)
        key = new_secret()
        with self._db.transaction() as db:
            db.run(UPDATE_COACH, {"coach": coach_id, "organisation": organisation_id, "key_digest": secret_digest(key)})
        return key

    def coach_by_key(self, coach_id: int, key: object) -> Coach:
        """The coach whose link ``key`` opens; DomainError ``bad_key`` otherwise (an unknown coach reads the same)."""
        rows = self._rows(COACH_KEY, {"coach": coach_id})
        if not rows or not secret_matches(key, rows[0][5]):
            raise DomainError("bad_key", "That key does not open this coach's view.")
        return _coach(rows[0])

    def assignments(self, organisation_id: int) -> dict[int, Assignment]:
        return {
            person_id: Assignment(person_id, coach_id, AssignedHow(how), at)
            for person_id, coach_id, how, at in self._rows(ASSIGNMENTS, {"organisation": organisation_id})
        }

    def assign(self, organisation_id: int, given: Sequence[Assignment], *, unassign: Sequence[int] = ()) -> None:
        """Give these people these coaches (replacing any they had), and leave ``unassign`` without one. Their open
        requests follow them to their new coach; those of someone left without one wait for the next coach of
        their goal in turn (``sync_requests``): the former coach no longer holds them."""
        with self._db.transaction() as db:
            for person_id in [*unassign, *(a.person_id for a in given)]:
                db.run(DELETE_ASSIGNMENT, {"organisation": organisation_id, "person": person_id})
            for a in given:
                db.run(NEW_ASSIGNMENT, _assignment_row(organisation_id, a))
            owners = [(person_id, None) for person_id in unassign] + [(a.person_id, a.coach_id) for a in given]
            for person_id, coach_id in owners:
                db.run(OWN_PERSON_REQUESTS, {"organisation": organisation_id, "person": person_id, "owner": coach_id})

    def requests(self, organisation_id: int) -> list[Request]:
        """Every support request of the organisation, oldest first."""
        return [_request(row) for row in self._rows(REQUESTS, {"organisation": organisation_id})]

    def apply_request_sync(self, organisation_id: int, sync: RequestSync, now: float) -> None:
        """Make the new requests, give coaches to the people ``sync`` assigns, and close the requests a later
        statement no longer asks for, in one transaction. Another pass or page load may be doing the same at once:
        a person given a coach meanwhile (by hand, or by that other pass) keeps that coach, and their new requests
        go to them."""
        if not (sync.new or sync.assign or sync.no_longer_asked or sync.owners):
            return
        dialect = insert_for(self._db.dialect)
        insert_once, assign_once = (dialect(t).on_conflict_do_nothing() for t in (support_requests, assignments))
        with self._db.transaction() as db:
            for a in sync.assign:
                db.run(assign_once, _assignment_row(organisation_id, a))
            rows = db.run(ASSIGNMENTS, {"organisation": organisation_id}).rows
            owners = {person_id: coach_id for person_id, coach_id, _, _ in rows}
            for new in sync.new:
                closed = new.state is RequestState.CLOSED
                db.run(
                    insert_once,
                    {
                        "organisation_id": organisation_id,
                        "person_id": new.person_id,
                        "request_key": new.request_key,
                        "support": new.support,
                        "note": new.note,
                        "asked_at": new.asked_at,
                        "source": new.source,
                        "coach_id": owners.get(new.person_id, new.coach_id),
                        "state": new.state.value,
                        "closed_at": now if closed else None,
                    },
                )
            for request_id in sync.no_longer_asked:
                db.run(
                    UPDATE_REQUEST,
                    {
                        "request": request_id,
                        "organisation": organisation_id,
                        "state": "closed",
                        "closed_at": now,
                        "closed_why": NO_LONGER_ASKED,
                    },
                )
            for request_id, coach_id in sync.owners:
                db.run(UPDATE_REQUEST, {"request": request_id, "organisation": organisation_id, "coach_id": coach_id})

    def update_request(self, organisation_id: int, request_id: int, changes: Mapping[str, Any]) -> None:
        with self._db.transaction() as db:
            db.run(UPDATE_REQUEST, {"request": request_id, "organisation": organisation_id, **changes})

    def messages(self, organisation_id: int, person_ids: Sequence[int] | None = None) -> dict[int, list[Message]]:
        """Threads by person, each oldest first: of these people, or of everyone in the organisation."""
        if person_ids is not None and not person_ids:
            return {}
        statement, params = (MESSAGES, {}) if person_ids is None else (MESSAGES_OF_PEOPLE, {"people": list(person_ids)})
        threads: dict[int, list[Message]] = {}
        for row in self._rows(statement, {"organisation": organisation_id, **params}):
            message = _message(row)
            threads.setdefault(message.person_id, []).append(message)
        return threads

    def add_message(self, organisation_id: int, person_id: int, draft: MessageDraft, coach_id: int | None) -> Message:
        now = time.time()
        row = {
            "organisation_id": organisation_id,
            "person_id": person_id,
            "author": draft.author.value,
            "coach_id": coach_id,
            "kind": draft.kind.value,
            "body": draft.body,
            "proposal": json.dumps(dict(draft.proposal), ensure_ascii=False),
            "check_in_id": draft.check_in_id,
            "state": draft.state.value,
            "created_at": now,
        }
        with self._db.transaction() as db:
            (message_id,) = db.run(NEW_MESSAGE, row).rows[0]
        return Message(
            message_id,
            person_id,
            draft.author,
            coach_id,
            draft.kind,
            draft.body,
            dict(draft.proposal),
            draft.check_in_id,
            draft.state,
            "",
            None,
            now,
        )

    def answer_message(
        self, organisation_id: int, message: Message, state: SuggestionState, reason: str, version: AgreedVersion | None
    ) -> None:
        """The person's answer to a suggestion, and with an accepted rewording the goal's new version: together, and
        only while the suggestion is still pending (a double click answers once)."""
        with self._db.transaction() as db:
            params = {
                "message": message.id,
                "organisation": organisation_id,
                "new_state": state.value,
                "reason": reason,
                "at": time.time(),
            }
            if db.run(ANSWER_MESSAGE, params).count != 1:
                raise DomainError("already_answered", "This suggestion was answered already.")
            if version is not None:
                db.run(NEW_VERSION, self._version_row(organisation_id, message.person_id, version, message.id))

    def agree(self, organisation_id: int, person_id: int, version: AgreedVersion, draft: MessageDraft) -> None:
        """The coach agrees to the goal as the person wrote it: its version, and a line on the thread saying so."""
        self.add_message(organisation_id, person_id, draft, version.coach_id)
        with self._db.transaction() as db:
            db.run(NEW_VERSION, self._version_row(organisation_id, person_id, version, None))

    @staticmethod
    def _version_row(organisation_id: int, person_id: int, version: AgreedVersion, message_id: int | None) -> dict:
        return {
            "organisation_id": organisation_id,
            "person_id": person_id,
            "goal": version.goal,
            "action_steps": json.dumps([list(step) for step in version.action_steps], ensure_ascii=False),
            "coach_id": version.coach_id,
            "message_id": message_id,
            "created_at": version.created_at,
        }

    def agreed_versions(
        self, organisation_id: int, person_ids: Sequence[int] | None = None
    ) -> dict[int, list[AgreedVersion]]:
        """Agreed versions by person, each oldest first: of these people, or of everyone in the organisation."""
        if person_ids is not None and not person_ids:
            return {}
        statement, params = (VERSIONS, {}) if person_ids is None else (VERSIONS_OF_PEOPLE, {"people": list(person_ids)})
        found: dict[int, list[AgreedVersion]] = {}
        for person_id, goal, steps, coach_id, created_at, message_id in self._rows(
            statement, {"organisation": organisation_id, **params}
        ):
            version = AgreedVersion(
                goal, tuple(tuple(step) for step in json.loads(steps)), coach_id, created_at, message_id is not None
            )
            found.setdefault(person_id, []).append(version)
        return found

    def forget_coaching(self, person_ids: Sequence[int]) -> None:
        """Everything the coaching loop holds about these people: their coach, requests, thread and versions."""
        if person_ids:
            with self._db.transaction() as db:
                for statement in FORGET:
                    db.run(statement, {"people": list(person_ids)})
            self._db.forget_deleted()  # and nothing of them is left in the database's files
