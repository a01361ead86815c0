"""Progress shared by choice: each person's audience, the evidence files they selected for it, the progress round a
session runs, and the warm feedback colleagues send in it."""

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Insert, bindparam, delete, insert, select, update

from facilitator.store.base import StoreBase, insert_for
from facilitator.store.participants import PARTICIPANT_COLUMNS, as_participant
from facilitator.store.schema import (
    evidence_files,
    participants,
    progress_rounds,
    progress_shares,
    sessions,
    warm_feedback,
)
from protocols.progress_sharing import ProgressRound, ShareWith
from protocols.session import Participant

PEOPLE = bindparam("people", expanding=True)
IN_ORGANISATION = progress_shares.c.organisation_id == bindparam("organisation")
SHARES = select(progress_shares.c.person_id, progress_shares.c.audience).where(IN_ORGANISATION)
SHARE_OF = select(progress_shares.c.audience).where(IN_ORGANISATION, progress_shares.c.person_id == bindparam("person"))
STOP_SHARING = delete(progress_shares).where(IN_ORGANISATION, progress_shares.c.person_id == bindparam("person"))
SELECTED = (
    select(evidence_files.c.id)
    .where(evidence_files.c.person_id == bindparam("person"), evidence_files.c.shared_with_progress.is_(True))
    .order_by(evidence_files.c.id)
)
SHARING_WITH_ORGANISATION = select(progress_shares.c.person_id).where(
    IN_ORGANISATION,
    progress_shares.c.person_id.in_(PEOPLE),
    progress_shares.c.audience == ShareWith.ORGANISATION.value,
)
SELECT_FILE = update(evidence_files).where(evidence_files.c.id == bindparam("evidence"))
PARTICIPANTS_BY_IDS = select(*PARTICIPANT_COLUMNS).where(participants.c.id.in_(bindparam("ids", expanding=True)))
IN_ROUND = progress_rounds.c.session_id == bindparam("session")
ROUND = select(progress_rounds.c.person_order, progress_rounds.c.position, progress_rounds.c.started_at).where(IN_ROUND)
# A move changes the round only from the place it was seen at, in the round it was seen in: of two moves at once
# (two workers, a double click, an end racing a next) one changes it and the other finds it moved or ended.
AS_SEEN = (
    IN_ROUND,
    progress_rounds.c.position == bindparam("seen"),
    progress_rounds.c.started_at == bindparam("seen_started"),
)
MOVE_ROUND = update(progress_rounds).where(*AS_SEEN)
END_ROUND_AS_SEEN = delete(progress_rounds).where(*AS_SEEN)
ROUNDS_OF_ORGANISATION = (
    select(progress_rounds.c.session_id)
    .join(sessions, sessions.c.id == progress_rounds.c.session_id)
    .where(sessions.c.organisation_id == bindparam("organisation"))
)
END_ROUND = delete(progress_rounds).where(IN_ROUND)
SENT_ALREADY = select(warm_feedback.c.id).where(
    warm_feedback.c.sender_participant_id == bindparam("sender_participant_id"),
    warm_feedback.c.feedback_id == bindparam("feedback_id"),
)
FEEDBACK_FOR = (
    select(warm_feedback.c.id, warm_feedback.c.sender_name, warm_feedback.c.body, warm_feedback.c.created_at)
    .where(
        warm_feedback.c.organisation_id == bindparam("organisation"), warm_feedback.c.person_id == bindparam("person")
    )
    .order_by(warm_feedback.c.created_at, warm_feedback.c.id)
)
FEEDBACK_RECEIVED = (
    select(warm_feedback.c.id, warm_feedback.c.sender_name, warm_feedback.c.body, warm_feedback.c.created_at)
    .where(warm_feedback.c.person_id == bindparam("person"))
    .order_by(warm_feedback.c.created_at, warm_feedback.c.id)
)
FEEDBACK_SENT = (
    select(warm_feedback.c.id, warm_feedback.c.sender_name, warm_feedback.c.body, warm_feedback.c.created_at)
    .where(
        (warm_feedback.c.sender_person_id == bindparam("person"))
        | warm_feedback.c.sender_participant_id.in_(bindparam("senders", expanding=True))
    )
    .order_by(warm_feedback.c.created_at, warm_feedback.c.id)
)
FORGET = (
    delete(progress_shares).where(progress_shares.c.person_id.in_(PEOPLE)),
    delete(warm_feedback).where(warm_feedback.c.person_id.in_(PEOPLE) | warm_feedback.c.sender_person_id.in_(PEOPLE)),
    delete(warm_feedback).where(warm_feedback.c.sender_participant_id.in_(bindparam("senders", expanding=True))),
    delete(warm_feedback).where(warm_feedback.c.session_id.in_(bindparam("sessions", expanding=True))),
)


