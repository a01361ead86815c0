"""Participants and people: joining a session, the tokens that open a participant, and the person each one is
across an organisation's sessions."""

import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update

from facilitator.store.base import IN_SESSION, StoreBase
from facilitator.store.database import Link
from facilitator.store.schema import check_ins, participants, people, sessions
from protocols.credentials import check_in_token, new_secret, secret_digest
from protocols.session import Participant

MAX_EARLIER_TOKENS = 20  # earlier plans a phone may show it holds when it joins

PARTICIPANT_COLUMNS = (
    participants.c.id,
    participants.c.session_id,
    participants.c.name,
    participants.c.join_answer,
    participants.c.person_id,
    participants.c.person_verified,
    participants.c.language,
)
SESSION_ORGANISATION = select(sessions.c.organisation_id).where(sessions.c.id == IN_SESSION)
NEW_PARTICIPANT = insert(participants).returning(participants.c.id)
PARTICIPANT_BY_TOKEN = select(*PARTICIPANT_COLUMNS).where(participants.c.token_digest == bindparam("digest"))
PARTICIPANT_BY_CHECK_IN = select(*PARTICIPANT_COLUMNS).where(participants.c.check_in_digest == bindparam("digest"))
CHECK_IN_DIGEST = select(participants.c.check_in_digest).where(participants.c.id == bindparam("participant"))
GIVE_CHECK_IN_DIGEST = update(participants).where(
    participants.c.id == bindparam("participant"), participants.c.check_in_digest.is_(None)
)
PARTICIPANT_BY_ID = select(*PARTICIPANT_COLUMNS).where(participants.c.id == bindparam("participant"))
PARTICIPANTS = select(*PARTICIPANT_COLUMNS).where(participants.c.session_id == IN_SESSION).order_by(participants.c.id)
PARTICIPANT_NAMES = (
    select(participants.c.id, participants.c.name)
    .where(participants.c.session_id == IN_SESSION)
    .order_by(participants.c.id)
)
NAMES_OF = select(participants.c.id, participants.c.name).where(
    participants.c.session_id == IN_SESSION, participants.c.id.in_(bindparam("ids", expanding=True))
)
PARTICIPANT_COUNT = select(func.count()).select_from(participants).where(participants.c.session_id == IN_SESSION)

NEW_PERSON = insert(people).returning(people.c.id)
PERSON_BY_IDENTIFIER = select(people.c.id).where(
    people.c.organisation_id == bindparam("organisation"), people.c.identifier == bindparam("identifier")
)
PERSON = select(people.c.id, people.c.organisation_id, people.c.identifier).where(people.c.id == bindparam("person"))
PEOPLE_OF_TOKENS = (
    select(participants.c.person_id, people.c.organisation_id)
    .select_from(participants.join(people, participants.c.person_id == people.c.id))
    .where(participants.c.token_digest.in_(bindparam("digests", expanding=True)), participants.c.person_verified)
)
SET_PERSON = update(participants).where(participants.c.id == bindparam("participant"))
UPDATE_PERSON = update(people).where(people.c.id == bindparam("person"))
MEMBERS_OF_PERSON = select(participants.c.id).where(participants.c.person_id == bindparam("person"))
MOVE_CHECK_INS = update(check_ins).where(check_ins.c.participant_id == bindparam("participant"))
DELETE_PERSON = delete(people).where(people.c.id == bindparam("person"))
SET_LANGUAGE = update(participants).where(participants.c.id == bindparam("participant"))
# The language a person chose last: their most recent participant that has one.
PERSON_LANGUAGE = (
    select(participants.c.language)
    .where(participants.c.person_id == bindparam("person"), participants.c.language != "")
    .order_by(participants.c.joined_at.desc(), participants.c.id.desc())
    .limit(1)
)
OWN_LANGUAGE = select(participants.c.language).where(participants.c.id == bindparam("participant"))


