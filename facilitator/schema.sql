-- Pathways storage, SQLite. Secrets are kept only as SHA-256 digests.
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    organisation TEXT NOT NULL DEFAULT '',
    facilitator_name TEXT NOT NULL DEFAULT '',
    event_date TEXT NOT NULL DEFAULT '',   -- ISO YYYY-MM-DD, the day of the session
    day_minutes INTEGER,               -- the time the day has for the agenda, as the presenter said; NULL: not said
    step_opened_at REAL,               -- when the open step was opened, for time used
    time_used TEXT NOT NULL DEFAULT '{}',  -- JSON {step key: seconds open}
    facilitator_key_digest TEXT NOT NULL,
    agenda TEXT NOT NULL,              -- JSON list of protocol definitions, frozen when the session was made
    position INTEGER NOT NULL DEFAULT -1,
    timer_deadline REAL,
    timer_remaining REAL,
    locked INTEGER NOT NULL DEFAULT 0,
    join_question TEXT,                -- JSON {"label", "options"}: asked at join, e.g. grade level; NULL: none
    group_size INTEGER,                -- how the groups were last formed, so latecomers are placed alike
    group_by TEXT,
    created_at REAL NOT NULL
);

CREATE TABLE IF NOT EXISTS system_goals (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS system_goals_by_session ON system_goals(session_id, position);

CREATE TABLE IF NOT EXISTS participants (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_digest TEXT NOT NULL UNIQUE,
    join_answer TEXT NOT NULL DEFAULT '',
    joined_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS participants_by_session ON participants(session_id);

CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    step_key TEXT NOT NULL,
    answer_id TEXT NOT NULL,
    value TEXT NOT NULL,               -- JSON, validated by the domain before it is stored
    saved_at REAL NOT NULL,
    hidden INTEGER NOT NULL DEFAULT 0,     -- taken off the projector by the facilitator
    spotlight INTEGER NOT NULL DEFAULT 0,  -- put up on the projector by the facilitator
    group_number INTEGER,              -- the author's group when they answered (steps shared with the group)
    UNIQUE (participant_id, step_key)
);
CREATE INDEX IF NOT EXISTS answers_by_step ON answers(session_id, step_key);

CREATE TABLE IF NOT EXISTS group_members (
    participant_id INTEGER PRIMARY KEY REFERENCES participants(id) ON DELETE CASCADE,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    group_number INTEGER NOT NULL,     -- also the table number people are sent to
    seat INTEGER NOT NULL              -- order within the group: roles are dealt out by seat
);
CREATE INDEX IF NOT EXISTS group_members_by_session ON group_members(session_id, group_number, seat);
