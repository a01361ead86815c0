"""SQLite data folders made by earlier versions open, upgrade and keep working; SQLite's settings; database URLs
Pathways cannot use are refused without repeating them."""

import sqlite3
from dataclasses import replace

import pytest

from facilitator.store import DATABASE_FILE, Store
from facilitator.store.database import DatabaseConfigError
from protocols.model import GroupBy
from protocols.session import GroupSettings
from tests.support.database import behind_the_store

# SQLite data folders made by earlier versions open, gain what they lack, and keep working

PREVIOUS_VERSION_SCHEMA = """
CREATE TABLE sessions (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, title TEXT NOT NULL,
    organisation TEXT NOT NULL DEFAULT '', facilitator_name TEXT NOT NULL DEFAULT '',
    event_date TEXT NOT NULL DEFAULT '', day_minutes INTEGER, step_opened_at REAL,
    time_used TEXT NOT NULL DEFAULT '{}', facilitator_key_digest TEXT NOT NULL, agenda TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT -1, timer_deadline REAL, timer_remaining REAL,
    locked INTEGER NOT NULL DEFAULT 0, join_question TEXT, group_size INTEGER, group_by TEXT, created_at REAL NOT NULL);
CREATE TABLE system_goals (id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, position INTEGER NOT NULL,
    title TEXT NOT NULL, description TEXT NOT NULL DEFAULT '');
CREATE INDEX system_goals_by_session ON system_goals(session_id, position);
CREATE TABLE participants (id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, name TEXT NOT NULL,
    token_digest TEXT NOT NULL UNIQUE, join_answer TEXT NOT NULL DEFAULT '', joined_at REAL NOT NULL);
CREATE INDEX participants_by_session ON participants(session_id);
CREATE TABLE answers (id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE, step_key TEXT NOT NULL,
    answer_id TEXT NOT NULL, value TEXT NOT NULL, saved_at REAL NOT NULL, hidden INTEGER NOT NULL DEFAULT 0,
    spotlight INTEGER NOT NULL DEFAULT 0, group_number INTEGER, UNIQUE (participant_id, step_key));
CREATE INDEX answers_by_step ON answers(session_id, step_key);
CREATE TABLE group_members (participant_id INTEGER PRIMARY KEY REFERENCES participants(id) ON DELETE CASCADE,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, group_number INTEGER NOT NULL,
    seat INTEGER NOT NULL);
CREATE INDEX group_members_by_session ON group_members(session_id, group_number, seat);
"""

# The first release: no facilitator or day, no time used, no lock, join question, groups or moderation.
FIRST_RELEASE_SCHEMA = """
CREATE TABLE sessions (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, title TEXT NOT NULL,
    organisation TEXT NOT NULL DEFAULT '', facilitator_key_digest TEXT NOT NULL, agenda TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT -1, timer_deadline REAL, timer_remaining REAL, created_at REAL NOT NULL);
CREATE TABLE system_goals (id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, position INTEGER NOT NULL,
    title TEXT NOT NULL, description TEXT NOT NULL DEFAULT '');
CREATE TABLE participants (id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, name TEXT NOT NULL,
    token_digest TEXT NOT NULL UNIQUE, joined_at REAL NOT NULL);
CREATE TABLE answers (id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE, step_key TEXT NOT NULL,
    answer_id TEXT NOT NULL, value TEXT NOT NULL, saved_at REAL NOT NULL, UNIQUE (participant_id, step_key));
"""


@pytest.mark.parametrize("schema", [PREVIOUS_VERSION_SCHEMA, FIRST_RELEASE_SCHEMA], ids=["previous", "first"])
def test_a_data_folder_from_an_earlier_version_opens_keeps_its_day_and_works(tmp_path, schema):
    path = tmp_path / DATABASE_FILE
    old = sqlite3.connect(path)
    old.executescript(schema)
    old.execute("INSERT INTO sessions (id, code, title, facilitator_key_digest, agenda, position, created_at)"
                " VALUES (1, 'ABCDEF', 'Old day', 'x', '[]', 2, 1700000000.5)")  # fmt: skip
    old.execute("INSERT INTO system_goals (session_id, position, title) VALUES (1, 0, 'Literacy')")
    old.execute("INSERT INTO participants (id, session_id, name, token_digest, joined_at) VALUES (7, 1, 'Ana', 'd', 0)")
    old.execute("INSERT INTO answers (session_id, participant_id, step_key, answer_id, value, saved_at)"
                " VALUES (1, 7, '1:goal', 'a1', '\"Read daily\"', 1700000001.25)")  # fmt: skip
    old.commit()
    old.close()

    store = Store(path)
    try:
        session = store.session_by_code("ABCDEF")
        assert (session.title, session.position, session.created_at) == ("Old day", 2, 1700000000.5)
        assert (session.facilitator, session.date, session.time_used, session.locked) == ("", "", (), False)
        assert [goal.title for goal in session.system_goals] == ["Literacy"]
        assert store.participants(1)[0].join_answer == ""
        (answer,) = store.all_answers(1)
        assert (answer.value, answer.saved_at, answer.hidden, answer.spotlight) == ("Read daily", 1700000001.25,
                                                                                  False, False)  # fmt: skip
        assert store.moderate_answer(1, 7, "1:goal", hidden=True).hidden
        assert store.save_answer(1, 7, "1:goal", "a2", "Read daily, aloud", group_number=1)[0].hidden
        store.save_groups(1, GroupSettings(2, GroupBy.RANDOM), [[7]])
        assert store.groups(1) == {1: (7,)}
        store.save_run_state(replace(session, locked=True))
        assert store.session_by_id(1).locked
        store.delete_session(1)
        assert store.prepared_sessions() == []
    finally:
        store.close()
    upgraded = sqlite3.connect(path)
    try:
        indexes = {row[0] for row in upgraded.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"answers_by_step", "participants_by_session", "group_members_by_session"} <= indexes
        assert upgraded.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        upgraded.close()


def test_sqlite_runs_in_wal_with_full_sync_foreign_keys_and_secure_delete(tmp_path):
    store = Store(tmp_path / DATABASE_FILE)
    store.close()
    with behind_the_store(tmp_path / DATABASE_FILE) as db, db.connection() as link:
        settings = [link.connection.exec_driver_sql(f"PRAGMA {name}").scalar() for name in
                    ("journal_mode", "synchronous", "foreign_keys", "secure_delete")]  # fmt: skip
    assert settings == ["wal", 2, 1, 1]


# Database URLs: what is accepted, and a password never shows in an error


@pytest.mark.parametrize(
    "url",
    [
        "mysql://pathways:PASSWORD-CANARY@db.example.org/pathways",
        "postgresql+psycopg2://pathways:PASSWORD-CANARY@db.example.org/pathways",
        "postgresql://pathways:PASSWORD-CANARY@db.example.org:not-a-port/pathways",
        "sqlite://",
    ],
)
def test_a_database_url_pathways_cannot_use_is_refused_without_repeating_it(url):
    with pytest.raises(DatabaseConfigError) as refused:
        Store(url)
    assert "PASSWORD-CANARY" not in str(refused.value) and "docs/DEPLOY.md" in str(refused.value)
