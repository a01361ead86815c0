"""Sessions: making, reading, editing and deleting them, their run state and their system goals."""

import json
import time
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, delete, distinct, exists, func, insert, select, update

from facilitator.store.base import IN_SESSION, STEPS, StoreBase
from facilitator.store.database import Link
from facilitator.store.schema import answers, group_members, participants, sessions, system_goals
from protocols.credentials import new_join_code, new_secret, secret_digest, secret_matches
from protocols.errors import DomainError
from protocols.loader import protocol_from_dict, protocol_to_dict
from protocols.model import GroupBy
from protocols.session import LOBBY, AgendaItem, GroupSettings, JoinQuestion, Session, SystemGoal, Timer
from protocols.setup import GoalDraft, PreparedSession, SessionEdit, agenda_is_live

SESSION_COLUMNS = tuple(sessions.c.keys())  # the order ``select(sessions)`` reads them in
CODE_TAKEN = select(sessions.c.id).where(sessions.c.code == bindparam("code"))
NEW_SESSION = insert(sessions).returning(sessions.c.id)
SESSION_BY_CODE = select(sessions).where(sessions.c.code == bindparam("value"))
SESSION_BY_ID = select(sessions).where(sessions.c.id == bindparam("value"))
KEY_DIGEST = select(sessions.c.facilitator_key_digest).where(sessions.c.code == bindparam("code"))
UPDATE_SESSION = update(sessions).where(sessions.c.id == IN_SESSION)
AGENDA_WHILE_NOBODY_IS_IN = UPDATE_SESSION.where(
    sessions.c.position == LOBBY, ~exists().where(participants.c.session_id == sessions.c.id)
)
SESSIONS_NEWEST_FIRST = (
    select(sessions.c.id, func.count(participants.c.id).label("participants"))
    .select_from(sessions.outerjoin(participants))
    .group_by(sessions.c.id)
    .order_by(sessions.c.created_at.desc(), sessions.c.id.desc())
)
DELETE_SESSION = [
    *(delete(table).where(table.c.session_id == IN_SESSION) for table in (answers, group_members, participants)),
    delete(system_goals).where(system_goals.c.session_id == IN_SESSION),
    delete(sessions).where(sessions.c.id == IN_SESSION),
]

NEW_GOALS = insert(system_goals)
NEW_GOAL = NEW_GOALS.returning(system_goals.c.id)
GOALS = (
    select(system_goals.c.id, system_goals.c.title, system_goals.c.description, system_goals.c.organisation_goal_id)
    .where(system_goals.c.session_id == IN_SESSION)
    .order_by(system_goals.c.position)
)
UPDATE_GOAL = update(system_goals).where(
    system_goals.c.id == bindparam("goal"), system_goals.c.session_id == IN_SESSION
)
DELETE_GOALS_NOT_KEPT = delete(system_goals).where(
    system_goals.c.session_id == IN_SESSION, system_goals.c.id.not_in(bindparam("kept", expanding=True))
)
GOAL_PICKS = (
    select(answers.c.value, func.count(distinct(answers.c.participant_id)).label("people"))
    .where(answers.c.session_id == IN_SESSION, answers.c.step_id.in_(STEPS))
    .group_by(answers.c.value)
)


@lru_cache(maxsize=256)
def _agenda(agenda_json: str) -> tuple[AgendaItem, ...]:
    """The stored agenda as items; cached by its JSON, which changes only when the facilitator edits the agenda."""
    return tuple(
        AgendaItem(item["uid"], protocol_from_dict(item["protocol"], f"agenda[{n}]"), item["rounds"])
        for n, item in enumerate(json.loads(agenda_json))
    )


def _agenda_json(agenda: Sequence[AgendaItem]) -> str:
    """The agenda as stored: each protocol's full definition is kept, so a session runs the same all day."""
    return json.dumps(
        [{"uid": item.uid, "rounds": item.rounds, "protocol": protocol_to_dict(item.protocol)} for item in agenda],
        ensure_ascii=False,
    )


def _question_json(question: JoinQuestion | None) -> str | None:
    return None if question is None else json.dumps({"label": question.label, "options": list(question.options)})


