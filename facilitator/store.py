"""All storage: the schema, its upgrades and every query, one code path for SQLite and PostgreSQL. Returns plain
domain objects; nothing else builds SQL."""

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import fields, replace
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
from protocols.credentials import check_in_token, new_join_code, new_secret, secret_digest, secret_matches
from protocols.errors import DomainError
from protocols.followup import (
    CheckIn,
    CheckInDraft,
    GoalRecord,
    OwnFollowUp,
    PersonRecord,
    ProgressRow,
    Recall,
    goal_record,
)
from protocols.loader import protocol_from_dict, protocol_to_dict
from protocols.model import GroupBy
from protocols.organisations import Organisation, OrganisationDraft, OrganisationGoal
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
from protocols.visibility import Audience

DATABASE_FILE = "pathways.sqlite3"
MAX_EARLIER_TOKENS = 20  # earlier plans a phone may show it holds when it joins
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
    Column("organisation_id", Integer),  # the organisation whose goals it shares; NULL: a session on its own
)

organisations = Table(
    "organisations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("key_digest", Text, nullable=False),  # the organisation key opens its leaders' view
    Column("created_at", Time, nullable=False),
)

organisation_goals = Table(
    "organisation_goals",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("archived", Boolean, nullable=False, server_default=false()),  # left out of new sessions; history kept
    Index("organisation_goals_by_organisation", "organisation_id", "position"),
)

people = Table(
    "people",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", Integer),  # NULL: someone at a session of no organisation
    Column("identifier", Text),  # e-mail or staff id given with consent, normalised; NULL: none given
    Column("created_at", Time, nullable=False),
    UniqueConstraint("organisation_id", "identifier"),
)

check_ins = Table(
    "check_ins",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
    Column("participant_id", Integer),  # the plan page it was recorded from
    Column("created_at", Time, nullable=False),
    Column("progress", Text, nullable=False),  # JSON [{"step", "level"}]
    Column("evidence", Text, nullable=False, server_default=""),
    Column("evidence_link", Text, nullable=False, server_default=""),
    Column("obstacles", Text, nullable=False, server_default=""),
    Column("support", Text, nullable=False, server_default="[]"),  # JSON [option id]
    Column("support_note", Text, nullable=False, server_default=""),
    Column("private_note", Text, nullable=False, server_default=""),  # the author's alone
    Index("check_ins_by_person", "person_id", "created_at"),
)

closed_requests = Table(
    "closed_requests",
    metadata,
    Column("organisation_id", Integer, primary_key=True, autoincrement=False),
    Column("request_key", Text, primary_key=True),  # ``SupportRequest.key``
    Column("closed_at", Time, nullable=False),
)

system_goals = Table(
    "system_goals",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("organisation_goal_id", Integer),  # the organisation's goal this copy stands for; NULL: the session's own
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
    Column("person_id", Integer),  # the person across sessions; NULL only for people who joined before follow-up
    Column("person_verified", Boolean, nullable=False, server_default=false()),  # showed it holds their earlier plan
    Column("check_in_digest", Text),  # of the check-in token; NULL for someone who joined before check-in links
    Index("participants_by_session", "session_id"),
    Index("participants_by_person", "person_id"),
    Index("participants_by_check_in", "check_in_digest"),
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
PARTICIPANT_COLUMNS = (
    participants.c.id,
    participants.c.session_id,
    participants.c.name,
    participants.c.join_answer,
    participants.c.person_id,
    participants.c.person_verified,
)
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
SESSION_ORGANISATION = select(sessions.c.organisation_id).where(sessions.c.id == IN_SESSION)
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
    .where(answers.c.session_id == IN_SESSION, answers.c.step_key.in_(STEPS))
    .group_by(answers.c.value)
)

NEW_PARTICIPANT = insert(participants).returning(participants.c.id)
PARTICIPANT_BY_TOKEN = select(*PARTICIPANT_COLUMNS).where(participants.c.token_digest == bindparam("digest"))
PARTICIPANT_BY_CHECK_IN = select(*PARTICIPANT_COLUMNS).where(participants.c.check_in_digest == bindparam("digest"))
CHECK_IN_DIGEST = select(participants.c.check_in_digest).where(participants.c.id == bindparam("participant"))
GIVE_CHECK_IN_DIGEST = update(participants).where(
    participants.c.id == bindparam("participant"), participants.c.check_in_digest.is_(None)
)
PARTICIPANTS_BY_IDS = select(*PARTICIPANT_COLUMNS).where(
    participants.c.session_id == IN_SESSION, participants.c.id.in_(bindparam("ids", expanding=True))
)
PARTICIPANT_BY_ID = select(*PARTICIPANT_COLUMNS).where(participants.c.id == bindparam("participant"))
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