def as_participant(row: Sequence[Any]) -> Participant:
    """A participant from a row of ``PARTICIPANT_COLUMNS``."""
    participant_id, session_id, name, join_answer, person_id, verified, language = row
    return Participant(participant_id, session_id, name, join_answer, person_id, bool(verified), language or "")


class Participants(StoreBase):
    """A session's participants, and the people they are."""

    def add_participant(
        self,
        session_id: int,
        name: str,
        join_answer: str = "",
        *,
        earlier: Sequence[str] = (),
        identifier: str = "",
        language: str = "",
    ) -> tuple[Participant, str]:
        """A new participant and their token (returned once; only its digest is stored), tied to a person.

        The person is the one an ``earlier`` token (another session's participant token this phone holds) shows
        it is, in the same organisation; else the one the ``identifier`` (e-mail or staff id, given with consent)
        names, but unverified: that person's earlier plans stay hidden from this phone until it shows it holds one;
        else a new person. ``language`` is the one they chose ("": none).
        """
        token = new_secret()
        with self._db.transaction() as db:
            (organisation_id,) = db.run(SESSION_ORGANISATION, {"session": session_id}).rows[0]
            person_id, verified = self._person_for_join(db, organisation_id, earlier, identifier)
            (participant_id,) = db.run(
                NEW_PARTICIPANT,
                {
                    "session_id": session_id,
                    "name": name,
                    "token_digest": secret_digest(token),
                    "check_in_digest": secret_digest(check_in_token(token)),
                    "join_answer": join_answer,
                    "joined_at": time.time(),
                    "person_id": person_id,
                    "person_verified": verified,
                    "language": language,
                },
            ).rows[0]
        return Participant(participant_id, session_id, name, join_answer, person_id, verified, language), token

    @staticmethod
    def _proven_person(db: Link, organisation_id: int | None, earlier: Sequence[str]) -> int | None:
        """The person of the organisation that one of the ``earlier`` tokens belongs to (verified there)."""
        if organisation_id is None or not earlier:
            return None
        digests = [secret_digest(token) for token in earlier if isinstance(token, str) and 0 < len(token) <= 256]
        found = db.run(PEOPLE_OF_TOKENS, {"digests": digests[:MAX_EARLIER_TOKENS]}).rows if digests else []
        return next((person for person, organisation in found if organisation == organisation_id), None)

    def _person_for_join(
        self, db: Link, organisation_id: int | None, earlier: Sequence[str], identifier: str
    ) -> tuple[int, bool]:
        proven = self._proven_person(db, organisation_id, earlier)
        if proven is not None:
            if identifier:
                self._give_identifier(db, proven, organisation_id, identifier)
            return proven, True
        if identifier and organisation_id is not None:
            found = db.run(PERSON_BY_IDENTIFIER, {"organisation": organisation_id, "identifier": identifier}).rows
            if found:
                return found[0][0], False
        linkable = identifier if organisation_id is not None and identifier else None  # none: nothing to link to
        new = {"organisation_id": organisation_id, "identifier": linkable, "created_at": time.time()}
        return db.run(NEW_PERSON, new).rows[0][0], True

    @staticmethod
    def _give_identifier(db: Link, person_id: int, organisation_id: int | None, identifier: str) -> None:
        """Record the identifier for a person who has none yet, unless another person of the organisation has it."""
        ((_, _, current),) = db.run(PERSON, {"person": person_id}).rows
        taken = db.run(PERSON_BY_IDENTIFIER, {"organisation": organisation_id, "identifier": identifier}).rows
        if current is None and not taken:
            db.run(UPDATE_PERSON, {"person": person_id, "identifier": identifier})

    def link_earlier(self, participant: Participant, earlier: Sequence[str]) -> Participant:
        """A phone coming back shows it holds an earlier plan of the organisation: the participant joins that
        person, verified. A person made only for this participant is merged in (their check-ins move along)."""
        session = self.session_by_id(participant.session_id)
        if session is None or session.organisation_id is None or not earlier:
            return participant
        with self._db.transaction() as db:
            proven = self._proven_person(db, session.organisation_id, earlier)
            if proven is None or (proven == participant.person_id and participant.person_verified):
                return participant
            old = participant.person_id
            if old is not None and old != proven:
                others = [row[0] for row in db.run(MEMBERS_OF_PERSON, {"person": old}).rows if row[0] != participant.id]
                if others:  # the person holds other sessions too: they are not this phone's to move
                    return participant
                db.run(MOVE_CHECK_INS, {"participant": participant.id, "person_id": proven})
                ((_, _, identifier),) = db.run(PERSON, {"person": old}).rows
                db.run(SET_PERSON, {"participant": participant.id, "person_id": proven, "person_verified": True})
                db.run(DELETE_PERSON, {"person": old})
                if identifier:
                    self._give_identifier(db, proven, session.organisation_id, identifier)
            else:
                db.run(SET_PERSON, {"participant": participant.id, "person_id": proven, "person_verified": True})
        return replace(participant, person_id=proven, person_verified=True)

    def participant_by_id(self, participant_id: int) -> Participant | None:
        rows = self._rows(PARTICIPANT_BY_ID, {"participant": participant_id})
        return as_participant(rows[0]) if rows else None

    def participant_by_token(self, token: object) -> Participant | None:
        if not isinstance(token, str) or not 0 < len(token) <= 256:
            return None
        rows = self._rows(PARTICIPANT_BY_TOKEN, {"digest": secret_digest(token)})
        return as_participant(rows[0]) if rows else None

    def participant_by_check_in(self, token: object) -> Participant | None:
        """The participant whose check-in token this is; it opens nothing else (a participant token opens no
        check-in form by this door either)."""
        if not isinstance(token, str) or not 0 < len(token) <= 256:
            return None
        rows = self._rows(PARTICIPANT_BY_CHECK_IN, {"digest": secret_digest(token)})
        return as_participant(rows[0]) if rows else None

    def keep_check_in_digest(self, participant_id: int, digest: str) -> None:
        """Someone who joined before check-in links gets one the first time their own token shows it: only then is
        its digest known. Reads first, so it writes once per person, not on every plan page."""
        rows = self._rows(CHECK_IN_DIGEST, {"participant": participant_id})
        if rows and rows[0][0] is None:
            with self._db.transaction() as db:
                db.run(GIVE_CHECK_IN_DIGEST, {"participant": participant_id, "check_in_digest": digest})

    def set_participant_language(self, participant_id: int, language: str) -> None:
        with self._db.transaction() as db:
            db.run(SET_LANGUAGE, {"participant": participant_id, "language": language})

    def person_language(self, person_id: int | None) -> str:
        """The language a person reads across sessions: the one they chose last ("": never chose). A person known
        only by one participant (``person_id`` minus its id, as follow-up names them) has that one's."""
        if person_id is None:
            return ""
        if person_id < 0:
            rows = self._rows(OWN_LANGUAGE, {"participant": -person_id})
        else:
            rows = self._rows(PERSON_LANGUAGE, {"person": person_id})
        return rows[0][0] if rows else ""

    def participants(self, session_id: int) -> list[Participant]:
        return [as_participant(row) for row in self._rows(PARTICIPANTS, {"session": session_id})]

    def participant_names(self, session_id: int) -> dict[int, str]:
        return dict(self._rows(PARTICIPANT_NAMES, {"session": session_id}))  # rows of (id, name)

    def names_of(self, session_id: int, participant_ids: Sequence[int]) -> dict[int, str]:
        """These participants' names alone: what one table's screens need, whatever the size of the room."""
        return dict(self._rows(NAMES_OF, {"session": session_id, "ids": list(participant_ids) or [0]}))

    def count_participants(self, session_id: int) -> int:
        return self._rows(PARTICIPANT_COUNT, {"session": session_id})[0][0]
