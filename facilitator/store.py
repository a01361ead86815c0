"""All storage: the SQLite schema and every query. Returns plain domain objects; nothing else builds SQL."""

import json
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from protocols.credentials import new_join_code, new_secret, secret_digest, secret_matches
from protocols.errors import DomainError
from protocols.loader import protocol_from_dict
from protocols.model import Protocol
from protocols.session import Answer, Participant, Session, SystemGoal, Timer

SCHEMA = Path(__file__).with_name("schema.sql")
DATABASE_FILE = "pathways.sqlite3"
EXTENSION_KEY = "pathways.store"


@lru_cache(maxsize=256)
def _agenda(agenda_json: str) -> tuple[Protocol, ...]:
    """The stored agenda as protocols; cached because it never changes once a session exists."""
    return tuple(protocol_from_dict(source, f"agenda[{n}]") for n, source in enumerate(json.loads(agenda_json)))


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
        self._db.executescript(SCHEMA.read_text(encoding="utf-8"))

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
        agenda: Sequence[dict[str, Any]],
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
                "INSERT INTO sessions (code, title, organisation, facilitator_key_digest, agenda, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (code, title, organisation, secret_digest(key), json.dumps(list(agenda)), now),
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
        """Store where the session stands and its timer: what a restart must find again."""
        with self._transaction() as db:
            db.execute(
                "UPDATE sessions SET position = ?, timer_deadline = ?, timer_remaining = ? WHERE id = ?",
                (session.position, session.timer.deadline, session.timer.remaining, session.id),
            )

    # Participants

    def add_participant(self, session_id: int, name: str) -> tuple[Participant, str]:
        """A new participant and their token (returned once; only its digest is stored)."""
        token = new_secret()
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO participants (session_id, name, token_digest, joined_at) VALUES (?, ?, ?, ?)",
                (session_id, name, secret_digest(token), time.time()),
            )
        return Participant(cursor.lastrowid, session_id, name), token  # type: ignore[arg-type]

    def participant_by_token(self, token: object) -> Participant | None:
        if not isinstance(token, str) or not 0 < len(token) <= 256:
            return None
        rows = self._rows(
            "SELECT id, session_id, name FROM participants WHERE token_digest = ?", (secret_digest(token),)
        )
        return Participant(rows[0]["id"], rows[0]["session_id"], rows[0]["name"]) if rows else None

    def participant_names(self, session_id: int) -> dict[int, str]:
        rows = self._rows("SELECT id, name FROM participants WHERE session_id = ? ORDER BY id", (session_id,))
        return {row["id"]: row["name"] for row in rows}

    def count_participants(self, session_id: int) -> int:
        return self._rows("SELECT COUNT(*) AS n FROM participants WHERE session_id = ?", (session_id,))[0]["n"]

    # Answers

    def save_answer(
        self, session_id: int, participant_id: int, step_key: str, answer_id: str, value: object
    ) -> tuple[Answer, bool]:
        """Store an answer, replacing the participant's earlier answer to the step.

        A resend of the same ``answer_id`` changes nothing and returns ``False``: the phone may resend freely.
        """
        now = time.time()
        encoded = json.dumps(value, ensure_ascii=False)
        with self._transaction() as db:
            row = db.execute(
                "SELECT answer_id, value, saved_at FROM answers WHERE participant_id = ? AND step_key = ?",
                (participant_id, step_key),
            ).fetchone()
            if row is not None and row["answer_id"] == answer_id:
                return Answer(participant_id, step_key, answer_id, json.loads(row["value"]), row["saved_at"]), False
            db.execute(
                "INSERT INTO answers (session_id, participant_id, step_key, answer_id, value, saved_at)"
                " VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (participant_id, step_key) DO UPDATE SET"
                " answer_id = excluded.answer_id, value = excluded.value, saved_at = excluded.saved_at",
                (session_id, participant_id, step_key, answer_id, encoded, now),
            )
        return Answer(participant_id, step_key, answer_id, value, now), True

    def answers_of(self, participant_id: int) -> dict[str, object]:
        """One participant's saved answers by step key."""
        rows = self._rows("SELECT step_key, value FROM answers WHERE participant_id = ?", (participant_id,))
        return {row["step_key"]: json.loads(row["value"]) for row in rows}

    def answers_to_step(self, session_id: int, step_key: str) -> list[Answer]:
        rows = self._rows(
            "SELECT participant_id, step_key, answer_id, value, saved_at FROM answers"
            " WHERE session_id = ? AND step_key = ? ORDER BY saved_at",
            (session_id, step_key),
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


def _answer(row: sqlite3.Row) -> Answer:
    return Answer(row["participant_id"], row["step_key"], row["answer_id"], json.loads(row["value"]), row["saved_at"])


def init_app(app: Flask) -> None:
    store = Store(Path(app.config["DATA_DIR"]) / DATABASE_FILE)
    app.extensions[EXTENSION_KEY] = store


def get_store() -> Store:
    return current_app.extensions[EXTENSION_KEY]
