"""All storage: the SQLite schema and every query. Returns plain domain objects; nothing else builds SQL."""

import json
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from flask import Flask, current_app

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

SCHEMA = Path(__file__).with_name("schema.sql")
DATABASE_FILE = "pathways.sqlite3"
EXTENSION_KEY = "pathways.store"


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
    """One SQLite database in the data folder. Every write is committed before the method returns."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = FULL")  # an acknowledged answer survives a power cut
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("PRAGMA secure_delete = ON")  # a deleted session leaves no names or answers in the file
        self._db.executescript(SCHEMA.read_text(encoding="utf-8"))
        self._add_missing_columns()

    def _add_missing_columns(self) -> None:
        """Bring a data folder made by an earlier version up to the schema: columns are only ever added."""
        added = {
            "sessions": {
                "facilitator_name": "TEXT NOT NULL DEFAULT ''",
                "event_date": "TEXT NOT NULL DEFAULT ''",
                "step_opened_at": "REAL",
                "time_used": "TEXT NOT NULL DEFAULT '{}'",
                "day_minutes": "INTEGER",
            },
            "answers": {
                "hidden": "INTEGER NOT NULL DEFAULT 0",
                "spotlight": "INTEGER NOT NULL DEFAULT 0",
                "group_number": "INTEGER",
            },
        }
        for table, columns in added.items():
            present = {row["name"] for row in self._db.execute(f"PRAGMA table_info({table})")}
            for column, declaration in columns.items():
                if column not in present:
                    self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

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
        now = time.time()
        with self._transaction() as db:
            for _ in range(50):
                code = new_join_code()
                if not db.execute("SELECT 1 FROM sessions WHERE code = ?", (code,)).fetchone():
                    break
            else:
                raise DomainError("no_code", "Could not find a free join code; try again.")
            cursor = db.execute(
                "INSERT INTO sessions"
                " (code, title, organisation, facilitator_name, event_date, day_minutes,"
                " facilitator_key_digest, agenda, join_question, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    code,
                    title,
                    organisation,
                    facilitator,
                    date,
                    day_minutes,
                    secret_digest(key),
                    _agenda_json(agenda),
                    _question_json(join_question),
                    now,
                ),
            )
            session_id = cursor.lastrowid
            db.executemany(
                "INSERT INTO system_goals (session_id, position, title, description) VALUES (?, ?, ?, ?)",
                [(session_id, n, goal_title, description) for n, (goal_title, description) in enumerate(system_goals)],
            )
        session = self.session_by_code(code)
        assert session is not None
        return session, key

    def _session(self, where: str, value: Any) -> Session | None:
        rows = self._rows(f"SELECT * FROM sessions WHERE {where} = ?", (value,))
        if not rows:
            return None
        row = rows[0]
        goals = self._rows(
            "SELECT id, title, description FROM system_goals WHERE session_id = ? ORDER BY position", (row["id"],)
        )
        return Session(
            id=row["id"],
            code=row["code"],
            title=row["title"],
            organisation=row["organisation"],
            system_goals=tuple(SystemGoal(g["id"], g["title"], g["description"]) for g in goals),
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
        return self._session("code", code)

    def session_by_id(self, session_id: int) -> Session | None:
        return self._session("id", session_id)

    def facilitator_session(self, code: str | None, key: object) -> Session:
        """The session that ``key`` controls; DomainError if the code or the key is wrong."""
        rows = self._rows("SELECT facilitator_key_digest FROM sessions WHERE code = ?", (code,)) if code else []
        if not rows:
            raise DomainError("unknown_session", "There is no session with that code.")
        if not secret_matches(key, rows[0]["facilitator_key_digest"]):
            raise DomainError("bad_key", "That facilitator key does not open this session.")
        session = self.session_by_code(code)  # type: ignore[arg-type]
        assert session is not None
        return session

    def save_run_state(self, session: Session) -> None:
        """Store where the session stands, its timer, lock and agenda: what a restart must find again."""
        with self._transaction() as db:
            db.execute(
                "UPDATE sessions SET position = ?, timer_deadline = ?, timer_remaining = ?, locked = ?, agenda = ?,"
                " step_opened_at = ?, time_used = ? WHERE id = ?",
                (session.position, session.timer.deadline, session.timer.remaining, int(session.locked),
                 _agenda_json(session.agenda), session.step_opened_at, json.dumps(dict(session.time_used)),
                 session.id),
            )  # fmt: skip

    # Preparing sessions: listing, editing, copying, deleting

    def prepared_sessions(self) -> list[PreparedSession]:
        """Every session with its participant count and the day's time, newest first."""
        rows = self._rows(
            "SELECT s.id, COUNT(p.id) AS participants FROM sessions s"
            " LEFT JOIN participants p ON p.session_id = s.id GROUP BY s.id ORDER BY s.created_at DESC, s.id DESC"
        )
        prepared = []
        for row in rows:
            session = self.session_by_id(row["id"])
            if session is not None:  # deleted since the first query
                prepared.append(PreparedSession(session, row["participants"]))
        return prepared

    def prepared_session(self, code: str) -> PreparedSession | None:
        session = self.session_by_code(code)
        return None if session is None else PreparedSession(session, self.count_participants(session.id))

    def update_session(self, session_id: int, edit: SessionEdit) -> None:
        """Apply an edit in one transaction. Goals keep their ids; the agenda changes only while nobody is in."""
        with self._transaction() as db:
            db.execute(
                "UPDATE sessions SET title = ?, organisation = ?, facilitator_name = ?, event_date = ?, day_minutes = ?"
                " WHERE id = ?",
                (edit.title, edit.organisation, edit.facilitator, edit.date, edit.day_minutes, session_id),
            )
            if edit.system_goals is not None:
                self._replace_goals(db, session_id, edit.system_goals)
            if edit.agenda is not None:
                changed = db.execute(
                    "UPDATE sessions SET agenda = ? WHERE id = ? AND position = ?"
                    " AND NOT EXISTS (SELECT 1 FROM participants WHERE session_id = ?)",
                    (_agenda_json(edit.agenda), session_id, LOBBY, session_id),
                ).rowcount
                if not changed:  # someone joined or the console started the session meanwhile
                    raise agenda_is_live()

    @staticmethod
    def _replace_goals(db: sqlite3.Connection, session_id: int, goals: Sequence[GoalDraft]) -> None:
        """New goals are inserted before removed ones are deleted, so a new goal never takes a removed goal's id."""
        kept = []
        for position, goal in enumerate(goals):
            if goal.id is None:
                cursor = db.execute(
                    "INSERT INTO system_goals (session_id, position, title, description) VALUES (?, ?, ?, ?)",
                    (session_id, position, goal.title, goal.description),
                )
                kept.append(cursor.lastrowid)
            else:
                db.execute(
                    "UPDATE system_goals SET position = ?, title = ?, description = ? WHERE id = ? AND session_id = ?",
                    (position, goal.title, goal.description, goal.id, session_id),
                )
                kept.append(goal.id)
        db.execute(
            f"DELETE FROM system_goals WHERE session_id = ? AND id NOT IN ({', '.join('?' * len(kept))})",
            (session_id, *kept),
        )

    def goal_picks(self, session_id: int, step_keys: Sequence[str]) -> dict[int, int]:
        """System goal id -> how many participants chose it in any of the steps ``step_keys``."""
        if not step_keys:
            return {}
        rows = self._rows(
            "SELECT value, COUNT(DISTINCT participant_id) AS n FROM answers"
            f" WHERE session_id = ? AND step_key IN ({', '.join('?' * len(step_keys))}) GROUP BY value",
            (session_id, *step_keys),
        )
        picks: dict[int, int] = {}
        for row in rows:
            goal_id = json.loads(row["value"])
            if isinstance(goal_id, int):
                picks[goal_id] = picks.get(goal_id, 0) + row["n"]
        return picks

    def new_facilitator_key(self, session_id: int) -> str:
        """A fresh facilitator key for the session (returned once); the old key stops opening the console."""
        key = new_secret()
        with self._transaction() as db:
            db.execute("UPDATE sessions SET facilitator_key_digest = ? WHERE id = ?", (secret_digest(key), session_id))
        return key

    def delete_session(self, session_id: int) -> None:
        """The session and everything in it, gone: answers, groups, participants, goals, then the session itself.

        With ``secure_delete`` and a checkpoint, the deleted rows are overwritten in the file and the write-ahead log.
        """
        with self._transaction() as db:
            for table in ("answers", "group_members", "participants", "system_goals"):
                db.execute(f"DELETE FROM {table} WHERE session_id = ?", (session_id,))
            db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        with self._lock:
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # Participants

    def add_participant(self, session_id: int, name: str, join_answer: str = "") -> tuple[Participant, str]:
        """A new participant and their token (returned once; only its digest is stored)."""
        token = new_secret()
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO participants (session_id, name, token_digest, join_answer, joined_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (session_id, name, secret_digest(token), join_answer, time.time()),
            )
        return Participant(cursor.lastrowid, session_id, name, join_answer), token  # type: ignore[arg-type]

    def participant_by_token(self, token: object) -> Participant | None:
        if not isinstance(token, str) or not 0 < len(token) <= 256:
            return None
        rows = self._rows(
            "SELECT id, session_id, name, join_answer FROM participants WHERE token_digest = ?",
            (secret_digest(token),),
        )
        return _participant(rows[0]) if rows else None

    def participants(self, session_id: int) -> list[Participant]:
        rows = self._rows(
            "SELECT id, session_id, name, join_answer FROM participants WHERE session_id = ? ORDER BY id",
            (session_id,),
        )
        return [_participant(row) for row in rows]

    def participant_names(self, session_id: int) -> dict[int, str]:
        rows = self._rows("SELECT id, name FROM participants WHERE session_id = ? ORDER BY id", (session_id,))
        return {row["id"]: row["name"] for row in rows}

    def count_participants(self, session_id: int) -> int:
        return self._rows("SELECT COUNT(*) AS n FROM participants WHERE session_id = ?", (session_id,))[0]["n"]

    # Groups

    def groups(self, session_id: int) -> dict[int, tuple[int, ...]]:
        """Group number -> participant ids in seat order."""
        groups: dict[int, list[int]] = {}
        for row in self._rows(
            "SELECT group_number, participant_id FROM group_members WHERE session_id = ? ORDER BY group_number, seat",
            (session_id,),
        ):
            groups.setdefault(row["group_number"], []).append(row["participant_id"])
        return {number: tuple(members) for number, members in groups.items()}

    def save_groups(self, session_id: int, settings: GroupSettings, groups: Sequence[Sequence[int]]) -> None:
        """Replace the session's groups: group 1 first, members in seat order."""
        with self._transaction() as db:
            db.execute(
                "UPDATE sessions SET group_size = ?, group_by = ? WHERE id = ?",
                (settings.size, settings.by.value, session_id),
            )
            db.execute("DELETE FROM group_members WHERE session_id = ?", (session_id,))
            db.executemany(
                "INSERT INTO group_members (participant_id, session_id, group_number, seat) VALUES (?, ?, ?, ?)",
                [
                    (participant_id, session_id, number, seat)
                    for number, members in enumerate(groups, start=1)
                    for seat, participant_id in enumerate(members)
                ],
            )

    def seat_in_group(self, session_id: int, participant_id: int, group_number: int) -> None:
        """Put a participant in a group, on its last seat (moving them out of any other)."""
        with self._transaction() as db:
            seat = db.execute(
                "SELECT COALESCE(MAX(seat), -1) + 1 FROM group_members WHERE session_id = ? AND group_number = ?",
                (session_id, group_number),
            ).fetchone()[0]
            db.execute(
                "INSERT INTO group_members (participant_id, session_id, group_number, seat) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (participant_id)"
                " DO UPDATE SET group_number = excluded.group_number, seat = excluded.seat",
                (participant_id, session_id, group_number, seat),
            )

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
        with self._transaction() as db:
            for new in batch:
                row = db.execute(
                    "SELECT * FROM answers WHERE participant_id = ? AND step_key = ?",
                    (new.participant_id, new.step_key),
                ).fetchone()
                if row is not None and row["answer_id"] == new.answer_id:
                    results.append((_answer(row), False))
                    continue
                db.execute(
                    "INSERT INTO answers"
                    " (session_id, participant_id, step_key, answer_id, value, saved_at, group_number)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (participant_id, step_key) DO UPDATE SET"
                    " answer_id = excluded.answer_id, value = excluded.value, saved_at = excluded.saved_at,"
                    " spotlight = 0, group_number = excluded.group_number",
                    (
                        new.session_id,
                        new.participant_id,
                        new.step_key,
                        new.answer_id,
                        json.dumps(new.value, ensure_ascii=False),
                        now,
                        new.group_number,
                    ),
                )
                hidden = bool(row["hidden"]) if row is not None else False
                answer = Answer(
                    new.participant_id, new.step_key, new.answer_id, new.value, now,
                    hidden=hidden, group_number=new.group_number,
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
        with self._transaction() as db:
            row = db.execute(
                "SELECT * FROM answers WHERE session_id = ? AND participant_id = ? AND step_key = ?",
                (session_id, participant_id, step_key),
            ).fetchone()
            if row is None:
                raise DomainError("unknown_answer", "There is no such answer to this step.")
            new_hidden = row["hidden"] if hidden is None else int(hidden)
            new_spotlight = row["spotlight"] if spotlight is None else int(spotlight)
            if new_hidden:
                new_spotlight = 0  # a hidden answer is never up on the projector
            db.execute(
                "UPDATE answers SET hidden = ?, spotlight = ? WHERE id = ?", (new_hidden, new_spotlight, row["id"])
            )
        return replace(_answer(row), hidden=bool(new_hidden), spotlight=bool(new_spotlight))

    def delete_answers(self, participant_id: int, step_key: str | None = None) -> int:
        """A participant's own answers removed at their request: one step's, or all of them. Returns how many."""
        with self._transaction() as db:
            if step_key is None:
                cursor = db.execute("DELETE FROM answers WHERE participant_id = ?", (participant_id,))
            else:
                cursor = db.execute(
                    "DELETE FROM answers WHERE participant_id = ? AND step_key = ?", (participant_id, step_key)
                )
        with self._lock:
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # with secure_delete: gone from the files too
        return cursor.rowcount

    def answers_to_steps(self, session_id: int, step_keys: Sequence[str]) -> list[Answer]:
        """Every answer to the given steps (e.g. those shared with the group), oldest first."""
        if not step_keys:
            return []
        marks = ", ".join("?" * len(step_keys))
        rows = self._rows(
            f"SELECT * FROM answers WHERE session_id = ? AND step_key IN ({marks}) ORDER BY saved_at, id",
            (session_id, *step_keys),
        )
        return [_answer(row) for row in rows]

    def saved_answer(self, participant_id: int, step_key: str, answer_id: str) -> Answer | None:
        """The answer with this client-made id, if it is the one stored for the step."""
        rows = self._rows(
            "SELECT * FROM answers WHERE participant_id = ? AND step_key = ? AND answer_id = ?",
            (participant_id, step_key, answer_id),
        )
        return _answer(rows[0]) if rows else None

    def answered_items(self, session_id: int) -> set[int]:
        """The agenda item numbers that hold at least one answer (step keys are "<item>:<step>")."""
        rows = self._rows(
            "SELECT DISTINCT CAST(substr(step_key, 1, instr(step_key, ':') - 1) AS INTEGER) AS item"
            " FROM answers WHERE session_id = ?",
            (session_id,),
        )
        return {row["item"] for row in rows}

    def answers_of(self, participant_id: int) -> dict[str, object]:
        """One participant's saved answers by step key."""
        rows = self._rows("SELECT step_key, value FROM answers WHERE participant_id = ?", (participant_id,))
        return {row["step_key"]: json.loads(row["value"]) for row in rows}

    def answers_to_step(self, session_id: int, step_key: str) -> list[Answer]:
        rows = self._rows(
            "SELECT * FROM answers WHERE session_id = ? AND step_key = ? ORDER BY saved_at",
            (session_id, step_key),
        )
        return [_answer(row) for row in rows]

    def all_answers(self, session_id: int) -> list[Answer]:
        """Every answer in the session with the time it was saved, oldest first: what exports read."""
        rows = self._rows(
            "SELECT * FROM answers WHERE session_id = ? ORDER BY saved_at, id",
            (session_id,),
        )
        return [_answer(row) for row in rows]

    def answers_by_participant(self, session_id: int) -> dict[int, dict[str, object]]:
        """Every participant's answers in the session, for sending each phone its own state in one query."""
        result: dict[int, dict[str, object]] = {}
        for row in self._rows(
            "SELECT participant_id, step_key, value FROM answers WHERE session_id = ?", (session_id,)
        ):
            result.setdefault(row["participant_id"], {})[row["step_key"]] = json.loads(row["value"])
        return result


def _participant(row: sqlite3.Row) -> Participant:
    return Participant(row["id"], row["session_id"], row["name"], row["join_answer"])


def _question_json(question: JoinQuestion | None) -> str | None:
    return None if question is None else json.dumps({"label": question.label, "options": list(question.options)})


def _question(stored: str | None) -> JoinQuestion | None:
    if not stored:
        return None
    data = json.loads(stored)
    return JoinQuestion(data["label"], tuple(data["options"]))


def _answer(row: sqlite3.Row) -> Answer:
    return Answer(
        row["participant_id"],
        row["step_key"],
        row["answer_id"],
        json.loads(row["value"]),
        row["saved_at"],
        hidden=bool(row["hidden"]),
        spotlight=bool(row["spotlight"]),
        group_number=row["group_number"],
    )


def init_app(app: Flask) -> None:
    store = Store(Path(app.config["DATA_DIR"]) / DATABASE_FILE)
    app.extensions[EXTENSION_KEY] = store


def get_store() -> Store:
    return current_app.extensions[EXTENSION_KEY]
