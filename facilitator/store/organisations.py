"""Organisations: their goals, their key, and the leaders' view each opens."""

import json
import time
from collections.abc import Sequence

from sqlalchemy import bindparam, distinct, func, insert, select, update

from facilitator.store.base import StoreBase
from facilitator.store.database import Link
from facilitator.store.schema import organisation_goals, organisations, participants, sessions
from protocols.credentials import new_secret, secret_digest, secret_matches
from protocols.errors import DomainError
from protocols.organisations import Organisation, OrganisationDraft, OrganisationGoal
from protocols.setup import GoalDraft

ORGANISATION_GOALS = (
    select(
        organisation_goals.c.id,
        organisation_goals.c.title,
        organisation_goals.c.description,
        organisation_goals.c.archived,
    )
    .where(organisation_goals.c.organisation_id == bindparam("organisation"))
    .order_by(organisation_goals.c.archived, organisation_goals.c.position)
)
NEW_ORGANISATION = insert(organisations).returning(organisations.c.id)
ORGANISATION_BY_ID = select(
    organisations.c.id, organisations.c.name, organisations.c.leader_emails, organisations.c.timezone
).where(organisations.c.id == bindparam("organisation"))
ORGANISATIONS = select(organisations.c.id, organisations.c.name).order_by(organisations.c.name, organisations.c.id)
ORGANISATION_KEY = select(organisations.c.key_digest).where(organisations.c.id == bindparam("organisation"))
UPDATE_ORGANISATION = update(organisations).where(organisations.c.id == bindparam("organisation"))
NEW_ORGANISATION_GOAL = insert(organisation_goals).returning(organisation_goals.c.id)
UPDATE_ORGANISATION_GOAL = update(organisation_goals).where(
    organisation_goals.c.id == bindparam("goal"), organisation_goals.c.organisation_id == bindparam("organisation")
)
ARCHIVE_GOALS_NOT_KEPT = (
    update(organisation_goals)
    .where(
        organisation_goals.c.organisation_id == bindparam("organisation"),
        organisation_goals.c.id.not_in(bindparam("kept", expanding=True)),
    )
    .values(archived=True)
)
ORGANISATION_SESSIONS = select(func.count()).where(sessions.c.organisation_id == bindparam("organisation"))
ORGANISATION_PEOPLE = (
    select(func.count(distinct(participants.c.person_id)))
    .select_from(participants.join(sessions))
    .where(sessions.c.organisation_id == bindparam("organisation"))
)
SESSION_KEY_OF_ORGANISATION = select(sessions.c.organisation_id, sessions.c.facilitator_key_digest).where(
    sessions.c.code == bindparam("code")
)


class Organisations(StoreBase):
    """An organisation and the goals its sessions share."""

    def create_organisation(self, draft: OrganisationDraft) -> tuple[Organisation, str]:
        """A new organisation and its key (returned once; only its digest is stored)."""
        key = new_secret()
        with self._db.transaction() as db:
            new = {
                "name": draft.name,
                "key_digest": secret_digest(key),
                "created_at": time.time(),
                "leader_emails": json.dumps(list(draft.leader_emails or ())),
                "timezone": draft.timezone or "UTC",
            }
            (organisation_id,) = db.run(NEW_ORGANISATION, new).rows[0]
            self._replace_organisation_goals(db, organisation_id, draft.goals or ())
        organisation = self.organisation(organisation_id)
        assert organisation is not None
        return organisation, key

    def update_organisation(self, organisation_id: int, draft: OrganisationDraft) -> None:
        with self._db.transaction() as db:
            changes = {"name": draft.name}
            if draft.leader_emails is not None:
                changes["leader_emails"] = json.dumps(list(draft.leader_emails))
            if draft.timezone is not None:
                changes["timezone"] = draft.timezone
            db.run(UPDATE_ORGANISATION, {"organisation": organisation_id, **changes})
            if draft.goals is not None:
                self._replace_organisation_goals(db, organisation_id, draft.goals)

    @staticmethod
    def _replace_organisation_goals(db: Link, organisation_id: int, goals: Sequence[GoalDraft]) -> None:
        """Goals keep their ids; one left out is archived, since people may hold goals under it."""
        kept = []
        for position, goal in enumerate(goals):
            fields = {"position": position, "title": goal.title, "description": goal.description, "archived": False}
            if goal.id is None:
                kept.append(db.run(NEW_ORGANISATION_GOAL, {"organisation_id": organisation_id, **fields}).rows[0][0])
            else:
                db.run(UPDATE_ORGANISATION_GOAL, {"goal": goal.id, "organisation": organisation_id, **fields})
                kept.append(goal.id)
        db.run(ARCHIVE_GOALS_NOT_KEPT, {"organisation": organisation_id, "kept": kept})

    def organisation(self, organisation_id: int) -> Organisation | None:
        with self._db.connection() as db:
            found = db.run(ORGANISATION_BY_ID, {"organisation": organisation_id}).rows
            if not found:
                return None
            goals = db.run(ORGANISATION_GOALS, {"organisation": organisation_id}).rows
            ((session_count,),) = db.run(ORGANISATION_SESSIONS, {"organisation": organisation_id}).rows
            ((people_count,),) = db.run(ORGANISATION_PEOPLE, {"organisation": organisation_id}).rows
        ((_, name, leader_emails, timezone),) = found
        return Organisation(
            organisation_id,
            name,
            tuple(OrganisationGoal(goal_id, title, description, bool(archived)) for goal_id, title, description,
                  archived in goals),
            session_count,
            people_count,
            tuple(json.loads(leader_emails)),
            timezone,
        )  # fmt: skip

    def organisations(self) -> list[Organisation]:
        found = [self.organisation(organisation_id) for organisation_id, _ in self._rows(ORGANISATIONS, {})]
        return [organisation for organisation in found if organisation is not None]

    def new_organisation_key(self, organisation_id: int) -> str:
        """A fresh organisation key (returned once); the old one stops opening the leaders' view."""
        key = new_secret()
        with self._db.transaction() as db:
            db.run(UPDATE_ORGANISATION, {"organisation": organisation_id, "key_digest": secret_digest(key)})
        return key

    def leaders_organisation(
        self, key: object, *, organisation_id: int | None = None, code: str | None = None
    ) -> Organisation:
        """The organisation whose leaders' view ``key`` opens: its own key, or the facilitator key of one of its
        sessions (``code``). DomainError if the key does not open it."""
        if code is not None:
            rows = self._rows(SESSION_KEY_OF_ORGANISATION, {"code": code})
            if not rows or not secret_matches(key, rows[0][1]):
                raise DomainError("bad_key", "That facilitator key does not open this session.")
            organisation_id = rows[0][0]
            if organisation_id is None:
                raise DomainError(
                    "no_organisation",
                    "This session belongs to no organisation, so it has no follow-up across sessions: create the "
                    "organisation on the admin page and make its sessions from there.",
                )
        else:
            rows = self._rows(ORGANISATION_KEY, {"organisation": organisation_id}) if organisation_id else []
            if not rows or not secret_matches(key, rows[0][0]):
                raise DomainError("bad_key", "That key does not open this organisation's follow-up.")
        organisation = self.organisation(organisation_id)  # type: ignore[arg-type]
        if organisation is None:
            raise DomainError("unknown_organisation", "There is no such organisation.")
        return organisation
