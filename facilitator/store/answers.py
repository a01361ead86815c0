"""Answers: saving them (one transaction for a batch), moderating, deleting, and the reads every screen needs."""

import json
import time
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import Insert, bindparam, delete, false, func, select, union, update

from facilitator.store.base import IN_SESSION, STEPS, StoreBase, insert_for
from facilitator.store.schema import answers
from protocols.errors import DomainError
from protocols.session import Answer

ANSWER_COLUMNS = (
    answers.c.participant_id,
    answers.c.step_id,
    answers.c.answer_id,
    answers.c.value,
    answers.c.saved_at,
    answers.c.hidden,
    answers.c.spotlight,
    answers.c.group_number,
    answers.c.approved,
)

STORED_ANSWER = select(*ANSWER_COLUMNS).where(
    answers.c.participant_id == bindparam("participant"), answers.c.step_id == bindparam("step")
)
SAVED_ANSWER = STORED_ANSWER.where(answers.c.answer_id == bindparam("answer"))
ANSWER_TO_MODERATE = select(answers.c.id, *ANSWER_COLUMNS).where(
    answers.c.session_id == IN_SESSION,
    answers.c.participant_id == bindparam("participant"),
    answers.c.step_id == bindparam("step"),
)
MODERATE = update(answers).where(answers.c.id == bindparam("row"))
DELETE_ALL_ANSWERS_OF = delete(answers).where(answers.c.participant_id == bindparam("participant"))
DELETE_ANSWER_OF = DELETE_ALL_ANSWERS_OF.where(answers.c.step_id == bindparam("step"))
ANSWERS_TO_STEPS = (
    select(*ANSWER_COLUMNS)
    .where(answers.c.session_id == IN_SESSION, answers.c.step_id.in_(STEPS))
    .order_by(answers.c.saved_at, answers.c.id)
)
ANSWERS_TO_STEP = (
    select(*ANSWER_COLUMNS)
    .where(answers.c.session_id == IN_SESSION, answers.c.step_id == bindparam("step"))
    .order_by(answers.c.saved_at, answers.c.id)
)
ALL_ANSWERS = (
    select(*ANSWER_COLUMNS).where(answers.c.session_id == IN_SESSION).order_by(answers.c.saved_at, answers.c.id)
)
# Two indexed reads (answers_by_table; the author-and-step key), not one OR that would scan the step's answers.
ANSWERS_AT_TABLE = union(
    select(*ANSWER_COLUMNS).where(
        answers.c.session_id == IN_SESSION,
        answers.c.step_id == bindparam("step"),
        answers.c.group_number == bindparam("table"),
    ),
    select(*ANSWER_COLUMNS).where(
        answers.c.participant_id.in_(bindparam("seated", expanding=True)), answers.c.step_id == bindparam("step")
    ),
)
ANSWERED_STEPS = select(answers.c.step_id).where(answers.c.session_id == IN_SESSION).distinct()
ANSWERS_OF = select(answers.c.step_id, answers.c.value).where(answers.c.participant_id == bindparam("participant"))
ANSWERS_BY_PARTICIPANT = select(answers.c.participant_id, answers.c.step_id, answers.c.value).where(
    answers.c.session_id == IN_SESSION
)
ANSWERS_OF_PARTICIPANTS = select(answers.c.participant_id, answers.c.step_id, answers.c.value).where(
    answers.c.participant_id.in_(bindparam("participants", expanding=True))
)


SAVED_COLUMNS = ("session_id", "participant_id", "step_id", "answer_id", "value", "saved_at", "group_number")
MAX_ROWS = 100  # answers in one INSERT: a batch of 500 is five statements, each well within a driver's parameters


@lru_cache(maxsize=2 * MAX_ROWS)
def _save_answers(dialect: str, rows: int) -> Insert:
    """Insert ``rows`` answers in one statement, each replacing its author's earlier answer to the step; a resend
    of the stored ``answer_id`` changes nothing. RETURNING names each row written, with its ``hidden`` flag; a resend
    returns no row. Row ``n``'s values are the parameters ``<column>_<n>``: compiled once per size."""
    statement = insert_for(dialect)(answers).values(
        [{column: bindparam(f"{column}_{n}") for column in SAVED_COLUMNS} for n in range(rows)]
    )
    new = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=[answers.c.participant_id, answers.c.step_id],
        set_={
            "answer_id": new.answer_id,
            "value": new.value,
            "saved_at": new.saved_at,
            "spotlight": false(),  # a changed answer leaves the projector; a hidden one stays hidden
            "approved": false(),  # ...and on an approve step, waits for approval again
            # An answer stays with the table it was first given at: an edit after its author moved is still read
            # there (protocols/visibility.Tables), so nobody's phone is left holding a copy that went elsewhere.
            "group_number": func.coalesce(answers.c.group_number, new.group_number),
        },
        where=answers.c.answer_id != new.answer_id,
    ).returning(answers.c.participant_id, answers.c.step_id, answers.c.hidden, answers.c.group_number)


