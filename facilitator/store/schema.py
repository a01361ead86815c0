"""The schema: every table and index, and how a database made by an earlier version is brought up to it."""

from sqlalchemy import (
    REAL,
    Boolean,
    Column,
    Connection,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
    false,
    inspect,
    text,
)
from sqlalchemy.schema import CreateColumn

from facilitator.store.database import Database
from protocols.session import LOBBY

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
    Column("revealed", Text, nullable=False, server_default="{}"),  # JSON {step key: results on the projector}
    Column("language", Text, nullable=False, server_default="en"),  # the console's and projector's language
)

organisations = Table(
    "organisations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("key_digest", Text, nullable=False),  # the organisation key opens its leaders' view
    Column("leader_emails", Text, nullable=False, server_default="[]"),  # JSON: who gets the leaders' weekly digest
    Column("timezone", Text, nullable=False, server_default="UTC"),  # IANA name: where its days begin and end
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
    Column("result", Double().with_variant(REAL(), "sqlite")),  # a result of the person's measure; NULL: none given
    Index("check_ins_by_person", "person_id", "created_at"),
)

# What a person's records come to for the leaders' view and caseloads (protocols/coaching/caseload.PersonSummary),
# made again when the records it was made from change (facilitator/store/follow_up_summaries.py). Forgetting the
# person deletes it with them.
follow_up_summaries = Table(
    "follow_up_summaries",
    metadata,
    Column("person_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, autoincrement=False),
    Column("organisation_id", Integer, nullable=False),
    Column("fingerprint", Text, nullable=False),  # of the rows it was made from: a change to any makes it again
    Column("summaries", Text, nullable=False),  # JSON: one per PersonRecord the person's rows make (often one)
    Index("follow_up_summaries_by_organisation", "organisation_id"),
)

closed_requests = Table(
    "closed_requests",
    metadata,
    Column("organisation_id", Integer, primary_key=True, autoincrement=False),
    Column("request_key", Text, primary_key=True),  # ``SupportRequest.key``
    Column("closed_at", Time, nullable=False),
)

# The coaching loop (docs/FOLLOWUP.md). ``person_id`` in these tables is ``PersonRecord.person_id``: a person's id,
# or minus a participant's id for someone linked only by an identifier they typed (a person of their own).
coaches = Table(
    "coaches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False),
    Column("name", Text, nullable=False),
    Column("email", Text, nullable=False, server_default=""),
    Column("goal_ids", Text, nullable=False, server_default="[]"),  # JSON [organisation goal id] they coach under
    Column("key_digest", Text, nullable=False),  # the coach's link key
    Column("created_at", Time, nullable=False),
    Index("coaches_by_organisation", "organisation_id"),
)

assignments = Table(
    "assignments",
    metadata,
    Column("organisation_id", Integer, primary_key=True, autoincrement=False),
    Column("person_id", Integer, primary_key=True, autoincrement=False),
    Column("coach_id", Integer, ForeignKey("coaches.id", ondelete="CASCADE"), nullable=False),
    Column("how", Text, nullable=False),  # "hand", "goal" (in bulk by system goal) or "auto" (asked for support)
    Column("assigned_at", Time, nullable=False),
    Index("assignments_by_coach", "coach_id"),
)

support_requests = Table(
    "support_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", Integer, nullable=False),
    Column("person_id", Integer, nullable=False),
    Column("request_key", Text, nullable=False),  # which statement, which option: stable, so it is made once
    Column("support", Text, nullable=False),  # the option id
    Column("note", Text, nullable=False, server_default=""),
    Column("asked_at", Time, nullable=False),
    Column("source", Text, nullable=False, server_default=""),  # "Check-in" or the session's title
    Column("coach_id", Integer),  # its owner; NULL: the leaders (no coach for it)
    Column("state", Text, nullable=False),  # open, acknowledged, meeting_planned, closed
    Column("acknowledged_at", Time),
    Column("meeting_day", Text, nullable=False, server_default=""),  # ISO YYYY-MM-DD once a meeting is planned
    Column("meeting_place", Text, nullable=False, server_default=""),
    Column("meeting_planned_at", Time),
    Column("closed_at", Time),
    Column("closed_why", Text, nullable=False, server_default=""),  # "", "no longer asked for"
    UniqueConstraint("organisation_id", "request_key"),
    Index("support_requests_by_person", "organisation_id", "person_id"),
)