# Organisations and follow-up across their sessions
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
ORGANISATION_BY_ID = select(organisations.c.id, organisations.c.name).where(
    organisations.c.id == bindparam("organisation")
)
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
ANSWERS_OF_PARTICIPANTS = select(
    answers.c.participant_id, answers.c.step_key, answers.c.value, answers.c.saved_at
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
CLOSED_REQUESTS = select(closed_requests.c.request_key).where(
    closed_requests.c.organisation_id == bindparam("organisation")
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
def _close_request(dialect: str) -> Insert:
    """Close a support request; closing it again changes nothing."""
    return _insert_for(dialect)(closed_requests).on_conflict_do_nothing()


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
        self._close_request = _close_request(self._db.dialect)
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
        system_goals: Sequence[tuple[str, str] | tuple[str, str, int | None]],
        agenda: Sequence[AgendaItem],
        join_question: JoinQuestion | None = None,
        facilitator: str = "",
        date: str = "",
        day_minutes: int | None = None,
        organisation_id: int | None = None,
    ) -> tuple[Session, str]:
        """A new session with a fresh join code; returns it with its facilitator key (shown once, stored hashed).

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

    def add_participant(
        self,
        session_id: int,
        name: str,
        join_answer: str = "",
        *,
        earlier: Sequence[str] = (),
        identifier: str = "",
    ) -> tuple[Participant, str]:
        """A new participant and their token (returned once; only its digest is stored), tied to a person.

        The person is the one an ``earlier`` token (another session's participant token this phone holds) shows
        it is, in the same organisation; else the one the ``identifier`` (e-mail or staff id, given with consent)
        names, but unverified: that person's earlier plans stay hidden from this phone until it shows it holds one;
        else a new person.
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
                },
            ).rows[0]
        return Participant(participant_id, session_id, name, join_answer, person_id, verified), token

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

    # Follow-up: what a person holds across an organisation's sessions

    def _members(self, person_ids: Sequence[int]) -> list[tuple[Participant, tuple[str, float, float]]]:
        """Every participant of these people, each with when their session was: (day, created, joined)."""
        if not person_ids:
            return []
        members = []
        for *columns, event_date, created_at, joined_at in self._rows(
            PARTICIPANTS_OF_PEOPLE, {"people": list(person_ids)}
        ):
            day = event_date or time.strftime("%Y-%m-%d", time.gmtime(created_at))
            members.append((_participant(columns), (day, created_at, joined_at)))
        return sorted(members, key=lambda member: member[1])

    def _answers_with_times(
        self, participant_ids: Sequence[int]
    ) -> dict[int, tuple[dict[str, object], dict[str, float]]]:
        found: dict[int, tuple[dict[str, object], dict[str, float]]] = {}
        if participant_ids:
            rows = self._rows(ANSWERS_OF_PARTICIPANTS, {"participants": list(participant_ids)})
            for participant_id, step_key, value, saved_at in rows:
                values, times = found.setdefault(participant_id, ({}, {}))
                values[step_key] = json.loads(value)
                times[step_key] = saved_at
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
        """What each participant may be reminded of on a recall step: their latest goal from an earlier session of
        the organisation, and their check-ins. Only a verified participant is shown a person's earlier plans."""
        if session.organisation_id is None or not participant_ids:
            return {}
        found = self._rows(PARTICIPANTS_BY_IDS, {"session": session.id, "ids": list(participant_ids)})
        here = {p.id: p for p in map(_participant, found) if p.person_id is not None}
        members = self._members(sorted({p.person_id for p in here.values() if p.person_id is not None}))
        now = next((when for member, when in members if member.session_id == session.id), ("", 0.0, 0.0))
        earlier = [m for m, when in members if m.session_id != session.id and when[:2] < now[:2]]
        records = self._goal_records(earlier, Audience.AUTHOR)
        check_ins = self._check_ins(sorted({p.person_id for p in here.values() if p.person_verified}))  # type: ignore[misc]
        verified_ids = {m.id for m, _ in members if m.person_verified}
        recalls = {}
        for participant in here.values():
            mine = [m for m in earlier if m.person_id == participant.person_id]
            if not participant.person_verified:
                recalls[participant.id] = Recall(hidden=bool(mine))
                continue
            goals = [records[m.id] for m in mine if m.person_verified and m.id in records]
            with_goal = [record for record in goals if record.goal or record.action_steps]
            unproven = {m.id for m, _ in members if m.person_id == participant.person_id and m.id not in verified_ids}
            recalls[participant.id] = Recall(
                earlier=with_goal[-1] if with_goal else None,
                check_ins=tuple(
                    c for c in check_ins if c.person_id == participant.person_id and c.participant_id not in unproven
                ),
            )
        return recalls

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
        self._db.forget_deleted()
        return len(gone_ids)

    def person_records(self, organisation_id: int) -> list[PersonRecord]:
        """Everyone who joined the organisation's sessions, as leaders may see them: goals read with the
        facilitator's rights (no private answer), check-ins without their private notes.

        Someone linked only by typing an identifier counts as a person of their own until their phone shows it
        holds the person's earlier plan: what they write is never put down to someone else.
        """
        identifiers = dict(self._rows(PEOPLE_OF_ORGANISATION, {"organisation": organisation_id}))
        members = [m for m, _ in self._members(sorted(identifiers))]
        records = self._goal_records(members, Audience.FACILITATOR)
        check_ins: dict[int, list[CheckIn]] = {}
        for check_in in self._check_ins(sorted(identifiers)):
            check_ins.setdefault(check_in.person_id, []).append(replace(check_in, private_note=""))
        verified = {m.id for m in members if m.person_verified}
        joined: dict[int, list[Participant]] = {}
        for member in members:
            joined.setdefault(member.person_id if member.id in verified else -member.id, []).append(member)  # type: ignore[arg-type]
        people_records = []
        for key, sessions_joined in joined.items():
            own = check_ins.get(key, []) if key > 0 else []
            unproven = {m.id for m in members if m.person_id == key and m.id not in verified}
            people_records.append(
                PersonRecord(
                    person_id=key,
                    name=sessions_joined[-1].name,
                    identifier=(identifiers.get(key) or "") if key > 0 else "",
                    goals=tuple(records[m.id] for m in sessions_joined if m.id in records),
                    check_ins=tuple(c for c in own if c.participant_id not in unproven)
                    + tuple(c for cs in check_ins.values() for c in cs if -c.participant_id == key),
                )
            )
        return people_records

    def closed_requests(self, organisation_id: int) -> set[str]:
        return {key for (key,) in self._rows(CLOSED_REQUESTS, {"organisation": organisation_id})}

    def close_request(self, organisation_id: int, request_key: str) -> None:
        """A leader followed up a support request: it leaves the open list (a later request is a new one)."""
        row = {"organisation_id": organisation_id, "request_key": request_key, "closed_at": time.time()}
        with self._db.transaction() as db:
            db.run(self._close_request, row)

    # Organisations

    def create_organisation(self, draft: OrganisationDraft) -> tuple[Organisation, str]:
        """A new organisation and its key (returned once; only its digest is stored)."""
        key = new_secret()
        with self._db.transaction() as db:
            new = {"name": draft.name, "key_digest": secret_digest(key), "created_at": time.time()}
            (organisation_id,) = db.run(NEW_ORGANISATION, new).rows[0]
            self._replace_organisation_goals(db, organisation_id, draft.goals or ())
        organisation = self.organisation(organisation_id)
        assert organisation is not None
        return organisation, key

    def update_organisation(self, organisation_id: int, draft: OrganisationDraft) -> None:
        with self._db.transaction() as db:
            db.run(UPDATE_ORGANISATION, {"organisation": organisation_id, "name": draft.name})
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
        ((_, name),) = found
        return Organisation(
            organisation_id,
            name,
            tuple(OrganisationGoal(goal_id, title, description, bool(archived)) for goal_id, title, description,
                  archived in goals),
            session_count,
            people_count,
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

    def participant_by_id(self, participant_id: int) -> Participant | None:
        rows = self._rows(PARTICIPANT_BY_ID, {"participant": participant_id})
        return _participant(rows[0]) if rows else None

    def participant_by_token(self, token: object) -> Participant | None:
        if not isinstance(token, str) or not 0 < len(token) <= 256:
            return None
        rows = self._rows(PARTICIPANT_BY_TOKEN, {"digest": secret_digest(token)})
        return _participant(rows[0]) if rows else None

    def participant_by_check_in(self, token: object) -> Participant | None:
        """The participant whose check-in token this is; it opens nothing else (a participant token opens no
        check-in form by this door either)."""
        if not isinstance(token, str) or not 0 < len(token) <= 256:
            return None
        rows = self._rows(PARTICIPANT_BY_CHECK_IN, {"digest": secret_digest(token)})
        return _participant(rows[0]) if rows else None

    def keep_check_in_digest(self, participant_id: int, digest: str) -> None:
        """Someone who joined before check-in links gets one the first time their own token shows it: only then is
        its digest known. Reads first, so it writes once per person, not on every plan page."""
        rows = self._rows(CHECK_IN_DIGEST, {"participant": participant_id})
        if rows and rows[0][0] is None:
            with self._db.transaction() as db:
                db.run(GIVE_CHECK_IN_DIGEST, {"participant": participant_id, "check_in_digest": digest})

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
    participant_id, session_id, name, join_answer, person_id, verified = row
    return Participant(participant_id, session_id, name, join_answer, person_id, bool(verified))


def _check_in(row: Sequence[Any]) -> CheckIn:
    """A check-in from a row of ``CHECK_IN_COLUMNS``."""
    (check_in_id, person_id, participant_id, created_at, progress, evidence, evidence_link, obstacles, support,
     support_note, private_note) = row  # fmt: skip
    return CheckIn(
        progress=tuple(ProgressRow(item["step"], item["level"]) for item in json.loads(progress)),
        evidence=evidence,
        evidence_link=evidence_link,
        obstacles=obstacles,
        support=tuple(json.loads(support)),
        support_note=support_note,
        private_note=private_note,
        id=check_in_id,
        person_id=person_id,
        participant_id=participant_id,
        created_at=created_at,
    )


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