def _question(stored: str | None) -> JoinQuestion | None:
    if not stored:
        return None
    data = json.loads(stored)
    return JoinQuestion(data["label"], tuple(data["options"]))


class Sessions(StoreBase):
    """A session's own row and its system goals."""

    def create_session(
        self,
        title: str,
        organisation: str,
        system_goals: Sequence[tuple[str, str] | tuple[str, str, int | None]],
        agenda: Sequence[AgendaItem],
        join_question: JoinQuestion | None = None,
        facilitator: str = "",
        date: str = "",
        day_minutes: int | None = None,
        organisation_id: int | None = None,
        language: str = "en",
    ) -> tuple[Session, str]:
        """A new session with a fresh join code; returns it with its facilitator key (shown once, stored hashed).
        ``language`` is its console's and projector's.

        Each system goal is (title, description), or (title, description, the organisation goal it copies)."""
        key = new_secret()
        with self._db.transaction() as db:
            for _ in range(50):
                code = new_join_code()
                if not db.run(CODE_TAKEN, {"code": code}).rows:
                    break
            else:
                raise DomainError("no_code", "Could not find a free join code; try again.")
            (session_id,) = db.run(
                NEW_SESSION,
                {
                    "code": code,
                    "title": title,
                    "organisation": organisation,
                    "facilitator_name": facilitator,
                    "event_date": date,
                    "day_minutes": day_minutes,
                    "facilitator_key_digest": secret_digest(key),
                    "agenda": _agenda_json(agenda),
                    "join_question": _question_json(join_question),
                    "created_at": time.time(),
                    "organisation_id": organisation_id,
                    "language": language,
                },
            ).rows[0]
            if system_goals:
                db.run(
                    NEW_GOALS,
                    [
                        {
                            "session_id": session_id,
                            "position": n,
                            "title": goal[0],
                            "description": goal[1],
                            "organisation_goal_id": goal[2] if len(goal) > 2 else None,
                        }
                        for n, goal in enumerate(system_goals)
                    ],
                )
        session = self.session_by_code(code)
        assert session is not None
        return session, key

    def _session(self, statement: Select, value: Any) -> Session | None:
        with self._db.connection() as db:
            found = db.run(statement, {"value": value}).rows
            if not found:
                return None
            row = dict(zip(SESSION_COLUMNS, found[0], strict=True))
            goals = db.run(GOALS, {"session": row["id"]}).rows
        return Session(
            id=row["id"],
            code=row["code"],
            title=row["title"],
            organisation=row["organisation"],
            system_goals=tuple(SystemGoal(*goal) for goal in goals),
            agenda=_agenda(row["agenda"]),
            position=row["position"],
            timer=Timer(deadline=row["timer_deadline"], remaining=row["timer_remaining"]),
            created_at=row["created_at"],
            locked=bool(row["locked"]),
            join_question=_question(row["join_question"]),
            grouped=GroupSettings(row["group_size"], GroupBy(row["group_by"])) if row["group_size"] else None,
            facilitator=row["facilitator_name"],
            date=row["event_date"],
            day_minutes=row["day_minutes"],
            step_opened_at=row["step_opened_at"],
            time_used=tuple(json.loads(row["time_used"]).items()),
            organisation_id=row["organisation_id"],
            revealed=tuple(json.loads(row["revealed"]).items()),
            language=row["language"],
        )

    def session_by_code(self, code: str) -> Session | None:
        return self._session(SESSION_BY_CODE, code)

    def session_by_id(self, session_id: int) -> Session | None:
        return self._session(SESSION_BY_ID, session_id)

    def facilitator_session(self, code: str | None, key: object) -> Session:
        """The session that ``key`` controls; DomainError if the code or the key is wrong."""
        rows = self._rows(KEY_DIGEST, {"code": code}) if code else []
        if not rows:
            raise DomainError("unknown_session", "There is no session with that code.")
        if not secret_matches(key, rows[0][0]):
            raise DomainError("bad_key", "That facilitator key does not open this session.")
        session = self.session_by_code(code)  # type: ignore[arg-type]
        assert session is not None
        return session

    def save_run_state(self, session: Session) -> None:
        """Store where the session stands, its timer, lock and agenda: what a restart must find again."""
        with self._db.transaction() as db:
            db.run(
                UPDATE_SESSION,
                {
                    "session": session.id,
                    "position": session.position,
                    "timer_deadline": session.timer.deadline,
                    "timer_remaining": session.timer.remaining,
                    "locked": session.locked,
                    "agenda": _agenda_json(session.agenda),
                    "step_opened_at": session.step_opened_at,
                    "time_used": json.dumps(dict(session.time_used)),
                    "revealed": json.dumps(dict(session.revealed)),
                },
            )

    def set_session_language(self, session_id: int, language: str) -> None:
        """The language the session's console and projector speak from now on."""
        with self._db.transaction() as db:
            db.run(UPDATE_SESSION, {"session": session_id, "language": language})

    # Preparing sessions: listing, editing, copying, deleting

    def prepared_sessions(self) -> list[PreparedSession]:
        """Every session with its participant count and the day's time, newest first."""
        prepared = []
        for session_id, joined in self._rows(SESSIONS_NEWEST_FIRST, {}):
            session = self.session_by_id(session_id)
            if session is not None:  # deleted since the first query
                prepared.append(PreparedSession(session, joined))
        return prepared

    def prepared_session(self, code: str) -> PreparedSession | None:
        session = self.session_by_code(code)
        return None if session is None else PreparedSession(session, self.count_participants(session.id))

    def update_session(self, session_id: int, edit: SessionEdit) -> None:
        """Apply an edit in one transaction. Goals keep their ids; the agenda changes only while nobody is in."""
        with self._db.transaction() as db:
            db.run(
                UPDATE_SESSION,
                {
                    "session": session_id,
                    "title": edit.title,
                    "organisation": edit.organisation,
                    "facilitator_name": edit.facilitator,
                    "event_date": edit.date,
                    "day_minutes": edit.day_minutes,
                },
            )
            if edit.system_goals is not None:
                self._replace_goals(db, session_id, edit.system_goals)
            if edit.agenda is not None:
                changed = db.run(
                    AGENDA_WHILE_NOBODY_IS_IN, {"session": session_id, "agenda": _agenda_json(edit.agenda)}
                ).count
                if not changed:  # someone joined or the console started the session meanwhile
                    raise agenda_is_live()

    @staticmethod
    def _replace_goals(db: Link, session_id: int, goals: Sequence[GoalDraft]) -> None:
        """New goals are inserted before removed ones are deleted, so a new goal never takes a removed goal's id."""
        kept = []
        for position, goal in enumerate(goals):
            fields = {"position": position, "title": goal.title, "description": goal.description}
            if goal.id is None:
                kept.append(db.run(NEW_GOAL, {"session_id": session_id, **fields}).rows[0][0])
            else:
                db.run(UPDATE_GOAL, {"goal": goal.id, "session": session_id, **fields})
                kept.append(goal.id)
        db.run(DELETE_GOALS_NOT_KEPT, {"session": session_id, "kept": kept})

    def goal_picks(self, session_id: int, step_ids: Sequence[str]) -> dict[int, int]:
        """System goal id -> how many participants chose it in any of the steps ``step_ids``."""
        if not step_ids:
            return {}
        picks: dict[int, int] = {}
        for value, people in self._rows(GOAL_PICKS, {"session": session_id, "steps": list(step_ids)}):
            goal_id = json.loads(value)
            if isinstance(goal_id, int):
                picks[goal_id] = picks.get(goal_id, 0) + people
        return picks

    def new_facilitator_key(self, session_id: int) -> str:
        """A fresh facilitator key for the session (returned once); the old key stops opening the console."""
        key = new_secret()
        with self._db.transaction() as db:
            db.run(UPDATE_SESSION, {"session": session_id, "facilitator_key_digest": secret_digest(key)})
        return key

    def delete_session(self, session_id: int) -> None:
        """The session and everything in it, gone: answers, groups, participants, goals, then the session itself.

        On SQLite, with ``secure_delete`` and a checkpoint, the deleted rows are overwritten in the file and the
        write-ahead log.
        """
        with self._db.transaction() as db:
            for statement in DELETE_SESSION:
                db.run(statement, {"session": session_id})
        self._db.forget_deleted()
