"""Progress shared by choice: each person's audience, the evidence files they selected for it, the progress round a
session runs, and the warm feedback colleagues send in it."""

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, insert, select, update

from facilitator.store.base import StoreBase, insert_for
from facilitator.store.schema import evidence_files, progress_rounds, progress_shares, sessions, warm_feedback
from protocols.progress_sharing import ProgressRound, ShareWith

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
SELECT_FILE = update(evidence_files).where(evidence_files.c.id == bindparam("evidence"))
ROUND = select(progress_rounds.c.person_order, progress_rounds.c.position, progress_rounds.c.started_at).where(
    progress_rounds.c.session_id == bindparam("session")
)
ROUNDS_OF_ORGANISATION = (
    select(progress_rounds.c.session_id)
    .join(sessions, sessions.c.id == progress_rounds.c.session_id)
    .where(sessions.c.organisation_id == bindparam("organisation"))
)
END_ROUND = delete(progress_rounds).where(progress_rounds.c.session_id == bindparam("session"))
NEW_FEEDBACK = insert(warm_feedback).returning(warm_feedback.c.id)
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
FORGET = (
    delete(progress_shares).where(progress_shares.c.person_id.in_(PEOPLE)),
    delete(warm_feedback).where(warm_feedback.c.person_id.in_(PEOPLE) | warm_feedback.c.sender_person_id.in_(PEOPLE)),
    delete(warm_feedback).where(warm_feedback.c.sender_participant_id.in_(bindparam("senders", expanding=True))),
    delete(warm_feedback).where(warm_feedback.c.session_id.in_(bindparam("sessions", expanding=True))),
)


@dataclass(frozen=True, slots=True)
class WarmFeedback:
    id: int
    sender_name: str
    body: str
    created_at: float


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

    def progress_files(self, person_id: int) -> list[int]:
        """The ids of the person's evidence files they selected for their shared progress."""
        return [int(row[0]) for row in self._rows(SELECTED, {"person": person_id})]

    def select_for_progress(self, evidence_id: int, selected: bool) -> None:
        with self._db.transaction() as db:
            db.run(SELECT_FILE, {"evidence": evidence_id, "shared_with_progress": selected})

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

    def save_progress_round(self, session_id: int, current: ProgressRound | None) -> None:
        """Keep the round with the session (a restart or a reloaded console finds it), or end it (None)."""
        dialect = insert_for(self._db.dialect)
        row = {"session_id": session_id, "person_order": json.dumps(list(current.order)), "position": current.index,
               "started_at": current.started_at} if current else None  # fmt: skip
        with self._db.transaction() as db:
            if row is None:
                db.run(END_ROUND, {"session": session_id})
                return
            upsert = dialect(progress_rounds).on_conflict_do_update(
                index_elements=["session_id"],
                set_={"person_order": row["person_order"], "position": row["position"]},
            )
            db.run(upsert, row)

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
        with self._db.transaction() as db:  # fmt: skip
            already = db.run(SENT_ALREADY, sent).rows
            if already:
                return int(already[0][0]), False
            return int(db.run(NEW_FEEDBACK, row).rows[0][0]), True

    def warm_feedback_for(self, organisation_id: int, person_id: int) -> list[WarmFeedback]:
        """The feedback colleagues sent the person, oldest first."""
        rows = self._rows(FEEDBACK_FOR, {"organisation": organisation_id, "person": person_id})
        return [WarmFeedback(int(i), name, body, float(at)) for i, name, body, at in rows]

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