def _statements(batch: Sequence["NewAnswer"]) -> list[list[int]]:
    """The batch's positions cut into statements of at most ``MAX_ROWS``, in order, each naming an author's answer
    to a step once (one statement may not change a row twice): a second edit in the same batch starts the next
    statement, so it lands after the first."""
    statements: list[list[int]] = [[]]
    keys: set[tuple[int, str]] = set()
    for position, new in enumerate(batch):
        key = (new.participant_id, new.step_id)
        if key in keys or len(statements[-1]) == MAX_ROWS:
            statements.append([])
            keys.clear()
        statements[-1].append(position)
        keys.add(key)
    return statements


class NewAnswer(NamedTuple):
    """An answer as a phone sent it, checked by the domain and waiting to be stored."""

    session_id: int
    participant_id: int
    step_id: str
    answer_id: str
    value: object
    group_number: int | None = None


def _row(new: NewAnswer, now: float) -> tuple[Any, ...]:
    """A new answer's values in ``SAVED_COLUMNS`` order."""
    value = json.dumps(new.value, ensure_ascii=False)
    return new.session_id, new.participant_id, new.step_id, new.answer_id, value, now, new.group_number


def _answer(row: Sequence[Any]) -> Answer:
    """An answer from a row of ``ANSWER_COLUMNS`` (unpacked: the answer path reads many rows)."""
    participant_id, step_id, answer_id, value, saved_at, hidden, spotlight, group_number, approved = row
    return Answer(
        participant_id,
        step_id,
        answer_id,
        json.loads(value),
        saved_at,
        hidden=bool(hidden),
        spotlight=bool(spotlight),
        group_number=group_number,
        approved=bool(approved),
    )


