"""All storage: the schema, its upgrades and every query, one code path for SQLite and PostgreSQL. Returns plain
domain objects; nothing else builds SQL."""

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from flask import Flask, current_app
from sqlalchemy import (
    REAL,
    Boolean,
    Column,
    Connection,
    Double,
    ForeignKey,
    Index,
    Insert,
    Integer,
    MetaData,
    Select,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    delete,
    distinct,
    exists,
    false,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateColumn

from facilitator.database import DEFAULT_POOL_SIZE, Database, Link
from protocols.credentials import new_join_code, new_secret, secret_digest, secret_matches
from protocols.errors import DomainError
from protocols.loader import protocol_from_dict, protocol_to_dict
from protocols.model import GroupBy
from protocols.session import (
    LOBBY,
    AgendaItem,
    Answer,
    GroupSettings,
    JoinQuestion,
    Participant,
    Session,
    SystemGoal,
    Timer,
)
from protocols.setup import GoalDraft, PreparedSession, SessionEdit, agenda_is_live

DATABASE_FILE = "pathways.sqlite3"
EXTENSION_KEY = "pathways.store"

# The schema. Secrets are kept only as SHA-256 digests. Times are seconds since the epoch: double precision on
# PostgreSQL (its REAL has four bytes and would put today's times up to a minute off), REAL (eight bytes) on SQLite.
Time = Double().with_variant(REAL(), "sqlite")
metadata = MetaData()

sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", Text, nullable=False, unique=True),
    Column("title", Text, nullable=False),
    Column("organisation", Text, nullable=False, server_default=""),
    Column("facilitator_name", Text, nullable=False, server_default=""),
    Column("event_date", Text, nullable=False, server_default=""),  # ISO YYYY-MM-DD, the day of the session
    Column("day_minutes", Integer),  # the time the day has for the agenda, as the presenter said; NULL: not said
    Column("step_opened_at", Time),  # when the open step was opened, for time used
    Column("time_used", Text, nullable=False, server_default="{}"),  # JSON {step key: seconds open}
    Column("facilitator_key_digest", Text, nullable=False),
    Column("agenda", Text, nullable=False),  # JSON list of protocol definitions, frozen when the session was made
    Column("position", Integer, nullable=False, server_default=text(str(LOBBY))),
    Column("timer_deadline", Time),
    Column("timer_remaining", Time),
    Column("locked", Boolean, nullable=False, server_default=false()),
    Column("join_question", Text),  # JSON {"label", "options"}: asked at join, e.g. grade level; NULL: none
    Column("group_size", Integer),  # how the groups were last formed, so latecomers are placed alike
    Column("group_by", Text),
    Column("created_at", Time, nullable=False),
)

system_goals = Table(
    "system_goals",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Index("system_goals_by_session", "session_id", "position"),
)

participants = Table(
    "participants",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("name", Text, nullable=False),
    Column("token_digest", Text, nullable=False, unique=True),
    Column("join_answer", Text, nullable=False, server_default=""),
    Column("joined_at", Time, nullable=False),
    Index("participants_by_session", "session_id"),
)

answers = Table(
    "answers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("participant_id", Integer, ForeignKey("participants.id", ondelete="CASCADE"), nullable=False),
    Column("step_key", Text, nullable=False),
    Column("answer_id", Text, nullable=False),
    Column("value", Text, nullable=False),  # JSON, validated by the domain before it is stored
    Column("saved_at", Time, nullable=False),
    Column("hidden", Boolean, nullable=False, server_default=false()),  # taken off the projector by the facilitator
    Column("spotlight", Boolean, nullable=False, server_default=false()),  # put up on the projector by them
    Column("group_number", Integer),  # the author's group when they answered (steps shared with the group)
    UniqueConstraint("participant_id", "step_key"),
    Index("answers_by_step", "session_id", "step_key"),
)