@cache
def _new_round(dialect: str) -> Insert:
    """Start a round unless one runs (two starts at once keep the first)."""
    return insert_for(dialect)(progress_rounds).on_conflict_do_nothing()


@cache
def _new_feedback(dialect: str) -> Insert:
    """Keep feedback unless the phone sent it already: a resend arriving at once with the first adds nothing."""
    return insert_for(dialect)(warm_feedback).on_conflict_do_nothing().returning(warm_feedback.c.id)


@dataclass(frozen=True, slots=True)
class WarmFeedback:
    id: int
    sender_name: str
    body: str
    created_at: float


def _feedback(rows: Sequence[Sequence[Any]]) -> list[WarmFeedback]:
    return [WarmFeedback(int(i), name, body, float(at)) for i, name, body, at in rows]


class Progress(StoreBase):
    def shares(self, organisation_id: int) -> dict[int, ShareWith]:
        """Who in the organisation shares their progress, and with whom (absent: nobody)."""
        rows = self._rows(SHARES, {"organisation": organisation_id})
        return {int(person): ShareWith(audience) for person, audience in rows}

    def share_of(self, organisation_id: int, person_id: int) -> ShareWith:
        rows = self._rows(SHARE_OF, {"organisation": organisation_id, "person": person_id})
        return ShareWith(rows[0][0]) if rows else ShareWith.NOBODY

    def share_progress(self, organisation_id: int, person_id: int, audience: ShareWith) -> None:
        """Keep the person's choice; ``nobody`` deletes it, so nothing of a withdrawn share stays."""
        params = {"organisation": organisation_id, "person": person_id}
        with self._db.transaction() as db:
            db.run(STOP_SHARING, params)
            if audience is not ShareWith.NOBODY:
                row = {"organisation_id": organisation_id, "person_id": person_id, "audience": audience.value,
                       "updated_at": time.time()}  # fmt: skip
                db.run(insert(progress_shares), row)

    def sharing_with_organisation(self, organisation_id: int, person_ids: Sequence[int]) -> set[int]:
        """Which of these people share with the organisation now: what a round's screens ask, reading no one else."""
        if not person_ids:
            return set()
        rows = self._rows(SHARING_WITH_ORGANISATION, {"organisation": organisation_id, "people": list(person_ids)})
        return {int(row[0]) for row in rows}

    def progress_files(self, person_id: int) -> list[int]:
        """The ids of the person's evidence files they selected for their shared progress."""
        return [int(row[0]) for row in self._rows(SELECTED, {"person": person_id})]

    def select_for_progress(self, evidence_id: int, selected: bool) -> None:
        with self._db.transaction() as db:
            db.run(SELECT_FILE, {"evidence": evidence_id, "shared_with_progress": selected})

    def participants_by_ids(self, participant_ids: Sequence[int]) -> list[Participant]:
        """These participant records, in one read (a wall's table-mates); those that no longer exist are left out."""
        if not participant_ids:
            return []
        return [as_participant(row) for row in self._rows(PARTICIPANTS_BY_IDS, {"ids": sorted(set(participant_ids))})]

    # The progress round

    def progress_round(self, session_id: int) -> ProgressRound | None:
        rows = self._rows(ROUND, {"session": session_id})
        if not rows:
            return None
        order, position, started_at = rows[0]
        return ProgressRound(tuple(int(person) for person in json.loads(order)), int(position), float(started_at))

    def running_rounds(self, organisation_id: int) -> list[int]:
        """The sessions of the organisation running a progress round now."""
        return [int(row[0]) for row in self._rows(ROUNDS_OF_ORGANISATION, {"organisation": organisation_id})]

    def start_progress_round(self, session_id: int, started: ProgressRound) -> ProgressRound:
        """Keep a new round with the session (a restart or a reloaded console finds it); if one runs already (two
        starts at once), that one stays and is returned."""
        row = {"session_id": session_id, "person_order": json.dumps(list(started.order)),
               "position": started.index, "started_at": started.started_at}  # fmt: skip
        with self._db.transaction() as db:
            db.run(_new_round(self._db.dialect), row)
            order, position, started_at = db.run(ROUND, {"session": session_id}).rows[0]
        return ProgressRound(tuple(int(person) for person in json.loads(order)), int(position), float(started_at))

    def move_progress_round(self, session_id: int, seen: ProgressRound, moved: ProgressRound | None) -> bool:
        """Move the round from ``seen`` to ``moved`` (None: end it), only if it still stands where it was seen:
        False if another move or an end came first, and nothing changed."""
        params = {"session": session_id, "seen": seen.index, "seen_started": seen.started_at}
        with self._db.transaction() as db:
            if moved is None:
                return db.run(END_ROUND_AS_SEEN, params).count == 1
            changes = {"person_order": json.dumps(list(moved.order)), "position": moved.index}
            return db.run(MOVE_ROUND, {**params, **changes}).count == 1

    def end_progress_round(self, session_id: int) -> bool:
        """End the session's round; False if none was running."""
        with self._db.transaction() as db:
            return db.run(END_ROUND, {"session": session_id}).count == 1

    # Warm feedback

    def add_warm_feedback(
        self,
        organisation_id: int,
        person_id: int,
        *,
        sender_person_id: int | None,
        sender_participant_id: int,
        sender_name: str,
        session_id: int,
        feedback_id: str,
        body: str,
    ) -> tuple[int, bool]:
        """Keep a colleague's feedback once per (sender, ``feedback_id``): (its id, whether it is new)."""
        sent = {"sender_participant_id": sender_participant_id, "feedback_id": feedback_id}
        row = {
            "organisation_id": organisation_id,
            "person_id": person_id,
            "sender_person_id": sender_person_id,
            "sender_name": sender_name,
            "session_id": session_id,
            "body": body,
            "created_at": time.time(),
            **sent,
        }
        with self._db.transaction() as db:
            new = db.run(_new_feedback(self._db.dialect), row).rows
            if new:
                return int(new[0][0]), True
            return int(db.run(SENT_ALREADY, sent).rows[0][0]), False  # a resend: the one kept

    def warm_feedback_for(self, organisation_id: int, person_id: int) -> list[WarmFeedback]:
        """The feedback colleagues sent the person, oldest first."""
        return _feedback(self._rows(FEEDBACK_FOR, {"organisation": organisation_id, "person": person_id}))

    def warm_feedback_of(
        self, person_id: int | None, senders: Sequence[int] = ()
    ) -> tuple[list[WarmFeedback], list[WarmFeedback]]:
        """What the person was sent and what they sent (as ``person_id`` or from these participant records), in
        every organisation, oldest first: what forgetting them deletes."""
        received = self._rows(FEEDBACK_RECEIVED, {"person": person_id})
        sent = self._rows(FEEDBACK_SENT, {"person": person_id, "senders": list(senders) or [0]})
        return _feedback(received), _feedback(sent)

    def forget_progress(
        self, person_ids: Sequence[int], senders: Sequence[int] = (), session_ids: Sequence[int] = ()
    ) -> None:
        """These people's sharing choice and the warm feedback they sent or received; feedback sent from these
        participant records (``senders``) or in these sessions."""
        params = {"people": list(person_ids) or [0], "senders": list(senders) or [0], "sessions": list(session_ids)}
        params["sessions"] = params["sessions"] or [0]
        with self._db.transaction() as db:
            for statement in FORGET:
                db.run(statement, params)