class Answers(StoreBase):
    """Each participant's answer to each step: one row, replaced when they answer again."""

    def save_answer(
        self,
        session_id: int,
        participant_id: int,
        step_id: str,
        answer_id: str,
        value: object,
        group_number: int | None = None,
    ) -> tuple[Answer, bool]:
        """Store one answer: ``save_answers`` with a batch of one."""
        return self.save_answers([NewAnswer(session_id, participant_id, step_id, answer_id, value, group_number)])[0]

    def save_answers(self, batch: Sequence[NewAnswer]) -> list[tuple[Answer, bool]]:
        """Store answers in one transaction (one flush to disk), each replacing the author's earlier answer to
        its step; returns each stored answer and whether it changed anything.

        A resend of the same ``answer_id`` changes nothing and returns ``False``: the phone may resend freely.
        """
        now = time.time()
        results: list[tuple[Answer, bool]] = []
        with self._db.transaction() as db:
            for positions in _statements(batch):
                params = {
                    f"{column}_{n}": value
                    for n, position in enumerate(positions)
                    for column, value in zip(SAVED_COLUMNS, _row(batch[position], now), strict=True)
                }
                written = {
                    (row[0], row[1]): (bool(row[2]), row[3])
                    for row in db.run(_save_answers(self._db.dialect, len(positions)), params).rows
                }
                for position in positions:
                    new = batch[position]
                    stored_as = written.get((new.participant_id, new.step_id))
                    if stored_as is None:  # a resend: the stored answer already has this answer_id
                        (stored,) = db.run(STORED_ANSWER, {"participant": new.participant_id, "step": new.step_id}).rows
                        results.append((_answer(stored), False))
                        continue
                    hidden, group_number = stored_as
                    answer = Answer(
                        new.participant_id, new.step_id, new.answer_id, new.value, now,
                        hidden=hidden, group_number=group_number,
                    )  # fmt: skip
                    results.append((answer, True))
        return results

    def moderate_answer(
        self,
        session_id: int,
        participant_id: int,
        step_id: str,
        *,
        hidden: bool | None = None,
        spotlight: bool | None = None,
        approved: bool | None = None,
    ) -> Answer:
        """Hide an answer from the projector, spotlight it there or approve it; DomainError if there is no such
        answer."""
        with self._db.transaction() as db:
            found = db.run(
                ANSWER_TO_MODERATE, {"session": session_id, "participant": participant_id, "step": step_id}
            ).rows
            if not found:
                raise DomainError("unknown_answer", "There is no such answer to this step.")
            row_id, *columns = found[0]
            answer = _answer(columns)
            new_hidden = answer.hidden if hidden is None else hidden
            new_spotlight = answer.spotlight if spotlight is None else spotlight
            if new_hidden:
                new_spotlight = False  # a hidden answer is never up on the projector
            new_approved = answer.approved if approved is None else approved
            flags = {"hidden": new_hidden, "spotlight": new_spotlight, "approved": new_approved}
            db.run(MODERATE, {"row": row_id, **flags})
        return replace(answer, **flags)

    def delete_answers(self, participant_id: int, step_id: str | None = None) -> int:
        """A participant's own answers removed at their request: one step's, or all of them. Returns how many."""
        with self._db.transaction() as db:
            if step_id is None:
                deleted = db.run(DELETE_ALL_ANSWERS_OF, {"participant": participant_id}).count
            else:
                deleted = db.run(DELETE_ANSWER_OF, {"participant": participant_id, "step": step_id}).count
        self._db.forget_deleted()  # on SQLite, with secure_delete: gone from the files too
        return deleted

    def answers_to_steps(self, session_id: int, step_ids: Sequence[str]) -> list[Answer]:
        """Every answer to the given steps (e.g. those shared with the group), oldest first."""
        if not step_ids:
            return []
        return [_answer(row) for row in self._rows(ANSWERS_TO_STEPS, {"session": session_id, "steps": list(step_ids)})]

    def saved_answer(self, participant_id: int, step_id: str, answer_id: str) -> Answer | None:
        """The answer with this client-made id, if it is the one stored for the step."""
        rows = self._rows(SAVED_ANSWER, {"participant": participant_id, "step": step_id, "answer": answer_id})
        return _answer(rows[0]) if rows else None

    def answered_items(self, session_id: int) -> set[int]:
        """The agenda item numbers that hold at least one answer (step keys are "<item>:<step>")."""
        items = (step_id.partition(":")[0] for (step_id,) in self._rows(ANSWERED_STEPS, {"session": session_id}))
        return {int(item) for item in items if item.isdigit()}

    def answers_of(self, participant_id: int) -> dict[str, object]:
        """One participant's saved answers by step key."""
        return {
            step_id: json.loads(value) for step_id, value in self._rows(ANSWERS_OF, {"participant": participant_id})
        }

    def answers_to_step(self, session_id: int, step_id: str) -> list[Answer]:
        return [_answer(row) for row in self._rows(ANSWERS_TO_STEP, {"session": session_id, "step": step_id})]

    def answers_at_table(self, session_id: int, step_id: str, table: int, seated: Sequence[int]) -> list[Answer]:
        """The answers to a step that decide who reads ``table``'s: those given there, and those of the people
        seated there now (one who answered at another table reads that one's). A table's worth of rows, whatever
        the size of the room."""
        params = {"session": session_id, "step": step_id, "table": table, "seated": list(seated) or [0]}
        return [_answer(row) for row in self._rows(ANSWERS_AT_TABLE, params)]

    def answer_to_step(self, participant_id: int, step_id: str) -> Answer | None:
        rows = self._rows(STORED_ANSWER, {"participant": participant_id, "step": step_id})
        return _answer(rows[0]) if rows else None

    def all_answers(self, session_id: int) -> list[Answer]:
        """Every answer in the session with the time it was saved, oldest first: what exports read."""
        return [_answer(row) for row in self._rows(ALL_ANSWERS, {"session": session_id})]

    def answers_by_participant(
        self, session_id: int, participant_ids: Sequence[int] | None = None
    ) -> dict[int, dict[str, object]]:
        """Participants' answers by step id, in one query: the whole session's, or only these people's (a table's
        group-mates), so the work is proportional to the people concerned."""
        if participant_ids is None:
            rows = self._rows(ANSWERS_BY_PARTICIPANT, {"session": session_id})
        elif participant_ids:
            rows = self._rows(ANSWERS_OF_PARTICIPANTS, {"participants": list(participant_ids)})
        else:
            rows = []
        result: dict[int, dict[str, object]] = {}
        for participant_id, step_id, value in rows:
            result.setdefault(participant_id, {})[step_id] = json.loads(value)
        return result