group_members = Table(
    "group_members",
    metadata,
    Column(
        "participant_id",
        Integer,
        ForeignKey("participants.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("group_number", Integer, nullable=False),  # also the table number people are sent to
    Column("seat", Integer, nullable=False),  # order within the group: roles are dealt out by seat
    Index("group_members_by_session", "session_id", "group_number", "seat"),
)

# Every statement, built once and compiled once per database (``Database.run``). Parameters are named after what
# they hold; an UPDATE without .values() sets the columns named in the parameters it is given. Rows come back as
# plain values in the order the statement selects them.

ANSWER_COLUMNS = (
    answers.c.participant_id,
    answers.c.step_key,
    answers.c.answer_id,
    answers.c.value,
    answers.c.saved_at,
    answers.c.hidden,
    answers.c.spotlight,
    answers.c.group_number,
)
SESSION_COLUMNS = tuple(sessions.c.keys())  # the order ``select(sessions)`` reads them in
PARTICIPANT_COLUMNS = (participants.c.id, participants.c.session_id, participants.c.name, participants.c.join_answer)
IN_SESSION = bindparam("session")
STEPS = bindparam("steps", expanding=True)

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
# Serialises changes to one session's groups on PostgreSQL (SQLite's BEGIN IMMEDIATE serialises every write).
LOCK_SESSION = select(sessions.c.id).where(sessions.c.id == IN_SESSION).with_for_update(key_share=True)

NEW_GOALS = insert(system_goals)
NEW_GOAL = NEW_GOALS.returning(system_goals.c.id)
GOALS = (
    select(system_goals.c.id, system_goals.c.title, system_goals.c.description)
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
    .where(answers.c.session_id == IN_SESSION, answers.c.step_key.in_(STEPS))
    .group_by(answers.c.value)
)

NEW_PARTICIPANT = insert(participants).returning(participants.c.id)
PARTICIPANT_BY_TOKEN = select(*PARTICIPANT_COLUMNS).where(participants.c.token_digest == bindparam("digest"))
PARTICIPANTS = select(*PARTICIPANT_COLUMNS).where(participants.c.session_id == IN_SESSION).order_by(participants.c.id)
PARTICIPANT_NAMES = (
    select(participants.c.id, participants.c.name)
    .where(participants.c.session_id == IN_SESSION)
    .order_by(participants.c.id)
)
PARTICIPANT_COUNT = select(func.count()).select_from(participants).where(participants.c.session_id == IN_SESSION)

GROUP_MEMBERS = (
    select(group_members.c.group_number, group_members.c.participant_id)
    .where(group_members.c.session_id == IN_SESSION)
    .order_by(group_members.c.group_number, group_members.c.seat)
)
NEW_GROUP_MEMBERS = insert(group_members)
CLEAR_GROUPS = delete(group_members).where(group_members.c.session_id == IN_SESSION)
NEXT_SEAT = select(func.coalesce(func.max(group_members.c.seat), -1) + 1).where(
    group_members.c.session_id == IN_SESSION, group_members.c.group_number == bindparam("group")
)

STORED_ANSWER = select(*ANSWER_COLUMNS).where(
    answers.c.participant_id == bindparam("participant"), answers.c.step_key == bindparam("step")
)
SAVED_ANSWER = STORED_ANSWER.where(answers.c.answer_id == bindparam("answer"))
ANSWER_TO_MODERATE = select(answers.c.id, *ANSWER_COLUMNS).where(
    answers.c.session_id == IN_SESSION,
    answers.c.participant_id == bindparam("participant"),
    answers.c.step_key == bindparam("step"),
)
MODERATE = update(answers).where(answers.c.id == bindparam("row"))
DELETE_ALL_ANSWERS_OF = delete(answers).where(answers.c.participant_id == bindparam("participant"))
DELETE_ANSWER_OF = DELETE_ALL_ANSWERS_OF.where(answers.c.step_key == bindparam("step"))
ANSWERS_TO_STEPS = (
    select(*ANSWER_COLUMNS)
    .where(answers.c.session_id == IN_SESSION, answers.c.step_key.in_(STEPS))
    .order_by(answers.c.saved_at, answers.c.id)
)
ANSWERS_TO_STEP = (
    select(*ANSWER_COLUMNS)
    .where(answers.c.session_id == IN_SESSION, answers.c.step_key == bindparam("step"))
    .order_by(answers.c.saved_at, answers.c.id)
)
ALL_ANSWERS = (
    select(*ANSWER_COLUMNS).where(answers.c.session_id == IN_SESSION).order_by(answers.c.saved_at, answers.c.id)
)
ANSWERED_STEPS = select(answers.c.step_key).where(answers.c.session_id == IN_SESSION).distinct()
ANSWERS_OF = select(answers.c.step_key, answers.c.value).where(answers.c.participant_id == bindparam("participant"))
ANSWERS_BY_PARTICIPANT = select(answers.c.participant_id, answers.c.step_key, answers.c.value).where(
    answers.c.session_id == IN_SESSION
)


def _insert_for(dialect: str) -> Callable[[Table], Any]:
    """The INSERT that knows ON CONFLICT: SQLite and PostgreSQL spell it alike, but each has its own construct."""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


@cache
def _save_answer(dialect: str) -> Insert:
    """Insert an answer or replace the author's earlier one to the step; a resend of the stored ``answer_id``
    changes nothing. RETURNING gives the row's ``hidden`` flag, and no row at all for a resend."""
    statement = _insert_for(dialect)(answers)
    new = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=[answers.c.participant_id, answers.c.step_key],
        set_={
            "answer_id": new.answer_id,
            "value": new.value,
            "saved_at": new.saved_at,
            "spotlight": false(),  # a changed answer leaves the projector; a hidden one stays hidden
            "group_number": new.group_number,
        },
        where=answers.c.answer_id != new.answer_id,
    ).returning(answers.c.hidden)


@cache
def _seat(dialect: str) -> Insert:
    """Seat a participant, moving them out of any group they were in."""
    statement = _insert_for(dialect)(group_members)
    return statement.on_conflict_do_update(
        index_elements=[group_members.c.participant_id],
        set_={"group_number": statement.excluded.group_number, "seat": statement.excluded.seat},
    )


def _schema_is_current(connection: Connection) -> bool:
    inspector = inspect(connection)
    for table in metadata.sorted_tables:
        if not inspector.has_table(table.name):
            return False
        columns = {column["name"] for column in inspector.get_columns(table.name)}
        indexes = {index["name"] for index in inspector.get_indexes(table.name)}
        if set(table.columns.keys()) - columns or {index.name for index in table.indexes} - indexes:
            return False
    return True


def _create_or_upgrade(connection: Connection) -> None:
    """Make what a new database lacks, and bring one made by an earlier version up to the schema: tables, columns
    and indexes are only ever added (an added column has a default for the rows already there)."""
    metadata.create_all(connection)
    inspector = inspect(connection)
    quote = connection.dialect.identifier_preparer.format_table
    for table in metadata.sorted_tables:
        columns = {column["name"] for column in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in columns:
                declaration = CreateColumn(column).compile(dialect=connection.dialect)
                connection.exec_driver_sql(f"ALTER TABLE {quote(table)} ADD COLUMN {declaration}")
        indexes = {index["name"] for index in inspector.get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in indexes:
                index.create(connection)


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


class NewAnswer(NamedTuple):
    """An answer as a phone sent it, checked by the domain and waiting to be stored."""

    session_id: int
    participant_id: int
    step_key: str
    answer_id: str
    value: object
    group_number: int | None = None


class Store:
    """The database: SQLite in the data folder, or PostgreSQL. Every write is committed before the method returns."""

    def __init__(self, database: Path | str, *, pool_size: int = DEFAULT_POOL_SIZE) -> None:
        """``database``: an SQLite file, or a database URL (``postgresql+pg8000://user:password@host/name``)."""
        self._db = Database(database, pool_size=pool_size)
        self.path = self._db.path  # the SQLite file; None on PostgreSQL
        self._save_answer = _save_answer(self._db.dialect)
        self._seat = _seat(self._db.dialect)
        with self._db.connection() as db:
            current = _schema_is_current(db.connection)
        if not current:  # a new database, or one from an earlier version: only then take the write lock
            with self._db.schema_transaction() as db:
                _create_or_upgrade(db.connection)

    def close(self) -> None:
        self._db.close()

    def _rows(self, statement: Select, params: dict[str, Any]) -> Sequence[Sequence[Any]]:
        """A read's rows, as plain values in the order the statement selects them."""
        with self._db.connection() as db:
            return db.run(statement, params).rows

    # Sessions

    def create_session(
        self,
        title: str,
        organisation: str,
        system_goals: Sequence[tuple[str, str]],
        agenda: Sequence[AgendaItem],
        join_question: JoinQuestion | None = None,
        facilitator: str = "",
        date: str = "",
        day_minutes: int | None = None,
    ) -> tuple[Session, str]:
        """A new session with a fresh join code; returns it with its facilitator key (shown once, stored hashed)."""
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
                },
            ).rows[0]
            if system_goals:
                db.run(
                    NEW_GOALS,
                    [
                        {"session_id": session_id, "position": n, "title": goal_title, "description": description}
                        for n, (goal_title, description) in enumerate(system_goals)
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
                },
            )

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

    def goal_picks(self, session_id: int, step_keys: Sequence[str]) -> dict[int, int]:
        """System goal id -> how many participants chose it in any of the steps ``step_keys``."""
        if not step_keys:
            return {}
        picks: dict[int, int] = {}
        for value, people in self._rows(GOAL_PICKS, {"session": session_id, "steps": list(step_keys)}):
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

    # Participants

    def add_participant(self, session_id: int, name: str, join_answer: str = "") -> tuple[Participant, str]:
        """A new participant and their token (returned once; only its digest is stored)."""
        token = new_secret()
        with self._db.transaction() as db:
            (participant_id,) = db.run(
                NEW_PARTICIPANT,
                {
                    "session_id": session_id,
                    "name": name,
                    "token_digest": secret_digest(token),
                    "join_answer": join_answer,
                    "joined_at": time.time(),
                },
            ).rows[0]
        return Participant(participant_id, session_id, name, join_answer), token

    def participant_by_token(self, token: object) -> Participant | None:
        if not isinstance(token, str) or not 0 < len(token) <= 256:
            return None
        rows = self._rows(PARTICIPANT_BY_TOKEN, {"digest": secret_digest(token)})
        return _participant(rows[0]) if rows else None

    def participants(self, session_id: int) -> list[Participant]:
        return [_participant(row) for row in self._rows(PARTICIPANTS, {"session": session_id})]

    def participant_names(self, session_id: int) -> dict[int, str]:
        return dict(self._rows(PARTICIPANT_NAMES, {"session": session_id}))  # rows of (id, name)

    def count_participants(self, session_id: int) -> int:
        return self._rows(PARTICIPANT_COUNT, {"session": session_id})[0][0]

    # Groups

    def groups(self, session_id: int) -> dict[int, tuple[int, ...]]:
        """Group number -> participant ids in seat order."""
        groups: dict[int, list[int]] = {}
        for number, participant_id in self._rows(GROUP_MEMBERS, {"session": session_id}):
            groups.setdefault(number, []).append(participant_id)
        return {number: tuple(members) for number, members in groups.items()}

    def save_groups(self, session_id: int, settings: GroupSettings, groups: Sequence[Sequence[int]]) -> None:
        """Replace the session's groups: group 1 first, members in seat order."""
        members = [
            {"participant_id": participant_id, "session_id": session_id, "group_number": number, "seat": seat}
            for number, group in enumerate(groups, start=1)
            for seat, participant_id in enumerate(group)
        ]
        with self._db.transaction() as db:
            db.run(UPDATE_SESSION, {"session": session_id, "group_size": settings.size, "group_by": settings.by.value})
            db.run(CLEAR_GROUPS, {"session": session_id})
            if members:
                db.run(NEW_GROUP_MEMBERS, members)

    def seat_in_group(self, session_id: int, participant_id: int, group_number: int) -> None:
        """Put a participant in a group, on its last seat (moving them out of any other)."""
        with self._db.transaction() as db:
            db.run(LOCK_SESSION, {"session": session_id})  # two latecomers never share a seat
            ((seat,),) = db.run(NEXT_SEAT, {"session": session_id, "group": group_number}).rows
            db.run(
                self._seat,
                {"participant_id": participant_id, "session_id": session_id, "group_number": group_number,
                 "seat": seat},
            )  # fmt: skip

    # Answers

    def save_answer(
        self,
        session_id: int,
        participant_id: int,
        step_key: str,
        answer_id: str,
        value: object,
        group_number: int | None = None,
    ) -> tuple[Answer, bool]:
        """Store one answer: ``save_answers`` with a batch of one."""
        return self.save_answers([NewAnswer(session_id, participant_id, step_key, answer_id, value, group_number)])[0]

    def save_answers(self, batch: Sequence["NewAnswer"]) -> list[tuple[Answer, bool]]:
        """Store answers in one transaction (one flush to disk), each replacing the author's earlier answer to
        its step; returns each stored answer and whether it changed anything.

        A resend of the same ``answer_id`` changes nothing and returns ``False``: the phone may resend freely.
        """
        now = time.time()
        results: list[tuple[Answer, bool]] = []
        with self._db.transaction() as db:
            for new in batch:
                saved = db.run(
                    self._save_answer,
                    {
                        "session_id": new.session_id,
                        "participant_id": new.participant_id,
                        "step_key": new.step_key,
                        "answer_id": new.answer_id,
                        "value": json.dumps(new.value, ensure_ascii=False),
                        "saved_at": now,
                        "group_number": new.group_number,
                    },
                ).rows
                if not saved:  # a resend: the stored answer already has this answer_id
                    (stored,) = db.run(STORED_ANSWER, {"participant": new.participant_id, "step": new.step_key}).rows
                    results.append((_answer(stored), False))
                    continue
                ((hidden,),) = saved
                answer = Answer(
                    new.participant_id, new.step_key, new.answer_id, new.value, now,
                    hidden=bool(hidden), group_number=new.group_number,
                )  # fmt: skip
                results.append((answer, True))
        return results

    def moderate_answer(
        self,
        session_id: int,
        participant_id: int,
        step_key: str,
        *,
        hidden: bool | None = None,
        spotlight: bool | None = None,
    ) -> Answer:
        """Hide an answer from the projector or spotlight it there; DomainError if there is no such answer."""
        with self._db.transaction() as db:
            found = db.run(
                ANSWER_TO_MODERATE, {"session": session_id, "participant": participant_id, "step": step_key}
            ).rows
            if not found:
                raise DomainError("unknown_answer", "There is no such answer to this step.")
            row_id, *columns = found[0]
            answer = _answer(columns)
            new_hidden = answer.hidden if hidden is None else hidden
            new_spotlight = answer.spotlight if spotlight is None else spotlight
            if new_hidden:
                new_spotlight = False  # a hidden answer is never up on the projector
            db.run(MODERATE, {"row": row_id, "hidden": new_hidden, "spotlight": new_spotlight})
        return replace(answer, hidden=new_hidden, spotlight=new_spotlight)

    def delete_answers(self, participant_id: int, step_key: str | None = None) -> int:
        """A participant's own answers removed at their request: one step's, or all of them. Returns how many."""
        with self._db.transaction() as db:
            if step_key is None:
                deleted = db.run(DELETE_ALL_ANSWERS_OF, {"participant": participant_id}).count
            else:
                deleted = db.run(DELETE_ANSWER_OF, {"participant": participant_id, "step": step_key}).count
        self._db.forget_deleted()  # on SQLite, with secure_delete: gone from the files too
        return deleted

    def answers_to_steps(self, session_id: int, step_keys: Sequence[str]) -> list[Answer]:
        """Every answer to the given steps (e.g. those shared with the group), oldest first."""
        if not step_keys:
            return []
        return [_answer(row) for row in self._rows(ANSWERS_TO_STEPS, {"session": session_id, "steps": list(step_keys)})]

    def saved_answer(self, participant_id: int, step_key: str, answer_id: str) -> Answer | None:
        """The answer with this client-made id, if it is the one stored for the step."""
        rows = self._rows(SAVED_ANSWER, {"participant": participant_id, "step": step_key, "answer": answer_id})
        return _answer(rows[0]) if rows else None

    def answered_items(self, session_id: int) -> set[int]:
        """The agenda item numbers that hold at least one answer (step keys are "<item>:<step>")."""
        items = (step_key.partition(":")[0] for (step_key,) in self._rows(ANSWERED_STEPS, {"session": session_id}))
        return {int(item) for item in items if item.isdigit()}

    def answers_of(self, participant_id: int) -> dict[str, object]:
        """One participant's saved answers by step key."""
        return {
            step_key: json.loads(value) for step_key, value in self._rows(ANSWERS_OF, {"participant": participant_id})
        }

    def answers_to_step(self, session_id: int, step_key: str) -> list[Answer]:
        return [_answer(row) for row in self._rows(ANSWERS_TO_STEP, {"session": session_id, "step": step_key})]

    def all_answers(self, session_id: int) -> list[Answer]:
        """Every answer in the session with the time it was saved, oldest first: what exports read."""
        return [_answer(row) for row in self._rows(ALL_ANSWERS, {"session": session_id})]

    def answers_by_participant(self, session_id: int) -> dict[int, dict[str, object]]:
        """Every participant's answers in the session, for sending each phone its own state in one query."""
        result: dict[int, dict[str, object]] = {}
        for participant_id, step_key, value in self._rows(ANSWERS_BY_PARTICIPANT, {"session": session_id}):
            result.setdefault(participant_id, {})[step_key] = json.loads(value)
        return result


def _participant(row: Sequence[Any]) -> Participant:
    """A participant from a row of ``PARTICIPANT_COLUMNS``."""
    return Participant(*row)


def _question_json(question: JoinQuestion | None) -> str | None:
    return None if question is None else json.dumps({"label": question.label, "options": list(question.options)})


def _question(stored: str | None) -> JoinQuestion | None:
    if not stored:
        return None
    data = json.loads(stored)
    return JoinQuestion(data["label"], tuple(data["options"]))


def _answer(row: Sequence[Any]) -> Answer:
    """An answer from a row of ``ANSWER_COLUMNS`` (unpacked: the answer path reads many rows)."""
    participant_id, step_key, answer_id, value, saved_at, hidden, spotlight, group_number = row
    return Answer(
        participant_id,
        step_key,
        answer_id,
        json.loads(value),
        saved_at,
        hidden=bool(hidden),
        spotlight=bool(spotlight),
        group_number=group_number,
    )


def init_app(app: Flask) -> None:
    """The app's store: ``DATABASE_URL`` (``PATHWAYS_DATABASE_URL``) if set, else SQLite in the data folder."""
    database = app.config.get("DATABASE_URL") or Path(app.config["DATA_DIR"]) / DATABASE_FILE
    pool_size = int(app.config.get("DATABASE_POOL_SIZE") or DEFAULT_POOL_SIZE)
    app.extensions[EXTENSION_KEY] = Store(database, pool_size=pool_size)


def get_store() -> Store:
    return current_app.extensions[EXTENSION_KEY]