goal_messages = Table(
    "goal_messages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", Integer, nullable=False),
    Column("person_id", Integer, nullable=False),
    Column("author", Text, nullable=False),  # "coach" or "person"
    Column("coach_id", Integer),  # the coach who wrote it, for a coach's message
    Column("kind", Text, nullable=False),  # comment, question, suggest_goal, suggest_step, meeting, reply, agree
    Column("body", Text, nullable=False, server_default=""),
    Column("proposal", Text, nullable=False, server_default="{}"),  # JSON: the rewording, or the meeting's day/place
    Column("check_in_id", Integer),  # the check-in a coach's message answers
    Column("state", Text, nullable=False, server_default=""),  # a suggestion: pending, accepted, declined
    Column("reason", Text, nullable=False, server_default=""),  # why the person declined it
    Column("answered_at", Time),
    Column("created_at", Time, nullable=False),
    Index("goal_messages_by_person", "organisation_id", "person_id", "created_at"),
)

goal_versions = Table(
    "goal_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", Integer, nullable=False),
    Column("person_id", Integer, nullable=False),
    Column("goal", Text, nullable=False),
    Column("action_steps", Text, nullable=False, server_default="[]"),  # JSON [[text, ISO date or ""]]
    Column("coach_id", Integer),  # the coach it was agreed with
    Column("message_id", Integer),  # the suggestion it came from; NULL: the person's own wording, agreed
    Column("created_at", Time, nullable=False),  # when both had accepted it
    Index("goal_versions_by_person", "organisation_id", "person_id", "created_at"),
)

reminders = Table(
    "reminders",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("reminder_key", Text, nullable=False, unique=True),  # recorded once, before it is sent: never sent twice
    Column("organisation_id", Integer, nullable=False),
    Column("kind", Text, nullable=False),  # check_in_soon, check_in_due, coach_wrote, support_asked, replied, silent…
    Column("recipient", Text, nullable=False),  # "person", "coach" or "leader"
    Column("recipient_id", Integer, nullable=False),  # a person_id as above, a coach's id, or 0 for leaders
    Column("about_person", Integer),  # the person it is about, so forgetting them removes it
    Column("address", Text, nullable=False, server_default=""),  # the e-mail it goes to; "": shown in the app only
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),  # plain text without its links: they are made when it is sent
    Column("state", Text, nullable=False),  # app, pending, sending, sent, retry, failed, unconfirmed
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", Time),
    Column("last_error", Text, nullable=False, server_default=""),  # never holds a secret
    Column("link_digest", Text),  # of the follow-up link the message carries
    Column("unsubscribe_digest", Text),  # of its stop-reminders link
    Column("created_at", Time, nullable=False),
    Column("sent_at", Time),
    Index("reminders_by_recipient", "recipient", "recipient_id"),
    Index("reminders_by_state", "state", "next_attempt_at"),
    Index("reminders_by_link", "link_digest"),
    Index("reminders_by_unsubscribe", "unsubscribe_digest"),
)

opted_out = Table(
    "opted_out",
    metadata,
    Column("address_digest", Text, primary_key=True),  # of an e-mail address that asked for no more reminders
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
    Column("language", Text, nullable=False, server_default=""),  # the person's chosen language; "": not chosen
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
    Column("step_id", Text, nullable=False),
    Column("answer_id", Text, nullable=False),
    Column("value", Text, nullable=False),  # JSON, validated by the domain before it is stored
    Column("saved_at", Time, nullable=False),
    Column("hidden", Boolean, nullable=False, server_default=false()),  # taken off the projector by the facilitator
    Column("spotlight", Boolean, nullable=False, server_default=false()),  # put up on the projector by them
    Column("group_number", Integer),  # the table they first answered at (steps shared with the group, goals)
    Column("approved", Boolean, nullable=False, server_default=false()),  # approve steps: let the room see it
    UniqueConstraint("participant_id", "step_id"),
    Index("answers_by_step", "session_id", "step_id"),
    Index("answers_by_table", "session_id", "step_id", "group_number"),  # a group answer reads its table's rows
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

evidence_files = Table(
    "evidence_files",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", Integer),  # NULL: a person at a session of no organisation
    Column("person_id", Integer, nullable=False),  # as the coaching loop knows them (PersonRecord.person_id)
    Column("participant_id", Integer, nullable=False),  # the plan page it was uploaded from
    Column("check_in_id", Integer),  # the check-in it is evidence for; NULL: for the goal
    Column("kind", Text, nullable=False),  # "image" or "pdf"
    Column("title", Text, nullable=False),  # the uploaded name, cleaned, for display; never the name on disk
    Column("stored_name", Text, nullable=False, unique=True),  # a random name in the data folder's evidence/
    Column("bytes", Integer, nullable=False),
    Column("created_at", Time, nullable=False),
    Column("shared_with_group", Boolean, nullable=False, server_default=false()),  # the person's choice
    # shown with the person's shared progress (to their group or organisation, while they share): their choice
    Column("shared_with_progress", Boolean, nullable=False, server_default=false()),
    Index("evidence_files_by_person", "person_id"),
)

# Progress shared by choice (docs/FOLLOWUP.md, "Sharing progress"). ``person_id`` is ``PersonRecord.person_id``.
progress_shares = Table(
    "progress_shares",
    metadata,
    Column("organisation_id", Integer, primary_key=True, autoincrement=False),
    Column("person_id", Integer, primary_key=True, autoincrement=False),
    Column("audience", Text, nullable=False),  # "group" or "organisation"; no row: nobody (the default)
    Column("updated_at", Time, nullable=False),
)

progress_rounds = Table(
    "progress_rounds",
    metadata,
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True, autoincrement=False),
    Column("person_order", Text, nullable=False),  # JSON [person id]: who is featured, in turn
    Column("position", Integer, nullable=False),  # the place in that order featured now
    Column("started_at", Time, nullable=False),
)

warm_feedback = Table(
    "warm_feedback",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", Integer, nullable=False),
    Column("person_id", Integer, nullable=False),  # whom it is for
    Column("sender_person_id", Integer),  # the colleague who sent it; NULL: joined before people were kept
    Column("sender_participant_id", Integer, nullable=False),
    Column("sender_name", Text, nullable=False),
    Column("session_id", Integer, nullable=False),  # the session whose progress round it was sent in
    Column("feedback_id", Text, nullable=False),  # the phone's own id: a resend lands once
    Column("body", Text, nullable=False),
    Column("created_at", Time, nullable=False),
    UniqueConstraint("sender_participant_id", "feedback_id"),
    Index("warm_feedback_by_person", "organisation_id", "person_id", "created_at"),
)

step_artifacts = Table(
    "step_artifacts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("item", Integer, nullable=False),  # the agenda item's uid: shown for every step of one round of it
    Column("round_number", Integer, nullable=False),
    Column("table_number", Integer),  # the presenter's table; NULL: the room's, put up by the facilitator
    Column("participant_id", Integer),  # the presenter who uploaded it; NULL: the facilitator
    Column("kind", Text, nullable=False),  # what was uploaded: "image" or "pdf"
    Column("title", Text, nullable=False),  # the uploaded name, cleaned, for display; never a name on disk
    Column("pages", Text, nullable=False),  # JSON [[page name, small picture's name]] in the data folder's artifacts/
    Column("bytes", Integer, nullable=False),
    Column("shown_page", Integer, nullable=False, server_default="1"),  # the page the projector shows
    Column("created_at", Time, nullable=False),
    Index("step_artifacts_by_round", "session_id", "item", "round_number"),
    Index("step_artifacts_by_participant", "participant_id"),
    sqlite_autoincrement=True,  # an id is never given again: a screen holding an old one never opens a new one's pages
)


def create_or_upgrade(database: Database) -> None:
    """Make what a new database lacks, and bring one made by an earlier version up to the schema. The write lock is
    taken only when something is missing, so workers starting on a current database never wait on each other."""
    with database.connection() as db:
        current = _schema_is_current(db.connection)
    if not current:
        with database.schema_transaction() as db:
            _add_what_is_missing(db.connection)


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


# Columns an earlier version named otherwise: (table, old name) -> new name. Renamed in place, data and indexes kept.
RENAMED_COLUMNS = {("answers", "step_key"): "step_id"}


def _add_what_is_missing(connection: Connection) -> None:
    """Tables, columns and indexes are only ever added (an added column has a default for the rows already there),
    and a column an earlier version named otherwise is renamed (``RENAMED_COLUMNS``)."""
    _rename_old_columns(connection)
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


def _rename_old_columns(connection: Connection) -> None:
    inspector = inspect(connection)
    quote = connection.dialect.identifier_preparer
    for (table_name, old), new in RENAMED_COLUMNS.items():
        if not inspector.has_table(table_name):
            continue
        columns = {column["name"] for column in inspector.get_columns(table_name)}
        if old in columns and new not in columns:
            connection.exec_driver_sql(
                f"ALTER TABLE {quote.quote(table_name)} RENAME COLUMN {quote.quote(old)} TO {quote.quote(new)}"
            )
